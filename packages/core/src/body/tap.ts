/**
 * Watching a body go by (counting, hashing, checking) without losing its fast path: a tapped body still
 * offers the leases of the body it taps, so a reader such as `saveToFile` gets pooled slabs rather than a
 * copy of every megabyte.
 *
 * @module
 */
import { type BodyLease, type LeasedSource, leaseSourceOf, offerLeases } from './leases.js';

export interface BodyTap {
  /** Sees each chunk before the reader does; throwing fails the body with that error. */
  readonly chunk?: ((bytes: Uint8Array) => void) | undefined;
  /** Sees the end before the reader does; throwing fails the body instead of ending it. */
  readonly end?: (() => void) | undefined;
  /** Bytes sent after the last chunk, once `end` has seen the end (a checksum appended to the body). */
  readonly trailer?: (() => Uint8Array) | undefined;
  /** Sees the error the body fails with: the source's, a tap's own, or the abort reason. */
  readonly error?: ((error: unknown) => void) | undefined;
  /** Fails the body at once with the signal's reason, even while the source is waiting for bytes. */
  readonly signal?: AbortSignal | undefined;
}

/** One read of the tapped body (a web chunk's release does nothing), or the end. */
type Step = BodyLease | undefined;

/**
 * A body that yields what `body` yields, each chunk shown to `tap` first. Read as a web stream it reads
 * `body`'s web stream; read with {@link bodyLeases} it reads `body`'s leases when `body` offers them.
 */
export function tapBody(body: ReadableStream<Uint8Array>, tap: BodyTap): ReadableStream<Uint8Array> {
  const signal = tap.signal;
  let settled = false;
  let onAbort: (() => void) | undefined;
  let cancelSource: ((reason: unknown) => void) | undefined;
  /**
   * Fails the read in progress: the signal's one listener calls it. (Racing each read against one promise
   * that rejects on abort would leave a reaction on that promise per chunk, kept until the body ends:
   * hundreds of bytes per chunk, megabytes over a long copy.)
   */
  let rejectRead: ((reason: unknown) => void) | undefined;
  if (signal) {
    onAbort = () => rejectRead?.(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  /** `read()`, failed at once with the signal's reason if it fires first. */
  const abortable = (read: () => Promise<Step>): Promise<Step> =>
    new Promise<Step>((resolve, reject) => {
      rejectRead = reject;
      read().then(resolve, reject);
    });
  /** The body is over (ended, failed or cancelled): the signal no longer matters. */
  const settle = () => {
    settled = true;
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  };
  /** Settles the body as failed: the source is cancelled and the tap told. */
  const failed = (error: unknown) => {
    if (settled) return;
    settle();
    cancelSource?.(error);
    tap.error?.(error);
  };
  const fail = (error: unknown): never => {
    failed(error);
    throw error;
  };
  /** Shows one step to the tap, and settles on the end or an error. */
  const show = (next: Step): Step => {
    try {
      if (next) tap.chunk?.(next.bytes);
      else if (!settled) {
        tap.end?.();
        const trailer = tap.trailer?.();
        settle();
        // The end is read once more after the trailer, and is then the end.
        if (trailer) return { bytes: trailer, release: () => {} };
      }
    } catch (error) {
      next?.release();
      return fail(error);
    }
    return next;
  };
  /**
   * Reads one step with `read` and shows it to the tap. One promise per chunk and no async frame: over a long
   * upload, what each chunk allocates in each layer is what grows V8's young generation.
   */
  const step = (read: () => Promise<Step>): Promise<Step> => {
    let reading: Promise<Step>;
    try {
      signal?.throwIfAborted();
      reading = signal ? abortable(read) : read();
    } catch (error) {
      failed(error);
      return Promise.reject(error);
    }
    return reading.then(show, fail);
  };

  const leases = body.locked ? undefined : leaseSourceOf(body);
  let webReader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const web = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!webReader) {
          webReader = body.getReader();
          cancelSource = (reason) => void webReader?.cancel(reason).catch(() => {});
        }
        const reader = webReader;
        const next = await step(() =>
          reader.read().then(({ done, value }) => (done ? undefined : { bytes: value, release: () => {} })),
        );
        if (next) controller.enqueue(next.bytes);
        else controller.close();
      },
      cancel(reason) {
        settle();
        return (webReader ?? body).cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  if (leases) {
    let lock: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const nextLease = () => leases.next();
    const tapped: LeasedSource = {
      next(): Promise<BodyLease | undefined> {
        if (!lock) {
          // The web view of `body` must not hand out the same bytes again.
          lock = body.getReader();
          cancelSource = (reason) => leases.cancel(reason);
        }
        return step(nextLease);
      },
      cancel(reason) {
        settle();
        leases.cancel(reason);
      },
    };
    offerLeases(web, tapped);
  }
  return web;
}

/** `body` with `onChunk` told the running total after each chunk, read only as its reader asks. */
export function countedStream(
  body: ReadableStream<Uint8Array>,
  onChunk: (loaded: number) => void,
): ReadableStream<Uint8Array> {
  let loaded = 0;
  return tapBody(body, {
    chunk: (bytes) => {
      loaded += bytes.byteLength;
      onChunk(loaded);
    },
  });
}

/**
 * Wraps a response body so that reading it is as safe as the request was: an idle timeout between
 * chunks, an overall deadline, a minimum throughput, abort through the caller's signal, typed errors for
 * resets, a check that the body was exactly as long as announced, and progress events.
 *
 * @module
 */
import { ConnectionError, TimeoutError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { mapTransportError } from './response.js';
import type { MinThroughput, ProgressListener } from './types.js';

export interface GuardOptions {
  /** Aborting it cancels the underlying fetch (and so the socket). */
  readonly controller: AbortController;
  readonly userSignal: AbortSignal | undefined;
  readonly idleTimeoutMs: number;
  /** Milliseconds left for the whole transfer (the attempt's deadline). */
  readonly deadlineMs: number;
  readonly minThroughput: MinThroughput;
  /** Announced length; a body ending short of it, or running past it, is a {@link ConnectionError}. */
  readonly expectedLength: number | undefined;
  readonly onProgress?: ProgressListener | undefined;
  readonly redactor: Redactor;
  readonly what: string;
  /** Called once when the body is finished, failed or cancelled. */
  readonly onSettled?: () => void;
}

export function guardBody(
  body: ReadableStream<Uint8Array>,
  options: GuardOptions,
): ReadableStream<Uint8Array> {
  const { controller, idleTimeoutMs, expectedLength, onProgress, what, minThroughput } = options;
  const reader = body.getReader();
  let loaded = 0;
  let idle: NodeJS.Timeout | undefined;
  let settled = false;
  // Throughput is measured over time spent waiting for the server only, so a slow consumer is not blamed.
  let windowWaited = 0;
  let windowBytes = 0;

  const abort = (error: Error) => controller.abort(error);
  const deadline = setTimeout(
    () => abort(new TimeoutError(`${what}: transfer not finished within its time limit`, options.deadlineMs)),
    Math.max(0, options.deadlineMs),
  );
  const settle = () => {
    if (idle) clearTimeout(idle);
    clearTimeout(deadline);
    if (!settled) {
      settled = true;
      options.onSettled?.();
    }
  };
  const arm = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => {
      abort(new TimeoutError(`${what}: no data for ${idleTimeoutMs} ms`, idleTimeoutMs));
    }, idleTimeoutMs);
  };
  const checkThroughput = (waited: number, bytes: number): TimeoutError | undefined => {
    if (minThroughput.bytesPerSecond <= 0) return undefined;
    windowWaited += waited;
    windowBytes += bytes;
    if (windowWaited < minThroughput.windowMs) return undefined;
    const rate = (windowBytes * 1000) / windowWaited;
    windowWaited = 0;
    windowBytes = 0;
    if (rate >= minThroughput.bytesPerSecond) return undefined;
    return new TimeoutError(
      `${what}: body arriving at ${Math.round(rate)} B/s, under the ${minThroughput.bytesPerSecond} B/s minimum`,
      minThroughput.windowMs,
    );
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(out) {
        arm();
        const started = performance.now();
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          settle();
          throw mapTransportError(
            error,
            controller.signal,
            options.userSignal,
            options.redactor,
            `${what} (reading the body)`,
          );
        }
        if (idle) clearTimeout(idle);
        if (result.done) {
          settle();
          if (expectedLength !== undefined && loaded !== expectedLength) {
            throw new ConnectionError(`${what}: body ended after ${loaded} of ${expectedLength} bytes`);
          }
          out.close();
          return;
        }
        loaded += result.value.byteLength;
        const failure =
          expectedLength !== undefined && loaded > expectedLength
            ? new ConnectionError(`${what}: body longer than the ${expectedLength} bytes announced`)
            : checkThroughput(performance.now() - started, result.value.byteLength);
        if (failure) {
          settle();
          await reader.cancel(failure).catch(() => {});
          abort(failure);
          throw failure;
        }
        onProgress?.({ loaded, total: expectedLength });
        out.enqueue(result.value);
      },
      async cancel(reason) {
        settle();
        await reader.cancel(reason).catch(() => {});
        controller.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

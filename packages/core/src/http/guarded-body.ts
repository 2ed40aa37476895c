/**
 * Wraps a response body so that reading it is as safe as the request was: an idle timeout between
 * chunks, abort through the caller's signal, typed errors for resets, a check that the body was as long
 * as announced, and progress events.
 *
 * @module
 */
import { ConnectionError, TimeoutError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { mapTransportError } from './response.js';
import type { ProgressListener } from './types.js';

export interface GuardOptions {
  /** Aborting it cancels the underlying fetch (and so the socket). */
  readonly controller: AbortController;
  readonly userSignal: AbortSignal | undefined;
  readonly idleTimeoutMs: number;
  /** Announced length; a body ending short of it is a {@link ConnectionError}. */
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
  const { controller, idleTimeoutMs, expectedLength, onProgress, what } = options;
  const reader = body.getReader();
  let loaded = 0;
  let timer: NodeJS.Timeout | undefined;
  let settled = false;

  const settle = () => {
    if (timer) clearTimeout(timer);
    if (!settled) {
      settled = true;
      options.onSettled?.();
    }
  };
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      controller.abort(new TimeoutError(`${what}: no data for ${idleTimeoutMs} ms`, idleTimeoutMs));
    }, idleTimeoutMs);
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(out) {
        arm();
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
        if (result.done) {
          settle();
          if (expectedLength !== undefined && loaded !== expectedLength) {
            throw new ConnectionError(`${what}: body ended after ${loaded} of ${expectedLength} bytes`);
          }
          out.close();
          return;
        }
        if (timer) clearTimeout(timer);
        loaded += result.value.byteLength;
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

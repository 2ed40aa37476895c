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

/**
 * The guard's rules, independent of how the body is read: the reader says when it starts waiting for the
 * server and what arrived; the guard keeps the timers, counts, checks and reports.
 */
export class BodyGuard {
  readonly #options: GuardOptions;
  readonly #deadline: NodeJS.Timeout;
  #idle: NodeJS.Timeout | undefined;
  #loaded = 0;
  #settled = false;
  // Throughput is measured over time spent waiting for the server only, so a slow consumer is not blamed.
  #windowWaited = 0;
  #windowBytes = 0;

  constructor(options: GuardOptions) {
    this.#options = options;
    this.#deadline = setTimeout(
      () =>
        this.abort(
          new TimeoutError(
            `${options.what}: transfer not finished within its time limit`,
            options.deadlineMs,
          ),
        ),
      Math.max(0, options.deadlineMs),
    );
  }

  get loaded(): number {
    return this.#loaded;
  }

  /** Aborts the exchange (and so the socket) with `error`. */
  abort(error: Error): void {
    this.#options.controller.abort(error);
  }

  /** The reader waits for the server from now: the idle timer runs. */
  waiting(): void {
    if (this.#settled) return;
    if (this.#idle) this.#idle.refresh();
    else {
      const { idleTimeoutMs, what } = this.#options;
      this.#idle = setTimeout(
        () => this.abort(new TimeoutError(`${what}: no data for ${idleTimeoutMs} ms`, idleTimeoutMs)),
        idleTimeoutMs,
      );
    }
  }

  /** The reader stopped waiting (it holds data its consumer has not taken yet). */
  resting(): void {
    if (this.#idle) {
      clearTimeout(this.#idle);
      this.#idle = undefined;
    }
  }

  /** `bytes` arrived after `waitedMs` of waiting: the error that ends the body, if any. */
  received(bytes: number, waitedMs: number): Error | undefined {
    const { expectedLength, what } = this.#options;
    this.#loaded += bytes;
    const failure =
      expectedLength !== undefined && this.#loaded > expectedLength
        ? new ConnectionError(`${what}: body longer than the ${expectedLength} bytes announced`)
        : this.#checkThroughput(waitedMs, bytes);
    if (failure) {
      this.settle();
      this.abort(failure);
      return failure;
    }
    this.#options.onProgress?.({ loaded: this.#loaded, total: expectedLength });
    return undefined;
  }

  /** The body ended: the error when it is shorter than announced. */
  ended(): Error | undefined {
    this.settle();
    const { expectedLength, what } = this.#options;
    if (expectedLength !== undefined && this.#loaded !== expectedLength)
      return new ConnectionError(`${what}: body ended after ${this.#loaded} of ${expectedLength} bytes`);
    return undefined;
  }

  /** Reading failed: the typed error to throw. */
  failed(error: unknown): Error {
    this.settle();
    const { controller, userSignal, redactor, what } = this.#options;
    return mapTransportError(error, controller.signal, userSignal, redactor, `${what} (reading the body)`);
  }

  /** Timers stopped, `onSettled` called once. */
  settle(): void {
    this.resting();
    clearTimeout(this.#deadline);
    if (!this.#settled) {
      this.#settled = true;
      this.#options.onSettled?.();
    }
  }

  #checkThroughput(waited: number, bytes: number): TimeoutError | undefined {
    const { minThroughput, what } = this.#options;
    if (minThroughput.bytesPerSecond <= 0) return undefined;
    this.#windowWaited += waited;
    this.#windowBytes += bytes;
    if (this.#windowWaited < minThroughput.windowMs) return undefined;
    const rate = (this.#windowBytes * 1000) / this.#windowWaited;
    this.#windowWaited = 0;
    this.#windowBytes = 0;
    if (rate >= minThroughput.bytesPerSecond) return undefined;
    return new TimeoutError(
      `${what}: body arriving at ${Math.round(rate)} B/s, under the ${minThroughput.bytesPerSecond} B/s minimum`,
      minThroughput.windowMs,
    );
  }
}

export function guardBody(
  body: ReadableStream<Uint8Array>,
  options: GuardOptions,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const guard = new BodyGuard(options);
  return new ReadableStream<Uint8Array>(
    {
      async pull(out) {
        guard.waiting();
        const started = performance.now();
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          throw guard.failed(error);
        }
        guard.resting();
        if (result.done) {
          const short = guard.ended();
          if (short) throw short;
          out.close();
          return;
        }
        const failure = guard.received(result.value.byteLength, performance.now() - started);
        if (failure) {
          await reader.cancel(failure).catch(() => {});
          throw failure;
        }
        out.enqueue(result.value);
      },
      async cancel(reason) {
        guard.settle();
        await reader.cancel(reason).catch(() => {});
        options.controller.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

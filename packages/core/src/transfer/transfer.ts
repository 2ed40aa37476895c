/**
 * A transfer as an object (AWS `lib-storage`'s `Upload` shape): it starts at once, `done()` gives its result,
 * `abort()` stops it, and `progress` events say how far it got — monotonic and never above the total,
 * whatever retries and resumes happen inside.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import { type ProgressReporter, progressReporter } from '../body/progress.js';
import { AbortError, InvalidInputError } from '../errors.js';
import type { Progress, ProgressListener } from '../http/types.js';
import { anySignal, throwIfAborted } from '../signals.js';

/** What the work inside a transfer gets: the signal that `abort()` fires, and where to report bytes. */
export interface TransferContext {
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
}

export interface TransferHandleOptions {
  /** Bytes the transfer will move, when known before it starts (else learnt later via `progress.setTotal`). */
  readonly total?: number | undefined;
  /** Aborts the transfer too, like `abort()`. */
  readonly signal?: AbortSignal | undefined;
  /** Called on every progress event, like `on('progress', …)`. */
  readonly onProgress?: ProgressListener | undefined;
}

/** A running upload or download. `R` is what `done()` resolves with (a file version, a saved file…). */
export class Transfer<R> {
  readonly #controller = new AbortController();
  readonly #listeners = new Set<ProgressListener>();
  readonly #reporter: ProgressReporter;
  readonly #done: Promise<R>;
  #latest: Progress;

  constructor(work: (context: TransferContext) => Promise<R>, options: TransferHandleOptions = {}) {
    this.#latest = { loaded: 0, total: options.total };
    if (options.onProgress) this.#listeners.add(options.onProgress);
    this.#reporter = progressReporter((progress) => {
      this.#latest = progress;
      for (const listener of this.#listeners) listener(progress);
    }, options.total);
    // Parts, ranges and requests all listen on this one signal: many listeners are the design.
    setMaxListeners(0, this.#controller.signal);
    const signal = anySignal(this.#controller.signal, options.signal) ?? this.#controller.signal;
    // Started on the next tick, so listeners attached right after construction see every event.
    this.#done = Promise.resolve().then(() => {
      throwIfAborted(signal);
      return work({ signal, progress: this.#reporter });
    });
    // A transfer nobody awaits must not crash the process with an unhandled rejection.
    this.#done.catch(() => {});
  }

  /** Resolves with the result once the transfer finished and was verified; rejects with its typed error. */
  done(): Promise<R> {
    return this.#done;
  }

  /** Stops the transfer; `done()` rejects with an `AbortError` (B2 also cancels an unfinished large file). */
  abort(reason?: unknown): void {
    this.#controller.abort(reason ?? new AbortError('The transfer was aborted'));
  }

  /** Subscribes to progress events; returns the function that unsubscribes. */
  on(event: 'progress', listener: ProgressListener): () => void {
    if (event !== 'progress') throw new InvalidInputError('event', 'must be "progress"');
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The latest progress: bytes moved so far and the total when known. */
  get progress(): Progress {
    return this.#latest;
  }

  get [Symbol.toStringTag](): string {
    return 'Transfer';
  }
}

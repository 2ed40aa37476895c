/**
 * Time as the clients see it. Everything that waits (retry backoff) or compares times (token expiry) goes
 * through a {@link Clock}, so tests can run retries in virtual time without real sleeps.
 *
 * @module
 */
import { MAX_TIMER_MS } from './retry/wait-ms.js';
import { abortErrorFrom } from './signals.js';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with an `AbortError` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    // setTimeout fires at once (with a warning) above 2³¹−1 ms: wait in slices instead.
    let left = Number.isFinite(ms) && ms > 0 ? ms : 0;
    while (left > MAX_TIMER_MS) {
      await sleepOnce(MAX_TIMER_MS, signal);
      left -= MAX_TIMER_MS;
    }
    return sleepOnce(left, signal);
  },
};

function sleepOnce(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortErrorFrom(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortErrorFrom(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A clock that never waits: `sleep` advances virtual time at once and records the delay. Meant for tests
 * and simulations.
 */
export class ManualClock implements Clock {
  #now: number;
  /** Every delay passed to `sleep`, in order. */
  readonly sleeps: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortErrorFrom(signal);
    this.sleeps.push(ms);
    this.#now += ms;
  }
}

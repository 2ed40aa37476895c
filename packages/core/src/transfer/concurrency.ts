/**
 * Bounded concurrency. Items are pulled from the (possibly async, possibly lazy) iterable only when a
 * worker is free, so memory stays bounded by `limit` items in flight — the basis of streaming multipart
 * uploads where each item is a part cut from a stream.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import { InvalidInputError } from '../errors.js';
import { abortErrorFrom, anySignal } from '../signals.js';

export type Settled<R> =
  | { readonly status: 'fulfilled'; readonly value: R }
  | { readonly status: 'rejected'; readonly reason: unknown };

/**
 * Starts fewer workers than the limit and lets the caller add more while the work runs: for work whose best
 * parallelism is only known once it is under way (parallel ranges help a slow link and only cost CPU on a
 * fast one). Pass it in the options of {@link mapConcurrent}.
 */
export class WorkerRamp {
  #add: (() => boolean) | undefined;

  /** @param initial workers started at once (at least 1, at most the limit). */
  constructor(readonly initial = 1) {
    checkLimit(initial);
  }

  /** Starts one more worker if fewer than the limit run and items may remain; says whether it did. */
  add(): boolean {
    return this.#add?.() ?? false;
  }

  /** Called by the run it is given to. */
  attach(add: (() => boolean) | undefined): void {
    this.#add = add;
  }
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1)
    throw new InvalidInputError('concurrency', 'must be an integer ≥ 1');
}

async function run<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  signal: AbortSignal | undefined,
  failFast: boolean,
  ramp?: WorkerRamp,
): Promise<Settled<R>[]> {
  checkLimit(limit);
  const stop = new AbortController();
  const shared = anySignal(signal, stop.signal)!;
  // Every worker (and every request it makes) listens on this one signal: as many listeners as work in
  // flight is the design, not a leak, so Node's warning at 11 does not apply.
  setMaxListeners(0, shared);
  const iterator =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  const results: Settled<R>[] = [];
  let index = 0;
  let firstError: { error: unknown } | undefined;
  let pulling: Promise<unknown> = Promise.resolve();
  let exhausted = false;

  // Pulls are serialised: an async generator must not be advanced concurrently.
  const nextItem = (): Promise<IteratorResult<T>> => {
    const result = pulling.then(() => iterator.next());
    pulling = result.catch(() => {});
    return result;
  };

  const worker = async () => {
    for (;;) {
      if (shared.aborted) return;
      let next: IteratorResult<T>;
      try {
        next = await nextItem();
      } catch (error) {
        firstError ??= { error };
        stop.abort(error);
        return;
      }
      if (next.done) {
        exhausted = true;
        return;
      }
      const at = index++;
      try {
        results[at] = { status: 'fulfilled', value: await fn(next.value, at, shared) };
      } catch (reason) {
        results[at] = { status: 'rejected', reason };
        if (failFast) {
          firstError ??= { error: reason };
          stop.abort(reason);
          return;
        }
      }
    }
  };

  const workers: Promise<void>[] = [];
  const addWorker = () => {
    if (workers.length >= limit || exhausted || shared.aborted) return false;
    workers.push(worker());
    return true;
  };
  for (let i = 0; i < Math.min(ramp?.initial ?? limit, limit); i += 1) addWorker();
  ramp?.attach(addWorker);
  try {
    // A ramp may add workers while these run: wait until a round adds none.
    for (let count = 0; count < workers.length; ) {
      count = workers.length;
      await Promise.all(workers);
    }
  } finally {
    ramp?.attach(undefined);
  }
  if (firstError || signal?.aborted) await (iterator as AsyncIterator<T>).return?.();
  if (signal?.aborted && !firstError) throw abortErrorFrom(signal);
  if (firstError) throw firstError.error;
  return results;
}

/**
 * Maps items with at most `limit` calls in flight and returns results in input order. The first failure
 * aborts the signal handed to the other calls, stops pulling items, and is rethrown once they settle.
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  options: { signal?: AbortSignal | undefined; ramp?: WorkerRamp | undefined } = {},
): Promise<R[]> {
  const settled = await run(items, limit, fn, options.signal, true, options.ramp);
  return settled.map((s) => (s as { value: R }).value);
}

/** Like {@link mapConcurrent} but never stops on a failure: every item gets a settled result. */
export function settleConcurrent<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T, index: number, signal: AbortSignal) => Promise<R>,
  options: { signal?: AbortSignal | undefined } = {},
): Promise<Settled<R>[]> {
  return run(items, limit, fn, options.signal, false);
}

/** A limiter shared across calls: at most `limit` of the wrapped functions run at once. */
export function createLimiter(limit: number): <R>(fn: () => Promise<R>) => Promise<R> {
  checkLimit(limit);
  let active = 0;
  const queue: (() => void)[] = [];
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    active += 1;
    try {
      return await fn();
    } finally {
      active -= 1;
      queue.shift()?.();
    }
  };
}

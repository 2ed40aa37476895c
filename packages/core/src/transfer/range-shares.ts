/**
 * How a parallel ranged download divides a file among its streams. Fixed: ranges of `partSize`, taken in
 * order. Stealing: one share of the whole file; each stream that asks for work later takes the upper half of
 * the biggest share still being fetched, so streams can be added at any time without a request per range.
 *
 * @module
 */

/** A stream's share of the file: bytes `[at, end]` are still wanted. `end` only ever moves down. */
export interface RangeShare {
  /** Where the share began: its stream asks from here (and later from `at`, resuming). */
  readonly start: number;
  at: number;
  end: number;
}

export class RangeShares implements IterableIterator<RangeShare> {
  readonly #queue: RangeShare[];
  readonly #active = new Set<RangeShare>();
  readonly #minimum: number;
  readonly #stealing: boolean;

  /**
   * `[0, size)` in ranges of `partSize`; with `stealing`, as one share that is split in halves of at least
   * `partSize` bytes as streams ask for work.
   */
  constructor(size: number, partSize: number, options: { stealing: boolean }) {
    this.#minimum = partSize;
    this.#stealing = options.stealing;
    const count = options.stealing ? Math.min(1, size) : Math.ceil(size / partSize);
    const length = options.stealing ? size : partSize;
    this.#queue = Array.from({ length: count }, (_, i) => ({
      start: i * length,
      at: i * length,
      end: Math.min(size, (i + 1) * length) - 1,
    }));
  }

  /** The next share to fetch, or done when none is left and none is worth splitting. */
  next(): IteratorResult<RangeShare> {
    const share = this.#queue.shift() ?? (this.#stealing ? this.#split() : undefined);
    if (!share) return { done: true, value: undefined };
    this.#active.add(share);
    return { done: false, value: share };
  }

  /** A share is complete (or failed): it is no longer split. */
  finished(share: RangeShare): void {
    this.#active.delete(share);
  }

  [Symbol.iterator](): IterableIterator<RangeShare> {
    return this;
  }

  #split(): RangeShare | undefined {
    let biggest: RangeShare | undefined;
    for (const share of this.#active)
      if (!biggest || share.end - share.at > biggest.end - biggest.at) biggest = share;
    if (!biggest) return undefined;
    const left = biggest.end + 1 - biggest.at;
    if (left < 2 * this.#minimum) return undefined;
    const from = biggest.at + Math.ceil(left / 2);
    const taken = { start: from, at: from, end: biggest.end };
    biggest.end = from - 1;
    return taken;
  }
}

/**
 * A bounded stock of same-size buffers that finished transfers hand on to the next: a download of many
 * ranges, an upload of many parts or a folder of files then reuses the same few megabytes instead of
 * allocating a fresh set each time, so memory stops growing with their number.
 *
 * @module
 */
export class SpareBuffers<T extends Uint8Array> {
  readonly #stock: T[] = [];

  /** Keeps at most `max` buffers of `bytes` bytes; `make` allocates one when none is kept. */
  constructor(
    readonly bytes: number,
    private readonly max: number,
    private readonly make: () => T,
  ) {}

  /** A kept buffer, or a new one. */
  take(): T {
    return this.#stock.pop() ?? this.make();
  }

  /** Keeps `buffer` for a later `take` when it has the size and there is room; else it is left to the collector. */
  give(buffer: T): void {
    if (buffer.byteLength === this.bytes && this.#stock.length < this.max) this.#stock.push(buffer);
  }
}

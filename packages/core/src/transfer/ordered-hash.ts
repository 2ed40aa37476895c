/**
 * The checksum of a file whose ranges arrive out of order (see `save-ranges.ts`), computed in order while the
 * download runs rather than in one pass at the end.
 *
 * @module
 */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { SLAB_BYTES } from '../body/leases.js';

/** Bytes read back from the file at `at`. */
interface ReadBack {
  readonly at: number;
  readonly bytes: Uint8Array;
}

/**
 * Hashes `[0, size)` of a file in order while its ranges are written in any order.
 *
 * - Bytes that arrive exactly where the hash has got to are hashed from memory on the way to the disk (the
 *   front range, mostly), so the hash keeps up with the download instead of waiting for whole ranges.
 * - Everything else is hashed once it is in the file, read back (from the page cache) with two reads in
 *   flight, so reading and hashing overlap.
 *
 * Either way a byte is hashed as written or as read back from the file, never twice and never skipped:
 * {@link digest} fails unless every byte of `[0, size)` went in, in order.
 */
export class OrderedHasher {
  readonly #handle: FileHandle;
  readonly #hash: Hash;
  readonly #size: number;
  /** Bytes `[0, hashed)` are in the hash. */
  #hashed = 0;
  /** Written extents not yet hashed, merged when they touch: start → end and end → start. */
  readonly #endOf = new Map<number, number>();
  readonly #startOf = new Map<number, number>();
  #readingBack: Promise<void> | undefined;
  #failure: { readonly cause: unknown } | undefined;
  readonly #buffers: Buffer[] = [];

  constructor(handle: FileHandle, hash: Hash, size: number) {
    this.#handle = handle;
    this.#hash = hash;
    this.#size = size;
  }

  /** `bytes` for offset `at` are on their way to the file: hashed now when they are the next ones. */
  arriving(bytes: Uint8Array, at: number): void {
    if (this.#readingBack || this.#failure || at !== this.#hashed) return;
    this.#hash.update(bytes);
    this.#hashed += bytes.byteLength;
    // Written bytes may start where these end (the next range's, or this range's before a resume).
    this.#readBackWhenReady();
  }

  /** `[position, position + length)` is in the file. */
  written(position: number, length: number): void {
    const start = Math.max(position, this.#hashed);
    const end = position + length;
    if (end <= start) return; // hashed already, as it arrived
    this.#addExtent(start, end);
    this.#readBackWhenReady();
  }

  /** The digest of `[0, size)`, once every byte is written. */
  async digest(): Promise<string> {
    await this.settled();
    if (this.#failure) throw this.#failure.cause;
    if (this.#hashed !== this.#size)
      throw new Error(`the hash reached ${this.#hashed} of ${this.#size} bytes: a range was never written`);
    return this.#hash.digest('hex');
  }

  /** Waits for reading back in progress (before the file is closed), whatever its outcome. */
  async settled(): Promise<void> {
    while (this.#readingBack) await this.#readingBack;
  }

  #addExtent(start: number, end: number): void {
    let from = start;
    let to = end;
    const before = this.#startOf.get(from);
    if (before !== undefined) {
      this.#startOf.delete(from);
      from = before;
    }
    const after = this.#endOf.get(to);
    if (after !== undefined) {
      this.#endOf.delete(to);
      this.#startOf.delete(after);
      to = after;
    }
    this.#endOf.set(from, to);
    this.#startOf.set(to, from);
  }

  #readBackWhenReady(): void {
    if (this.#readingBack || this.#failure || !this.#endOf.has(this.#hashed)) return;
    this.#readingBack = this.#readBack()
      .catch((error: unknown) => {
        this.#failure ??= { cause: error };
      })
      .finally(() => {
        this.#readingBack = undefined;
        this.#readBackWhenReady();
      });
  }

  /** Hashes written extents from the file while one starts where the hash has got to. */
  async #readBack(): Promise<void> {
    for (;;) {
      const end = this.#endOf.get(this.#hashed);
      if (end === undefined) return;
      this.#endOf.delete(this.#hashed);
      this.#startOf.delete(end);
      let pending: Promise<ReadBack> | undefined = this.#read(0, this.#hashed, end);
      for (let turn = 1; pending; turn += 1) {
        const { at, bytes }: ReadBack = await pending;
        const next: number = at + bytes.byteLength;
        pending = next < end ? this.#read(turn % 2, next, end) : undefined;
        this.#hash.update(bytes);
        this.#hashed = next;
      }
    }
  }

  /** Reads `[at, min(end, at + one slab))` into buffer `which` (0 or 1). */
  async #read(which: number, at: number, end: number): Promise<ReadBack> {
    const buffer = this.#buffers[which] ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
    this.#buffers[which] = buffer;
    const want = Math.min(buffer.byteLength, end - at);
    const { bytesRead } = await this.#handle.read(buffer, 0, want, at);
    if (bytesRead === 0) throw new Error(`the file ends at ${at} while being hashed`);
    return { at, bytes: buffer.subarray(0, bytesRead) };
  }
}

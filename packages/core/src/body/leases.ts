/**
 * Large media moved in large, reused buffers. A {@link BodyLease} lends its holder a view of a pooled slab
 * until `release()`: a body read this way allocates nothing per chunk, so a gigabyte leaves no gigabyte of
 * garbage behind for the collector (Node's RSS would otherwise climb by tens of MiB), and each file write
 * or hash update covers a whole slab rather than a 64 KiB socket read.
 *
 * @module
 */
import { SpareBuffers } from './spares.js';

/** Bytes per slab: large enough that one write or hash call per slab costs nothing noticeable. */
export const SLAB_BYTES = 1024 * 1024;

/** Bytes lent until `release()`; after it they belong to someone else. */
export interface BodyLease {
  readonly bytes: Uint8Array;
  /** Gives the bytes back (idempotent). */
  release(): void;
}

/** Lends `bytes` until released; `giveBack` runs on the first `release()` only. */
export function lendOnce(bytes: Uint8Array, giveBack: () => void): BodyLease {
  let released = false;
  return {
    bytes,
    release: () => {
      if (released) return;
      released = true;
      giveBack();
    },
  };
}

/** Slabs no pool holds right now, for the next pool (see {@link SpareBuffers}). */
const spareSlabs = new SpareBuffers<Uint8Array>(SLAB_BYTES, 16, () => Buffer.allocUnsafeSlow(SLAB_BYTES));

/**
 * At most `count` slabs, taken as needed (from the spares first); `take()` returns undefined when all are in
 * use. A slab is in use while its taker holds it (until `give`) and while any part of it is lent: a reader can
 * have the first bytes of a slab while the rest is still being filled. Once closed, every slab that comes
 * free is spared for the next pool.
 */
export class SlabPool {
  readonly #free: Uint8Array[] = [];
  /** Holders of each slab in use: its taker and its leases. */
  readonly #holds = new Map<Uint8Array, number>();
  readonly #onFree: () => void;
  readonly #count: number;
  readonly #bytes: number;
  #made = 0;
  #closed = false;

  /** `onFree` runs whenever a lease's release frees a slab (a reader paused for want of one resumes there). */
  constructor(count: number, onFree: () => void, bytes = SLAB_BYTES) {
    this.#count = count;
    this.#onFree = onFree;
    this.#bytes = bytes;
  }

  /** A slab the caller holds until `give`, or undefined while every slab is in use. */
  take(): Uint8Array | undefined {
    let slab = this.#free.pop();
    if (!slab) {
      if (this.#made >= this.#count) return undefined;
      this.#made += 1;
      slab = this.#bytes === SLAB_BYTES ? spareSlabs.take() : Buffer.allocUnsafeSlow(this.#bytes);
    }
    this.#holds.set(slab, 1);
    return slab;
  }

  /** Lends bytes `start` to `end` of a slab the caller holds; the slab stays in use until the release. */
  lend(slab: Uint8Array, start: number, end: number): BodyLease {
    this.#holds.set(slab, (this.#holds.get(slab) ?? 0) + 1);
    return lendOnce(slab.subarray(start, end), () => {
      if (this.#drop(slab)) this.#onFree();
    });
  }

  /** The taker is done with a slab; it comes free once every lease of it is released. */
  give(slab: Uint8Array): void {
    this.#drop(slab);
  }

  /** Drops one hold of a slab; true when that freed it. */
  #drop(slab: Uint8Array): boolean {
    const holds = (this.#holds.get(slab) ?? 1) - 1;
    if (holds > 0) {
      this.#holds.set(slab, holds);
      return false;
    }
    this.#holds.delete(slab);
    if (this.#closed) spareSlabs.give(slab);
    else this.#free.push(slab);
    return true;
  }

  /** The pool's body is over: its free slabs, and every other one when it comes free, go to the spares. */
  close(): void {
    this.#closed = true;
    for (const slab of this.#free.splice(0)) spareSlabs.give(slab);
  }
}

/** A body that can be read as leases (the socket download path). */
export interface LeasedSource {
  /** The next slab of body, or undefined at the end; rejects with the body's error. */
  next(): Promise<BodyLease | undefined>;
  /** Stops reading; the connection is closed. */
  cancel(reason?: unknown): void;
}

/** A web stream over leases: each slab is copied out (the stream's reader may keep its chunks) and released. */
export function leasesToWebStream(source: LeasedSource): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const lease = await source.next();
        if (!lease) {
          controller.close();
          return;
        }
        // A plain Uint8Array, as fetch gives (a Buffer's slice would be a Buffer).
        const copy = new Uint8Array(lease.bytes);
        lease.release();
        controller.enqueue(copy);
      },
      cancel(reason) {
        source.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** Chunks of a web stream that may go back to their pool once sent (see {@link lendChunk}). */
const lentChunks = new WeakMap<Uint8Array, () => void>();

/**
 * Marks a chunk a stream enqueues as reusable once its last reader is done: a sender that knows the bytes
 * have left (a socket write's callback) calls {@link returnChunk}. Transforms pass chunks on as they are, so
 * the mark survives them; a chunk nobody returns is simply collected.
 */
export function lendChunk(bytes: Uint8Array, giveBack: () => void): void {
  lentChunks.set(bytes, giveBack);
}

/** The bytes of `chunk` have been sent: its buffer may be reused, if it was lent. */
export function returnChunk(chunk: Uint8Array): void {
  const giveBack = lentChunks.get(chunk);
  if (!giveBack) return;
  lentChunks.delete(chunk);
  giveBack();
}

/** Lease readers behind web bodies that have one (a socket download's body). */
const leaseReaders = new WeakMap<ReadableStream<Uint8Array>, LeasedSource>();

/** Records that `body` can also be read as leases from `source` (one or the other, never both). */
export function offerLeases(body: ReadableStream<Uint8Array>, source: LeasedSource): void {
  leaseReaders.set(body, source);
}

/** The lease reader behind `body`, if its transport offers one. */
export function leaseSourceOf(body: ReadableStream<Uint8Array>): LeasedSource | undefined {
  return leaseReaders.get(body);
}

/**
 * Reads a body as leases: pooled slabs when its transport offers them (release each once done with it; up to
 * a few may be held at once), else each chunk of the web stream. Breaking out of the loop cancels the body.
 */
export async function* bodyLeases(body: ReadableStream<Uint8Array>): AsyncGenerator<BodyLease> {
  const source = body.locked ? undefined : leaseReaders.get(body);
  if (!source) {
    for await (const bytes of body) yield { bytes, release: () => {} };
    return;
  }
  // Lock the web view so nobody reads the same bytes twice.
  const lock = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const lease = await source.next();
      if (!lease) break;
      yield lease;
    }
    finished = true;
  } finally {
    if (!finished) source.cancel();
    lock.releaseLock();
  }
}

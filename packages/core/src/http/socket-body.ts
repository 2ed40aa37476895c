/**
 * The body of a plain-HTTP socket download (see `socket-download.ts`): the socket reads straight into a few
 * pooled slabs, which are lent as leases, with the socket paused while every slab is out.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { type BodyLease, type LeasedSource, leasesToWebStream, SlabPool } from '../body/leases.js';
import { SpareBuffers } from '../body/spares.js';
import type { BodyGuard } from './guarded-body.js';
import type { BodyDecoder } from './http1.js';

/**
 * Slabs per download: one filling while the other is hashed and written. More were slower here (a B2
 * download of 4 ranges: 0.86 s with 3, 1.3 s with 4, against 0.80 s): with room to spare, the socket is read
 * as soon as anything arrives, in more and shorter reads, on both ends of the connection.
 */
const SLABS = 2;
/** A slab with less room than this left is not read into while another is free (short reads cost CPU). */
const MIN_READ_BYTES = 256 * 1024;
/**
 * Where the socket reads while no slab is free, its bytes copied into one when one comes back. Node asks
 * where to read next only after a read, so the first read after such a pause always lands here: a small
 * buffer made every pause end with a short read, and a B2 download of 4 ranges ~15 % slower. A connection holds
 * one only while it waits for a slab.
 */
const PARKING_BYTES = 1024 * 1024;
const spareParkings = new SpareBuffers<Uint8Array>(PARKING_BYTES, 8, () =>
  Buffer.allocUnsafeSlow(PARKING_BYTES),
);

/**
 * The body of one socket response, handed out as leases of pooled slabs; reading pauses while every slab is
 * lent and resumes when one comes back.
 *
 * The socket reads into the free tail of the slab being filled ({@link readTarget}), so a body framed by its
 * length lands where it is lent without a copy (a copy per byte was 0.3 s of CPU per GB here). Bytes that
 * arrive elsewhere are copied in: those read with the head (into the head buffer) or while no slab was free
 * (into the parking buffer), and chunked bodies, whose chunks are moved down over their framing.
 *
 * A reader waiting for bytes gets those in the slab so far as a lease of that part, while the socket goes on
 * filling the rest: the slab is reused only once it is full (or the body over) and every part of it is back.
 */
export class SocketBody implements LeasedSource {
  readonly #socket: Socket;
  readonly #decoder: BodyDecoder;
  readonly #pool: SlabPool;
  readonly #ready: BodyLease[] = [];
  /** The connection's head buffer: where the socket reads when the body takes no more bytes. */
  readonly #headBuffer: Uint8Array;
  /** Where the socket reads while no slab is free (held only while it waits for one, see PARKING_BYTES). */
  #parking: Uint8Array | undefined;
  #slab: Uint8Array | undefined;
  /** Bytes of `#slab` before `#start` are lent already; `#filled` ends the data. */
  #start = 0;
  #filled = 0;
  /** Bytes of one read that found no free slab: kept until one comes back. */
  #overflow: Uint8Array | undefined;
  #waiter: { resolve: (lease: BodyLease | undefined) => void; reject: (error: unknown) => void } | undefined;
  #error: unknown;
  #ended = false;
  #paused = false;
  #guard: BodyGuard | undefined;
  #waitingSince = performance.now();
  readonly #settled: Array<() => void> = [];
  #used = false;

  /** `headBuffer`: the buffer the socket read the head into, until the body aims it elsewhere. */
  constructor(socket: Socket, decoder: BodyDecoder, headBuffer: Uint8Array) {
    this.#socket = socket;
    this.#decoder = decoder;
    this.#headBuffer = headBuffer;
    this.#pool = new SlabPool(SLABS, () => this.#slabFreed());
    if (decoder.done) this.#finish();
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Puts the body under a guard (idle, deadline, throughput, length, progress). */
  guard(guard: BodyGuard): void {
    this.#guard = guard;
    // Bytes that came with the head or before the guard was attached count as well.
    const failure = this.#report(0) ?? (this.#ended ? guard.ended() : undefined);
    if (failure) {
      this.#ended = false;
      this.destroy(failure);
      return;
    }
    if (this.#ended || this.#error !== undefined) guard.settle();
    else if (!this.#paused) guard.waiting();
  }

  /** Reports bytes not yet counted to the guard: the error that ends the body, if any. */
  #report(waitedMs: number): Error | undefined {
    const arrived = this.#received - this.#counted;
    if (arrived === 0 || !this.#guard) return undefined;
    this.#counted = this.#received;
    return this.#guard.received(arrived, waitedMs);
  }

  onSettled(listener: () => void): void {
    if (this.#ended || this.#error !== undefined) listener();
    else this.#settled.push(listener);
  }

  /** The body as a web stream (copies each slab out). */
  web(): ReadableStream<Uint8Array> {
    return leasesToWebStream(this);
  }

  /** Takes the body's bytes out of a socket read; false when reading must pause. */
  deliver(input: Uint8Array): boolean {
    if (this.#ended || this.#error !== undefined) return false;
    this.#decoder.feed(input, (bytes) => this.#copy(bytes));
    const now = performance.now();
    const failure = this.#report(now - this.#waitingSince);
    this.#waitingSince = now;
    if (failure) {
      this.destroy(failure);
      return false;
    }
    this.checkEnded();
    if (this.#ended) return false;
    // A consumer waiting for data gets what there is rather than waiting for a full slab.
    this.#hand();
    if (this.#paused) this.#guard?.resting();
    else this.#guard?.waiting();
    return !this.#paused;
  }

  /** Body bytes taken from the socket, and how many of them the guard has been told about. */
  #received = 0;
  #counted = 0;
  /** The peer closed the connection where that ends the body. */
  #closedAtEnd = false;

  /** Ends the body once the decoder has seen all of it. */
  checkEnded(): void {
    if (!this.#ended && this.#error === undefined && this.#complete) this.#finish();
  }

  get #complete(): boolean {
    return this.#decoder.done || this.#closedAtEnd;
  }

  /** The connection closed: its head buffer goes to the next connection. */
  closed(): void {
    if (this.#ended || this.#error !== undefined) return;
    // Bytes still waiting for a slab may be a view of that buffer: they are kept as a copy.
    if (this.#overflow) this.#overflow = new Uint8Array(this.#overflow);
    if (this.#decoder.closeEnds()) {
      this.#closedAtEnd = true;
      this.#finish();
    } else this.destroy(new Error('terminated: the connection closed before the body ended'));
  }

  destroy(error: unknown): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#error = error;
    this.#socket.destroy();
    this.#settle();
    if (this.#waiter) {
      const { reject } = this.#waiter;
      this.#waiter = undefined;
      reject(this.#failure());
    }
  }

  /** The body's error as the reader sees it: typed by the guard once there is one. */
  #failure(): unknown {
    if (this.#guard && !this.#mapped) {
      this.#mapped = true;
      this.#error = this.#guard.failed(this.#error);
    }
    return this.#error;
  }

  #mapped = false;

  next(): Promise<BodyLease | undefined> {
    this.#used = true;
    const lease = this.#ready.shift();
    if (lease) return Promise.resolve(lease);
    if (this.#error !== undefined) return Promise.reject(this.#failure());
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      this.#hand();
    });
  }

  /**
   * Where the socket's next read lands, asked after every read (`onread.buffer`): the free tail of the slab
   * being filled; the parking buffer while no slab is free or bytes wait for one; the head buffer once the
   * body takes no more bytes.
   */
  readTarget(): Uint8Array {
    if (this.#ended || this.#error !== undefined) return this.#headBuffer;
    if (this.#overflow) return this.#parkingBuffer();
    if (this.#slab && this.#slab.byteLength - this.#filled < MIN_READ_BYTES) {
      // A short tail makes short reads: a free slab takes the next one, and the tail stays unused.
      const fresh = this.#pool.take();
      if (fresh) {
        this.#dispatch(true);
        this.#slab = fresh;
      }
    }
    this.#slab ??= this.#pool.take();
    if (!this.#slab) return this.#parkingBuffer();
    // Reading goes back into slabs: the parking buffer holds nothing now (no overflow), and the next read lands
    // in the slab, so it goes to the next connection that waits for a slab.
    if (this.#parking) {
      spareParkings.give(this.#parking);
      this.#parking = undefined;
    }
    return this.#slab.subarray(this.#filled);
  }

  #parkingBuffer(): Uint8Array {
    this.#parking ??= spareParkings.take();
    return this.#parking;
  }

  cancel(_reason?: unknown): void {
    for (const lease of this.#ready.splice(0)) lease.release();
    if (this.#ended || this.#error !== undefined) return;
    this.#error = new Error('the body was cancelled');
    this.#socket.destroy();
    this.#settle();
  }

  /** True once a reader took from this body. */
  get used(): boolean {
    return this.#used;
  }

  #copy(bytes: Uint8Array): void {
    this.#received += bytes.byteLength;
    const slab = this.#slab;
    if (
      slab !== undefined &&
      bytes.buffer === slab.buffer &&
      bytes.byteOffset === slab.byteOffset + this.#filled &&
      this.#filled + bytes.byteLength <= slab.byteLength
    ) {
      // Read in place: the bytes are where they belong already.
      this.#filled += bytes.byteLength;
      if (this.#filled === slab.byteLength) this.#dispatch();
      return;
    }
    let at = 0;
    while (at < bytes.byteLength) {
      if (this.#overflow) {
        this.#overflow = joinBytes(this.#overflow, bytes.subarray(at));
        return;
      }
      this.#slab ??= this.#pool.take();
      if (!this.#slab) {
        // A view of the buffer the read landed in (the head or the parking buffer: bytes read in place always
        // fit their slab), not a copy: reading pauses here, so nothing is read into it before a freed slab
        // takes these bytes (`#slabFreed`) and reading resumes.
        this.#overflow = bytes.subarray(at);
        this.#pause();
        return;
      }
      const take = Math.min(this.#slab.byteLength - this.#filled, bytes.byteLength - at);
      this.#slab.set(bytes.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === this.#slab.byteLength) this.#dispatch();
    }
  }

  /**
   * Lends the slab's bytes not lent yet; a full slab, or any with `letGo`, is let go (it comes free when its
   * leases are back).
   */
  #dispatch(letGo = false): void {
    const slab = this.#slab;
    if (!slab) return;
    if (this.#filled > this.#start) this.#ready.push(this.#pool.lend(slab, this.#start, this.#filled));
    this.#start = this.#filled;
    if (this.#filled < slab.byteLength && !letGo) return;
    this.#pool.give(slab);
    this.#slab = undefined;
    this.#start = 0;
    this.#filled = 0;
  }

  /** Gives a waiting reader the next lease: the bytes of the slab so far when none is ready. */
  #hand(): void {
    if (!this.#waiter) return;
    if (this.#ready.length === 0) this.#dispatch();
    const lease = this.#ready.shift();
    if (lease) {
      const { resolve } = this.#waiter;
      this.#waiter = undefined;
      resolve(lease);
    } else if (this.#ended) {
      const { resolve } = this.#waiter;
      this.#waiter = undefined;
      resolve(undefined);
    }
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#guard?.resting();
  }

  #slabFreed(): void {
    if (this.#error !== undefined) return;
    if (this.#overflow) {
      const pending = this.#overflow;
      this.#overflow = undefined;
      this.#received -= pending.byteLength;
      this.#copy(pending);
      if (this.#overflow) {
        this.#hand();
        return;
      }
      if (this.#complete) {
        this.#dispatch();
        this.#finishIfDrained();
        this.#hand();
        return;
      }
    }
    if (this.#paused && !this.#ended) {
      this.#paused = false;
      this.#waitingSince = performance.now();
      this.#guard?.waiting();
      this.#socket.resume();
    }
    this.#hand();
  }

  #finish(): void {
    if (this.#overflow) return; // ends once the overflow found a slab
    this.#finishIfDrained();
  }

  #finishIfDrained(): void {
    if (this.#ended || this.#overflow) return;
    this.#dispatch();
    const short = this.#guard?.ended();
    if (short) {
      this.destroy(short);
      return;
    }
    this.#ended = true;
    this.#socket.destroy();
    this.#settle();
    this.#hand();
  }

  #settle(): void {
    // No more bytes will come: an unlent slab, and every lent one once released, go to the spares.
    if (this.#slab) this.#pool.give(this.#slab);
    this.#slab = undefined;
    // The socket is closed: nothing reads into the parking buffer any more, and no overflow is left in it
    // (the body ends only once its overflow found a slab; an error drops it).
    if (this.#parking) spareParkings.give(this.#parking);
    this.#parking = undefined;
    this.#overflow = undefined;
    this.#start = 0;
    this.#filled = 0;
    this.#pool.close();
    this.#guard?.settle();
    for (const listener of this.#settled.splice(0)) listener();
  }
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}

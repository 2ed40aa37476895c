/**
 * The body of a plain-HTTP socket download (see `socket-download.ts`): bytes decoded from the framing are
 * copied into a few pooled slabs and lent as leases, with the socket paused while every slab is out.
 *
 * @module
 */
import type { Socket } from 'node:net';
import { type BodyLease, type LeasedSource, leasesToWebStream, SlabPool } from '../body/leases.js';
import type { BodyGuard } from './guarded-body.js';
import type { BodyDecoder } from './http1.js';

/**
 * Slabs per download: one filling while the other is hashed and written. With the 1 MiB socket reads of
 * `socket-download.ts`, two are as fast as three here and keep a 4-range download ~5 MiB smaller.
 */
const SLABS = 2;

/**
 * The body of one socket response: bytes decoded from the framing are copied into pooled slabs and handed out
 * as leases; reading pauses while every slab is lent and resumes when one comes back.
 */
export class SocketBody implements LeasedSource {
  readonly #socket: Socket;
  readonly #decoder: BodyDecoder;
  readonly #pool: SlabPool;
  readonly #ready: BodyLease[] = [];
  #slab: Uint8Array | undefined;
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

  constructor(socket: Socket, decoder: BodyDecoder) {
    this.#socket = socket;
    this.#decoder = decoder;
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
    if (this.#waiter && this.#filled > 0) this.#dispatch();
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

  /** The connection closed. */
  closed(): void {
    if (this.#ended || this.#error !== undefined) return;
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
      if (this.#filled > 0) {
        this.#dispatch();
        this.#hand();
      }
    });
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
    let at = 0;
    while (at < bytes.byteLength) {
      if (this.#overflow) {
        this.#overflow = joinBytes(this.#overflow, bytes.subarray(at));
        return;
      }
      this.#slab ??= this.#pool.take();
      if (!this.#slab) {
        // A view of the connection's read buffer, not a copy: reading pauses here, so nothing is read into it
        // before a freed slab takes these bytes (`#slabFreed`) and reading resumes.
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

  #dispatch(): void {
    if (!this.#slab || this.#filled === 0) return;
    this.#ready.push(this.#pool.lend(this.#slab, this.#filled));
    this.#slab = undefined;
    this.#filled = 0;
  }

  #hand(): void {
    if (!this.#waiter) return;
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
      if (this.#overflow) return;
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

/**
 * Storing a large upload with its SHA-1 and MD5 computed, and its bytes written, on a worker thread. On the
 * event loop, hashing was the emulator's limit for every client's uploads: ~1.1 CPU-seconds of the ~2.3 it
 * spent on a 512 MiB B2 upload, while the same thread also had to read the sockets. The loop now only copies
 * each megabyte into a slab and hands the slab over (transferred, not copied); a worker hashes the slabs in
 * order, on disk writes them, and hands each back. Bodies that arrive together go to different workers.
 *
 * Slabs are plain `ArrayBuffer`s moved back and forth, not one `SharedArrayBuffer`: V8 copies into shared
 * memory with relaxed atomics, byte by byte when the source is not word-aligned, and a request body's chunks
 * start wherever the HTTP framing left them. Profiled on a 512 MiB upload, the copy went from 0.25 to 0.18
 * CPU-s of the loop (what is left is memory traffic).
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CHUNK } from './blob-chunks.js';

/** Slabs one body may have with the worker at once: how far the socket runs ahead of the hashing. */
const SLABS_IN_FLIGHT = 4;

/**
 * The worker, as a CommonJS script (an eval worker needs no file beside the compiled code, under tests as in
 * `dist`). Jobs are kept apart by id; a job's messages arrive in order, so its slabs are hashed in order.
 * Every slab goes back with its 'done'. A write error is kept and reported at the end; a job is dropped on
 * request once its queued slabs are done.
 */
export const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { writeSync } = require('node:fs');
const jobs = new Map();
parentPort.on('message', (m) => {
  if (m.type === 'open') {
    jobs.set(m.job, { sha1: createHash('sha1'), md5: createHash('md5'), fd: m.fd, error: undefined });
    return;
  }
  const job = jobs.get(m.job);
  if (m.type === 'bytes') {
    if (job && job.error === undefined) {
      try {
        const view = new Uint8Array(m.buffer, 0, m.length);
        job.sha1.update(view);
        job.md5.update(view);
        for (let done = 0; job.fd !== undefined && done < m.length; ) {
          const n = writeSync(job.fd, view, done, m.length - done, m.position + done);
          if (n === 0) throw new Error('short write at ' + (m.position + done));
          done += n;
        }
      } catch (error) {
        job.error = String((error && error.message) || error);
      }
    }
    parentPort.postMessage({ type: 'done', job: m.job, buffer: m.buffer }, [m.buffer]);
    return;
  }
  jobs.delete(m.job);
  if (m.type === 'end')
    parentPort.postMessage(
      !job || job.error !== undefined
        ? { type: 'end', job: m.job, error: job ? job.error : 'unknown job' }
        : { type: 'end', job: m.job, sha1: job.sha1.digest('hex'), md5: job.md5.digest('hex') },
    );
  else parentPort.postMessage({ type: 'dropped', job: m.job });
});
`;

export type Reply =
  | { type: 'done'; job: number; buffer: ArrayBuffer }
  | { type: 'end'; job: number; sha1?: string; md5?: string; error?: string }
  | { type: 'dropped'; job: number };

export interface JobHandlers {
  /** The worker is through with the oldest slab it had of this job, and gives it back. */
  done(slab: ArrayBuffer): void;
  settle(reply: Reply): void;
  fail(error: Error): void;
}

/**
 * Digest workers for the process, each started on first use; they never keep the process alive. A body is
 * one job, held by one worker (its slabs must be hashed in order), and goes to the worker with the fewest
 * jobs: the parts of a large file arrive in parallel, and with one worker for all of them their hashing ran
 * one after another, on one core, the last step of every upload (B2 hashes each part on its own).
 */
export class DigestWorkers {
  readonly #source: string;
  readonly #workers: Array<Worker | undefined>;
  /** Open jobs of each worker. */
  readonly #load: number[];
  #next = 1;
  readonly #jobs = new Map<number, { readonly handlers: JobHandlers; readonly slot: number }>();

  /** `source`: the worker's script (tests give one that fails on cue). */
  constructor(size: number, source = WORKER_SOURCE) {
    this.#source = source;
    this.#workers = Array.from({ length: size }, () => undefined);
    this.#load = Array.from({ length: size }, () => 0);
  }

  open(fd: number | undefined, handlers: JobHandlers): number {
    const job = this.#next++;
    const slot = this.#load.indexOf(Math.min(...this.#load));
    this.#jobs.set(job, { handlers, slot });
    this.#load[slot]! += 1;
    this.#ensure(slot).postMessage({ type: 'open', job, fd });
    return job;
  }

  post(message: { readonly job: number } & Record<string, unknown>, transfer: ArrayBuffer[] = []): void {
    const held = this.#jobs.get(message.job);
    // A job its worker's death already failed: nothing is listening for the answer.
    if (held) this.#ensure(held.slot).postMessage(message, transfer);
  }

  forget(job: number): void {
    const held = this.#jobs.get(job);
    if (!held) return;
    this.#jobs.delete(job);
    this.#load[held.slot]! -= 1;
  }

  #ensure(slot: number): Worker {
    const running = this.#workers[slot];
    if (running) return running;
    const worker = new Worker(this.#source, { eval: true });
    worker.on('message', (reply: Reply) => {
      const job = this.#jobs.get(reply.job)?.handlers;
      if (reply.type === 'done') job?.done(reply.buffer);
      else job?.settle(reply);
    });
    // A worker that dies fails every body it held; the next body for its slot starts a new one.
    const lost = (error: Error) => {
      if (this.#workers[slot] !== worker) return;
      this.#workers[slot] = undefined;
      for (const [job, held] of this.#jobs)
        if (held.slot === slot) {
          this.forget(job);
          held.handlers.fail(error);
        }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the digest worker exited (${code})`)));
    // After the listeners: a 'message' listener refs the worker again, and the emulator would never exit.
    worker.unref();
    this.#workers[slot] = worker;
    return worker;
  }
}

/** As many workers as parts a client sends at once (b2sdk and mediaferry: 4), at most one per core. */
const worker = new DigestWorkers(Math.max(1, Math.min(4, availableParallelism())));

/**
 * One body on its way to the worker: {@link add} copies chunks into slabs and waits only while
 * {@link SLABS_IN_FLIGHT} are with the worker. With `fd` the worker writes each slab at its position in the
 * file and the slab is used again; without, the slabs it gives back are the blob's bytes in memory (what
 * {@link finish} returns as `chunks`).
 */
export class OffThreadBody {
  readonly #job: number;
  readonly #keep: boolean;
  /** Lengths of the slabs with the worker, oldest first (it gives them back in order). */
  readonly #sent: number[] = [];
  /** Slabs the worker gave back, to fill again (on disk only). */
  readonly #free: ArrayBuffer[] = [];
  readonly #kept: Uint8Array[] = [];
  #slab = new ArrayBuffer(CHUNK);
  #filled = 0;
  #position = 0;
  #wake: (() => void) | undefined;
  #ending: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;
  /** The worker has answered `end`: the job is over there, whatever the answer. */
  #ended = false;
  #dropped: Promise<void> | undefined;

  constructor(fd: number | undefined) {
    this.#keep = fd === undefined;
    this.#job = worker.open(fd, {
      done: (slab) => {
        const length = this.#sent.shift() ?? 0;
        // In memory the slabs are the blob, a short last one copied out so it does not keep an unused megabyte.
        if (this.#keep) {
          const bytes = new Uint8Array(slab, 0, length);
          this.#kept.push(length < CHUNK ? bytes.slice() : bytes);
        } else this.#free.push(slab);
        this.#wake?.();
      },
      settle: (reply) => this.#ending?.resolve(reply),
      fail: (error) => {
        this.#failure = error;
        this.#wake?.();
        this.#ending?.reject(error);
      },
    });
  }

  /** Copies a chunk in; resolves once the worker has room for what is full. */
  async add(chunk: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(CHUNK - this.#filled, chunk.byteLength - offset);
      new Uint8Array(this.#slab, this.#filled, take).set(chunk.subarray(offset, offset + take));
      this.#filled += take;
      offset += take;
      if (this.#filled === CHUNK) await this.#send();
    }
  }

  /** Sends what is left and returns the digests, once every byte is hashed (and written). */
  async finish(): Promise<{ sha1: string; md5: string; chunks: Uint8Array[] }> {
    if (this.#filled > 0) await this.#send();
    // The worker answers `end` after giving back every slab of the job, so `#kept` is whole by then.
    const reply = await new Promise<Reply>((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      this.#ending = { resolve, reject };
      worker.post({ type: 'end', job: this.#job });
    });
    this.#ended = true;
    worker.forget(this.#job);
    if (reply.type !== 'end' || reply.error !== undefined || !reply.sha1 || !reply.md5)
      throw new Error(`storing the body failed: ${reply.type === 'end' ? reply.error : reply.type}`);
    return { sha1: reply.sha1, md5: reply.md5, chunks: this.#kept };
  }

  /**
   * Abandons the body; resolves once the worker will not touch the file again (it may then be closed). Safe
   * to call more than once, and after {@link finish} (the worker is then done with it already).
   */
  drop(): Promise<void> {
    if (this.#failure || this.#ended) return Promise.resolve();
    this.#dropped ??= new Promise<void>((resolve) => {
      this.#ending = { resolve: () => resolve(), reject: () => resolve() };
      worker.post({ type: 'drop', job: this.#job });
    }).then(() => worker.forget(this.#job));
    return this.#dropped;
  }

  async #send(): Promise<void> {
    while (this.#sent.length >= SLABS_IN_FLIGHT && !this.#failure)
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    if (this.#failure) throw this.#failure;
    const buffer = this.#slab;
    const length = this.#filled;
    // Transferred: `buffer` is empty here from now on, until the worker gives it back.
    worker.post({ type: 'bytes', job: this.#job, buffer, length, position: this.#position }, [buffer]);
    this.#sent.push(length);
    this.#position += length;
    this.#slab = this.#free.pop() ?? new ArrayBuffer(CHUNK);
    this.#filled = 0;
  }
}

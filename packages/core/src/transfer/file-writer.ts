/**
 * Positioned file writes, one in flight while the next bytes arrive: receiving, hashing and writing overlap
 * instead of taking turns, and each lease goes back to its pool as soon as its bytes are on their way to disk.
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import type { BodyLease } from '../body/leases.js';

export class PipelinedWriter {
  readonly #handle: FileHandle;
  readonly #flush: EarlyFlush | undefined;
  readonly #onWritten: ((position: number, length: number) => void) | undefined;
  /** The write in flight. */
  #writing: Promise<void> | undefined;
  /** Leases that arrived while a write was in flight, contiguous from `#gatheredAt`: the next write. */
  #gathered: BodyLease[] = [];
  #gatheredAt = 0;
  #gatheredBytes = 0;
  #error: { readonly cause: unknown } | undefined;

  /**
   * One write is in flight at a time; leases that arrive meanwhile are gathered (up to {@link GATHER_BYTES})
   * and written together, in one `writev`, when it is done: every write wakes a thread-pool worker, which is
   * costly on a machine with few cores, and a socket lends its bytes read by read (~250 KB each here).
   * `flush`: told of every write done, to start the disk's writeback early. `onWritten`: called as each
   * write's bytes are in the file.
   */
  constructor(
    handle: FileHandle,
    options: {
      flush?: EarlyFlush | undefined;
      onWritten?: ((position: number, length: number) => void) | undefined;
    } = {},
  ) {
    this.#handle = handle;
    this.#flush = options.flush;
    this.#onWritten = options.onWritten;
  }

  /** Queues the lease's bytes at `position`; waits only while it can neither be written nor gathered. */
  async write(lease: BodyLease, position: number): Promise<void> {
    this.#throwIfFailed(lease);
    // Gathered leases imply a write in flight: the lease waits for it if it cannot join them.
    while (this.#gathered.length > 0 && !this.#canGather(position)) {
      await this.#writing;
      this.#throwIfFailed(lease);
    }
    if (!this.#writing) {
      this.#start([lease], position);
      return;
    }
    if (this.#gathered.length === 0) this.#gatheredAt = position;
    this.#gathered.push(lease);
    this.#gatheredBytes += lease.bytes.byteLength;
  }

  /** Waits for every write; throws the first write error. */
  async drain(): Promise<void> {
    const failed = await this.settle();
    if (failed) throw failed.cause;
  }

  /** Waits for every write; returns the first write error instead of throwing it. */
  async settle(): Promise<{ readonly cause: unknown } | undefined> {
    // A write that ends starts the gathered ones: wait until none is left.
    while (this.#writing) await this.#writing;
    return this.#error;
  }

  #canGather(position: number): boolean {
    return position === this.#gatheredAt + this.#gatheredBytes && this.#gatheredBytes < GATHER_BYTES;
  }

  #start(leases: BodyLease[], position: number): void {
    this.#writing = this.#writeAll(leases, position)
      .catch((error: unknown) => {
        this.#error ??= { cause: error };
      })
      .finally(() => {
        for (const lease of leases) lease.release();
        this.#writing = undefined;
        this.#startGathered();
      });
  }

  #startGathered(): void {
    if (this.#gathered.length === 0) return;
    const leases = this.#gathered;
    this.#gathered = [];
    this.#gatheredBytes = 0;
    if (this.#error) for (const lease of leases) lease.release();
    else this.#start(leases, this.#gatheredAt);
  }

  async #writeAll(leases: readonly BodyLease[], position: number): Promise<void> {
    let buffers = leases.map((lease) => lease.bytes);
    const length = buffers.reduce((sum, bytes) => sum + bytes.byteLength, 0);
    let done = 0;
    while (done < length) {
      const { bytesWritten } =
        buffers.length === 1
          ? await this.#handle.write(buffers[0]!, 0, buffers[0]!.byteLength, position + done)
          : await this.#handle.writev(buffers, position + done);
      if (bytesWritten === 0) throw new Error(`writing at ${position + done} made no progress`);
      done += bytesWritten;
      if (done < length) buffers = rest(buffers, bytesWritten);
    }
    this.#flush?.wrote(done);
    this.#onWritten?.(position, done);
  }

  #throwIfFailed(lease: BodyLease): void {
    if (!this.#error) return;
    lease.release();
    throw this.#error.cause;
  }
}

/** Bytes gathered for one write at most. */
const GATHER_BYTES = 4 * 1024 * 1024;

/** The buffers after the first `skip` bytes of them (what a short write left). */
function rest(buffers: readonly Uint8Array[], skip: number): Uint8Array[] {
  const left: Uint8Array[] = [];
  for (const bytes of buffers) {
    if (skip >= bytes.byteLength) {
      skip -= bytes.byteLength;
      continue;
    }
    left.push(skip > 0 ? bytes.subarray(skip) : bytes);
    skip = 0;
  }
  return left;
}

/**
 * Starts the disk's writeback while a download is still arriving. After every `every` bytes written, one
 * fdatasync runs in the background, so the fsync before the rename flushes only the tail instead of the whole
 * file (for 512 MiB, 0.3 s of waiting at the end here). It changes when bytes reach the disk, never whether:
 * `sync()` still decides, and an error of a background flush is thrown there, because Linux reports a
 * writeback error to one fsync of a descriptor only.
 */
export class EarlyFlush {
  readonly #handle: FileHandle;
  readonly #every: number;
  #since = 0;
  #running: Promise<void> | undefined;
  #error: { readonly cause: unknown } | undefined;

  constructor(handle: FileHandle, every = 32 * 1024 * 1024) {
    this.#handle = handle;
    this.#every = every;
  }

  /** `bytes` more were written; starts a flush when `every` have gathered and none is running. */
  wrote(bytes: number): void {
    this.#since += bytes;
    if (this.#since < this.#every || this.#running) return;
    this.#since = 0;
    this.#running = this.#handle
      .datasync()
      .catch((error: unknown) => {
        this.#error ??= { cause: error };
      })
      .finally(() => {
        this.#running = undefined;
      });
  }

  /** Flushes everything (fsync, with metadata), after the background flush; throws its error if it failed. */
  async sync(): Promise<void> {
    await this.settled();
    if (this.#error) throw this.#error.cause;
    await this.#handle.sync();
  }

  /** Waits for a background flush (before the file is closed or truncated), whatever its outcome. */
  async settled(): Promise<void> {
    while (this.#running) await this.#running;
  }
}

/**
 * Positioned file writes kept in flight while the next bytes arrive: receiving, hashing and writing overlap
 * instead of taking turns, and each lease goes back to its pool as soon as its bytes are on their way to disk.
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import type { BodyLease } from '../body/leases.js';

export class PipelinedWriter {
  readonly #handle: FileHandle;
  readonly #depth: number;
  readonly #flush: EarlyFlush | undefined;
  readonly #onWritten: ((position: number, length: number) => void) | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #error: { readonly cause: unknown } | undefined;

  /**
   * `depth`: writes in flight at most (each holds its lease until written). `flush`: told of every write
   * done, to start the disk's writeback early. `onWritten`: called as each lease's bytes are in the file.
   */
  constructor(
    handle: FileHandle,
    options: {
      depth?: number;
      flush?: EarlyFlush | undefined;
      onWritten?: ((position: number, length: number) => void) | undefined;
    } = {},
  ) {
    this.#handle = handle;
    this.#depth = options.depth ?? 2;
    this.#flush = options.flush;
    this.#onWritten = options.onWritten;
  }

  /** Queues the lease's bytes at `position`; waits only while `depth` writes are in flight. */
  async write(lease: BodyLease, position: number): Promise<void> {
    this.#throwIfFailed(lease);
    while (this.#inFlight.size >= this.#depth) await Promise.race(this.#inFlight);
    this.#throwIfFailed(lease);
    const written = this.#writeAll(lease.bytes, position)
      .catch((error: unknown) => {
        this.#error ??= { cause: error };
      })
      .finally(() => {
        lease.release();
        this.#inFlight.delete(written);
      });
    this.#inFlight.add(written);
  }

  /** Waits for every write; throws the first write error. */
  async drain(): Promise<void> {
    await Promise.all(this.#inFlight);
    if (this.#error) throw this.#error.cause;
  }

  /** Waits for every write; returns the first write error instead of throwing it. */
  async settle(): Promise<{ readonly cause: unknown } | undefined> {
    await Promise.all(this.#inFlight);
    return this.#error;
  }

  async #writeAll(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.#handle.write(
        bytes,
        done,
        bytes.byteLength - done,
        position + done,
      );
      if (bytesWritten === 0) throw new Error(`writing at ${position + done} made no progress`);
      done += bytesWritten;
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

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
  readonly #inFlight = new Set<Promise<void>>();
  #error: { readonly cause: unknown } | undefined;

  /** `depth`: writes in flight at most (each holds its lease until written). */
  constructor(handle: FileHandle, depth = 2) {
    this.#handle = handle;
    this.#depth = depth;
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
  }

  #throwIfFailed(lease: BodyLease): void {
    if (!this.#error) return;
    lease.release();
    throw this.#error.cause;
  }
}

import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlobStore } from './blobs.js';
import { type AcquireOptions, DataDirBusyError, DirLock } from './lock.js';
import { makeDir } from './make-dir.js';
import { type PersistedState, StateFile } from './persistence.js';

/** A data directory the emulator cannot use (missing parent, read-only, not a directory…). */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

/**
 * The on-disk side of one emulator, `<data>/<service>/` (mode 0700): an exclusive lock, the state file and
 * the blob files, and the clean-up a crash calls for at the next start.
 */
export class DataDir {
  readonly dir: string;
  readonly state: StateFile;
  readonly #blobs: BlobStore;
  #lock: DirLock | undefined;

  constructor(dir: string, blobs: BlobStore) {
    this.dir = dir;
    this.#blobs = blobs;
    this.state = new StateFile(join(dir, 'state.json'), {
      prepare: () => blobs.prepareCommit(),
      committed: () => blobs.committed(),
      failed: () => blobs.commitFailed(),
    });
  }

  /** Makes the directory, takes its lock and reads the saved state, failing with one clear line. */
  async open(lock: AcquireOptions = {}): Promise<PersistedState | undefined> {
    try {
      await makeDir(this.dir);
      await chmod(this.dir, 0o700);
    } catch (error) {
      throw new DataDirError(`cannot keep emulator state in ${this.dir}: ${(error as Error).message}`);
    }
    try {
      this.#lock = await DirLock.acquire(this.dir, lock);
    } catch (error) {
      if (error instanceof DataDirBusyError || lock.signal?.aborted) throw error;
      throw new DataDirError(`cannot keep emulator state in ${this.dir}: ${(error as Error).message}`);
    }
    try {
      return await this.state.read();
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  /** After the saved blob records are restored: drops what a crash left behind (orphan blobs, temp files). */
  async sweep(): Promise<string[]> {
    const temps = await this.state.sweepTemps();
    const orphans = await this.#blobs.sweep();
    return [...temps, ...orphans];
  }

  /** Tells whoever finds the directory locked where this emulator serves. */
  async advertise(url: string): Promise<void> {
    await this.#lock?.update({ url });
  }

  async release(): Promise<void> {
    await this.#lock?.release();
    this.#lock = undefined;
  }
}

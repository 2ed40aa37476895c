import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BlobRecord } from './blobs.js';

/** What `<data>/<service>/state.json` holds. */
export interface PersistedState {
  readonly version: 1;
  readonly service: string;
  readonly idSeed: string;
  readonly idCounter: number;
  readonly clockOffsetMs: number;
  readonly state: unknown;
  readonly blobs: BlobRecord[];
}

/**
 * The state file of one service. Saves are coalesced (a burst of writes costs one save) and atomic (temp
 * file + rename), so a crash mid-save leaves the previous state intact.
 */
export class StateFile {
  readonly #path: string;
  #pending: (() => PersistedState) | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  async read(): Promise<PersistedState | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = JSON.parse(text) as PersistedState;
    if (parsed.version !== 1)
      throw new Error(`${this.#path}: unsupported state version ${String(parsed.version)}`);
    return parsed;
  }

  /** Saves soon; calls made before the save starts share it. */
  schedule(snapshot: () => PersistedState): void {
    const first = this.#pending === undefined;
    this.#pending = snapshot;
    if (!first) return;
    this.#writing = this.#writing.then(
      () =>
        new Promise<void>((resolve) => {
          setImmediate(() => {
            this.#writeNow().then(resolve, (error: unknown) => {
              console.error(`could not save emulator state to ${this.#path}:`, error);
              resolve();
            });
          });
        }),
    );
  }

  /** Writes any pending snapshot (or the given one) and waits for it. */
  async flush(snapshot: () => PersistedState): Promise<void> {
    await this.#writing;
    this.#pending = snapshot;
    await this.#writeNow();
  }

  async #writeNow(): Promise<void> {
    const snapshot = this.#pending;
    this.#pending = undefined;
    if (!snapshot) return;
    // The state holds credentials and signing keys: readable by the owner only.
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    const temp = `${this.#path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(snapshot(), null, 1), { mode: 0o600 });
    await rename(temp, this.#path);
  }
}

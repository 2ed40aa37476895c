import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/** Steps a commit runs around writing the state file (the blob store's part of a commit). */
export interface CommitHooks {
  /** Runs after the snapshot is taken, before it is written: makes what it references durable. */
  prepare?(): Promise<void>;
  /** Runs once the new state file is durable. */
  committed?(): Promise<void>;
  /** Runs when a commit failed. */
  failed?(): void;
}

/** Makes a directory's entries (a new or renamed file in it) durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The state file of one service. A commit is durable when its promise settles: the snapshot goes to a
 * temporary file (mode 0600) that is fsynced, renamed over the state file, and the directory fsynced, so a
 * crash at any point leaves either the previous state or the new one. Commits asked for while one is being
 * written share the next write (group commit): a burst of requests costs two writes, not one per request.
 * A snapshot that reads the same as the state file already holds is not written again: every B2 call is a
 * POST, listings included, and each would otherwise cost a write and two fsyncs.
 */
export class StateFile {
  readonly #path: string;
  readonly #hooks: CommitHooks;
  #snapshot: (() => PersistedState) | undefined;
  #queued: Promise<void> | undefined;
  #inFlight: Promise<void> = Promise.resolve();
  #sequence = 0;
  /** What the state file holds, as last read or written. */
  #durable: string | undefined;

  constructor(path: string, hooks: CommitHooks = {}) {
    this.#path = path;
    this.#hooks = hooks;
  }

  get path(): string {
    return this.#path;
  }

  async read(): Promise<PersistedState | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    let parsed: PersistedState;
    try {
      parsed = JSON.parse(text) as PersistedState;
    } catch (error) {
      throw new Error(
        `${this.#path} is not valid JSON (${(error as Error).message}); move it away to start from a fresh state`,
      );
    }
    if (parsed.version !== 1)
      throw new Error(`${this.#path}: unsupported state version ${String(parsed.version)}`);
    this.#durable = text;
    return parsed;
  }

  /**
   * Writes the state as `snapshot` returns it when the write starts, and resolves once that is durable.
   * Every change made before the call is in the write the promise waits for.
   */
  commit(snapshot: () => PersistedState): Promise<void> {
    this.#snapshot = snapshot;
    if (!this.#queued) {
      const queued = this.#inFlight.then(() => {
        this.#queued = undefined;
        const write = this.#write();
        this.#inFlight = write.catch(() => {});
        return write;
      });
      this.#queued = queued;
    }
    return this.#queued;
  }

  /** Settles when every commit asked for so far has been written (or has failed). */
  async idle(): Promise<void> {
    await (this.#queued ?? this.#inFlight).catch(() => {});
  }

  /** Deletes temporary files a crash left beside the state file. */
  async sweepTemps(): Promise<string[]> {
    const dir = dirname(this.#path);
    const prefix = `${basename(this.#path)}.`;
    const names = await readdir(dir).catch(() => [] as string[]);
    const temps = names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'));
    await Promise.all(temps.map((name) => unlink(join(dir, name)).catch(() => {})));
    return temps;
  }

  async #write(): Promise<void> {
    const snapshot = this.#snapshot;
    if (!snapshot) return;
    // Serialised now, synchronously: the state cannot change half-way through the snapshot.
    const text = JSON.stringify(snapshot());
    try {
      await this.#hooks.prepare?.();
      // A snapshot the file holds already is not written again; the blob store still gets its turn.
      if (text !== this.#durable) await this.#replace(text);
    } catch (error) {
      this.#hooks.failed?.();
      throw error;
    }
    await this.#hooks.committed?.();
  }

  /** Puts `text` in place of the state file: a temporary file, fsynced, renamed over it, the directory fsynced. */
  async #replace(text: string): Promise<void> {
    this.#sequence += 1;
    const temp = `${this.#path}.${process.pid}-${this.#sequence}.tmp`;
    try {
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.#path);
      await syncDir(dirname(this.#path));
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    this.#durable = text;
  }
}

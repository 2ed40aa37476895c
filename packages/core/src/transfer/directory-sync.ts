/**
 * Making a rename durable: an fsync of the folder it happened in. Downloads that finish together in one
 * folder (a pull of 200 clips, eight at a time) share these fsyncs instead of each forcing its own journal
 * commit: a caller waits for an fsync that started after it called, and every caller that arrives while one
 * runs shares the next.
 *
 * @module
 */
import { open } from 'node:fs/promises';

/** fsyncs a folder; not supported everywhere (Windows), where it is skipped. */
async function fsyncFolder(path: string): Promise<void> {
  const dir = await open(path, 'r').catch(() => undefined);
  if (!dir) return;
  await dir.sync().catch(() => {});
  await dir.close().catch(() => {});
}

/** A folder's fsync running, and the one queued behind it. */
interface FolderSync {
  running: Promise<void> | undefined;
  queued: Promise<void> | undefined;
}

/** The fsyncs of each folder. */
export class FolderSyncs {
  readonly #syncs = new Map<string, FolderSync>();
  readonly #fsync: (path: string) => Promise<void>;

  constructor(fsync: (path: string) => Promise<void> = fsyncFolder) {
    this.#fsync = fsync;
  }

  /** Resolves once an fsync of `path` that started after this call has finished. */
  sync(path: string): Promise<void> {
    let state = this.#syncs.get(path);
    if (!state) {
      state = { running: undefined, queued: undefined };
      this.#syncs.set(path, state);
    }
    const running = state.running;
    if (!running) return this.#start(path, state);
    // The one running may have started before the caller's rename: the next one, shared, covers it.
    const current = state;
    const next = () => {
      current.queued = undefined;
      return this.#start(path, current);
    };
    current.queued ??= running.then(next, next);
    return current.queued;
  }

  #start(path: string, state: FolderSync): Promise<void> {
    const running = this.#fsync(path).finally(() => {
      if (state.running === running) state.running = undefined;
      // Nothing runs or waits: forget the folder (a copy of a tree touches many).
      if (!state.running && !state.queued && this.#syncs.get(path) === state) this.#syncs.delete(path);
    });
    state.running = running;
    return running;
  }
}

const folderSyncs = new FolderSyncs();

/** fsyncs a folder, making a rename in it durable, sharing the fsync with renames that land meanwhile. */
export function syncDirectory(path: string): Promise<void> {
  return folderSyncs.sync(path);
}

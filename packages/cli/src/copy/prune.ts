/**
 * The delete side of `sync --delete`: what a destination holds, and taking one of its files away. Only a
 * sync whose every copy succeeded over a complete listing ever calls {@link Pruner.remove}.
 *
 * @module
 */
import { lstat, rmdir, unlink } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import { openJail, safeJoin, UnsafePathError } from '@mediaferry/core';
import { walkFiles } from './walk.js';

/** A file the destination holds, named relative to the destination's root. */
export interface Held {
  readonly path: string;
  readonly size?: number | undefined;
  readonly modifiedMs?: number | undefined;
}

export interface Pruner {
  /** What a removal does here, for reports: `delete`, `hide`, `delete every version of`. */
  readonly verb: string;
  list(signal: AbortSignal): AsyncIterable<Held>;
  /** Removes one file (by its relative path); throws when it cannot. */
  remove(path: string, signal: AbortSignal): Promise<void>;
}

/** A local folder's files; removal unlinks the file (never through a link) and then folders it left empty. */
export async function localPruner(root: string): Promise<Pruner> {
  const jail = await openJail(root);
  return {
    verb: 'delete',
    async *list() {
      for await (const file of walkFiles(jail.root)) {
        const info = await lstat(file, { bigint: true }).catch(() => undefined);
        if (!info?.isFile()) continue;
        yield {
          path: relative(jail.root, file).split(sep).join('/'),
          size: Number(info.size),
          modifiedMs: Math.round(Number(info.mtimeNs) / 1e6),
        };
      }
    },
    async remove(path) {
      const file = safeJoin(jail.root, path);
      await jail.verify(file);
      const info = await lstat(file);
      if (!info.isFile()) throw new UnsafePathError(path, 'is no longer a regular file; left in place');
      await unlink(file);
      for (let dir = dirname(file); dir !== jail.root && dir.startsWith(jail.root); dir = dirname(dir)) {
        const removed = await rmdir(dir).then(
          () => true,
          () => false,
        );
        if (!removed) break;
      }
    },
  };
}

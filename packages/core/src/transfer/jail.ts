/**
 * A destination folder as a jail: names from a server are placed inside it and nowhere else. Every folder
 * between the root and a file is checked with `lstat` (a symbolic link or anything but a folder is refused,
 * so no write can be redirected out of the root), missing folders are created one level at a time, and the
 * check is repeated right before the final rename to shrink the window in which a folder could be swapped.
 *
 * @module
 */
import { constants } from 'node:fs';
import { access, lstat, mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InvalidInputError, UnsafePathError } from '../errors.js';
import { safeJoin } from './safe-path.js';
import { NAME_MAX_BYTES } from './temp-names.js';

export interface Jail {
  /** The root, as a real path (symbolic links in the root's own path resolved once, by the user's choice). */
  readonly root: string;
  /**
   * The absolute path of an untrusted `/`-separated name inside the root, its folders created. Throws
   * {@link UnsafePathError} for a name that would leave the root, cross a symbolic link or a non-folder, or
   * that has a segment longer than {@link NAME_MAX_BYTES}.
   */
  place(name: string): Promise<string>;
  /** Re-checks every folder between the root and `path` (call right before renaming into `path`). */
  verify(path: string): Promise<void>;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Creates `path` and its missing parents one level at a time (a recursive mkdir can spin forever on /proc). */
async function createFolder(path: string): Promise<void> {
  const info = await stat(path).catch((error: unknown) => {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  });
  if (info) {
    if (!info.isDirectory()) throw Object.assign(new Error(`${path} is not a folder`), { code: 'ENOTDIR' });
    return;
  }
  const parent = dirname(path);
  if (parent !== path) await createFolder(parent);
  await mkdir(path).catch((error: unknown) => {
    if (errno(error) !== 'EEXIST') throw error;
  });
}

/** Checks the folders of `segments` below `root`, creating missing ones when `create` is set. */
async function walk(root: string, name: string, segments: readonly string[], create: boolean): Promise<void> {
  let dir = root;
  for (const segment of segments) {
    dir = join(dir, segment);
    let info = await lstat(dir).catch(() => undefined);
    if (!info && create) {
      await mkdir(dir).catch((error: unknown) => {
        if (errno(error) !== 'EEXIST') throw error;
      });
      info = await lstat(dir);
    }
    if (!info) return;
    const shown = relative(root, dir).split(sep).join('/');
    if (info.isSymbolicLink())
      throw new UnsafePathError(name, `${shown} is a symbolic link (nothing is written through links)`);
    if (!info.isDirectory()) throw new UnsafePathError(name, `${shown} exists and is not a folder`);
  }
}

/**
 * Opens `root` as a jail: creates it if missing and checks it is a writable folder. A destination that cannot
 * be one (`/proc/x`, a file, a read-only folder) fails here, before any transfer, with
 * {@link InvalidInputError} on `destination`.
 */
export async function openJail(root: string): Promise<Jail> {
  const absolute = resolve(root);
  let real: string;
  try {
    await createFolder(absolute);
    real = await realpath(absolute);
    await access(real, constants.W_OK);
  } catch (error) {
    const code = errno(error);
    throw new InvalidInputError(
      'destination',
      `${root} cannot be used as a destination folder${code ? ` (${code})` : ''}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    root: real,
    async place(name) {
      const target = safeJoin(real, name);
      const segments = name.split('/');
      const long = segments.find((s) => Buffer.byteLength(s, 'utf8') > NAME_MAX_BYTES);
      if (long !== undefined)
        throw new UnsafePathError(
          name,
          `a segment is ${Buffer.byteLength(long, 'utf8')} bytes; file names are limited to ${NAME_MAX_BYTES}`,
        );
      await walk(real, name, segments.slice(0, -1), true);
      return target;
    },
    async verify(path) {
      const rel = relative(real, path);
      if (rel === '' || rel.startsWith('..') || resolve(real, rel) !== path)
        throw new UnsafePathError(path, 'escapes the destination folder');
      const segments = rel.split(sep);
      await walk(real, segments.join('/'), segments.slice(0, -1), false);
      const last = await lstat(path).catch(() => undefined);
      if (last && !last.isFile())
        throw new UnsafePathError(segments.join('/'), 'exists and is not a regular file');
    },
  };
}

import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Jail, UnsafePathError } from '@mediaferry/core';

/**
 * The one place where a local destination keeps the partial files of transfers in progress:
 * `<destination>/.mediaferry-partial/`. A later run looks there: a partial file of the same entry, read under
 * the same validator (B2 file id, ETag), is resumed with a Range request; any other is deleted, and whatever
 * no transfer of a complete run used is removed at its end. A local folder walked as a copy source skips it.
 */
export const PARTIAL_DIR = '.mediaferry-partial';

const short = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 20);

export class Partials {
  readonly #dir: string;
  /** Partial files found when the run started (read on first use), and those this run used. */
  #found: Promise<Set<string>> | undefined;
  readonly #used = new Set<string>();

  constructor(jail: Jail) {
    this.#dir = join(jail.root, PARTIAL_DIR);
  }

  /** Creates the folder on first use (a dry run or a run that skips everything leaves no trace). */
  #open(): Promise<Set<string>> {
    this.#found ??= (async () => {
      await mkdir(this.#dir, { mode: 0o700 }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      });
      const info = await lstat(this.#dir);
      if (info.isSymbolicLink() || !info.isDirectory())
        throw new UnsafePathError(
          PARTIAL_DIR,
          'exists and is not a folder (nothing is written through links)',
        );
      return new Set(await readdir(this.#dir));
    })();
    return this.#found;
  }

  /**
   * The partial file for `name` read under `version`. Partial files of the same name under another version
   * (or none) are deleted first: their bytes may belong to other content.
   */
  async pathFor(name: string, version: string | undefined): Promise<string> {
    const prefix = `${short(name)}-`;
    const file = `${prefix}${version === undefined ? 'unversioned' : short(version)}.part`;
    const found = await this.#open();
    for (const held of found) {
      if (held.startsWith(prefix) && (held !== file || version === undefined)) {
        found.delete(held);
        await unlink(join(this.#dir, held)).catch(() => {});
      }
    }
    this.#used.add(file);
    return join(this.#dir, file);
  }

  /** After a complete run, removes partial files no transfer used (and the folder when it is empty). */
  async clean(complete: boolean): Promise<void> {
    if (complete) {
      // Also the partial files of runs that never needed this one (everything skipped).
      const found = await this.#open().catch(() => new Set<string>());
      for (const held of found)
        if (!this.#used.has(held)) await unlink(join(this.#dir, held)).catch(() => {});
    }
    const left = await readdir(this.#dir).catch(() => ['?']);
    if (left.length === 0) await rmdir(this.#dir).catch(() => {});
  }
}

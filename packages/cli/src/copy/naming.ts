import { createHash } from 'node:crypto';
import { NAME_MAX_BYTES, truncateUtf8 } from '@mediaferry/core';

/**
 * Two source names that one filesystem may see as the same file: equal once Unicode-normalised (NFC) and
 * case-folded. Treated as colliding everywhere, so a copy behaves the same on every disk.
 */
export const foldKey = (path: string): string => path.normalize('NFC').toLowerCase();

/** `dir/clip.mp4` + `3fa9c2d1` → `dir/clip~3fa9c2d1.mp4`, the last segment kept within the name limit. */
function withSuffix(path: string, suffix: string): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const file = path.slice(slash + 1);
  const dot = file.lastIndexOf('.');
  const ext = dot > 0 ? file.slice(dot) : '';
  const tag = `~${suffix}${ext}`;
  const stem = truncateUtf8(dot > 0 ? file.slice(0, dot) : file, NAME_MAX_BYTES - Buffer.byteLength(tag));
  return `${dir}${stem}${tag}`;
}

/**
 * Gives every entry of a run a distinct destination name, in listing order: the first keeps its name, a
 * later one whose name collides (case-only or normalisation-only difference, or the same name twice) gets
 * `~<8 hex of a hash of its source path>` before the extension. Listings are ordered, so a re-run picks the
 * same names and finds what it copied.
 */
export class Namer {
  readonly #claimed = new Map<string, string>();
  readonly #seen = new Map<string, number>();

  place(path: string): string {
    const repeat = this.#seen.get(path) ?? 0;
    this.#seen.set(path, repeat + 1);
    const fold = foldKey(path);
    if (!this.#claimed.has(fold)) {
      this.#claimed.set(fold, path);
      return path;
    }
    const identity = repeat === 0 ? path : `${path}#${repeat}`;
    const distinct = withSuffix(path, createHash('sha1').update(identity).digest('hex').slice(0, 8));
    this.#claimed.set(foldKey(distinct), path);
    return distinct;
  }
}

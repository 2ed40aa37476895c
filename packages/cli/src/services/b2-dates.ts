import { utimes } from 'node:fs/promises';
import type { SavedB2File } from '@mediaferry/b2';
import { modifiedOf } from './b2-copy.js';

/**
 * Gives a file downloaded from B2 the modification time its uploader recorded (`src_last_modified_millis`),
 * else its upload time, as `copy` does. The times are those of the version saved, as the download described
 * it before its first byte: no listing afterwards, which could name a version uploaded meanwhile.
 */
export async function restoreModified(saved: SavedB2File): Promise<boolean> {
  const ms = modifiedOf(saved.version) ?? saved.version.uploadTimestamp?.getTime();
  if (ms === undefined) return false;
  const at = new Date(ms);
  await utimes(saved.path, at, at);
  return true;
}

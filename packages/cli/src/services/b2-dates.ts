import { utimes } from 'node:fs/promises';
import type { B2Client } from '@mediaferry/b2';
import type { SavedFile } from '@mediaferry/core';
import { bucketIdOf } from './b2.js';
import { modifiedOf, sha1Of } from './b2-copy.js';

/**
 * Gives a file downloaded from B2 the modification time its uploader recorded (`src_last_modified_millis`),
 * else its upload time, as `copy` does. Only when the listed version is the one saved (same SHA-1 and size):
 * a file replaced meanwhile keeps the download's time rather than another version's.
 */
export async function restoreModified(
  client: B2Client,
  bucket: string,
  fileName: string,
  saved: SavedFile,
  signal: AbortSignal,
): Promise<boolean> {
  const bucketId = await bucketIdOf(client, bucket, signal);
  const [file] = await client.files
    .list({ bucketId, prefix: fileName, pageSize: 1 }, { signal })
    .toArray({ limit: 1 });
  if (!file || file.fileName !== fileName || file.contentLength !== saved.size) return false;
  const sha1 = sha1Of(file);
  if (sha1 && saved.digest && sha1 !== saved.digest) return false;
  const at = new Date(modifiedOf(file) ?? file.uploadTimestamp.getTime());
  await utimes(saved.path, at, at);
  return true;
}

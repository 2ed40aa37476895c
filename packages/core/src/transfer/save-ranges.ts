/**
 * Parallel ranged download of one object into a file: byte ranges fetched concurrently and written at their
 * offsets into a temporary file beside the destination, then verified and renamed into place. Faster than one
 * stream when a single connection is the bottleneck; memory stays at one chunk per range in flight.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { progressReporter } from '../body/progress.js';
import { fileStream, type HashAlgorithm } from '../body/streams.js';
import { IntegrityError, InvalidInputError } from '../errors.js';
import type { StreamResponse } from '../http/client.js';
import type { ProgressListener } from '../http/types.js';
import { throwIfAborted } from '../signals.js';
import { mapConcurrent } from './concurrency.js';
import type { SavedFile } from './save-to-file.js';
import { tempPathBeside } from './temp-names.js';

export interface SaveRangesOptions {
  /** Total size of the object (from a listing or a HEAD). */
  readonly size: number;
  /** Bytes per range. Default 16 MiB. */
  readonly partSize?: number;
  /** Ranges in flight. Default 4. */
  readonly concurrency?: number;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ProgressListener | undefined;
  /** Verified by reading the finished temporary file back, before the rename. */
  readonly integrity?: { readonly algorithm: HashAlgorithm; readonly expected: string } | undefined;
  /**
   * Headers that identify the bytes (B2's `x-bz-file-id`): every range must carry the values of the first,
   * so ranges of two versions are never spliced. `ETag` and `Last-Modified` are always compared.
   */
  readonly sameFileHeaders?: readonly string[] | undefined;
}

/** The values identifying the version a range came from. */
function versionOf(headers: Headers, names: readonly string[]): string {
  return JSON.stringify(['etag', 'last-modified', ...names].map((name) => headers.get(name)));
}

/** Downloads `[0, size)` as concurrent inclusive ranges from `openRange(start, end)`. */
export async function saveRangesToFile(
  openRange: (range: { start: number; end: number }, signal: AbortSignal) => Promise<StreamResponse>,
  destination: string,
  options: SaveRangesOptions,
): Promise<SavedFile> {
  const { size, partSize = 16 * 1024 * 1024, concurrency = 4, signal } = options;
  if (!Number.isInteger(size) || size < 0) throw new InvalidInputError('size', 'must be an integer ≥ 0');
  if (!Number.isInteger(partSize) || partSize < 1)
    throw new InvalidInputError('partSize', 'must be a positive integer');
  throwIfAborted(signal);
  const temp = tempPathBeside(destination);
  const handle = await open(temp, 'wx');
  let done = false;
  try {
    const progress = progressReporter(options.onProgress, size);
    const names = options.sameFileHeaders ?? [];
    let version: string | undefined;
    const ranges = Array.from({ length: Math.ceil(size / partSize) }, (_, i) => ({
      start: i * partSize,
      end: Math.min(size, (i + 1) * partSize) - 1,
    }));
    await mapConcurrent(
      ranges,
      concurrency,
      async (range, _index, rangeSignal) => {
        const response = await openRange(range, rangeSignal);
        const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
        const exact =
          response.status === 206 &&
          served !== null &&
          Number(served[1]) === range.start &&
          Number(served[2]) === range.end &&
          Number(served[3]) === size;
        const seen = versionOf(response.headers, names);
        version ??= seen;
        if (!exact || seen !== version) {
          await response.body.cancel().catch(() => {});
          throw new IntegrityError(
            destination,
            'range',
            `bytes ${range.start}-${range.end}/${size} of one version`,
            exact
              ? 'a range of another version'
              : `${response.status} ${served?.[0] ?? 'without Content-Range'}`,
          );
        }
        let at = range.start;
        for await (const chunk of response.body) {
          if (at + chunk.byteLength > range.end + 1)
            throw new IntegrityError(
              destination,
              'range',
              `${range.start}-${range.end}`,
              `more bytes than asked`,
            );
          await handle.write(chunk, 0, chunk.byteLength, at);
          at += chunk.byteLength;
          progress.add(chunk.byteLength);
        }
        if (at !== range.end + 1)
          throw new IntegrityError(
            destination,
            'size',
            String(range.end + 1 - range.start),
            String(at - range.start),
          );
      },
      { signal },
    );
    await handle.sync();
    await handle.close();
    let digest: string | undefined;
    if (options.integrity) {
      const hash = createHash(options.integrity.algorithm);
      for await (const chunk of fileStream(temp)) hash.update(chunk);
      digest = hash.digest('hex');
      if (digest !== options.integrity.expected.toLowerCase())
        throw new IntegrityError(
          destination,
          options.integrity.algorithm,
          options.integrity.expected,
          digest,
        );
    }
    await rename(temp, destination);
    done = true;
    return { path: destination, size, digest, resumedFrom: 0 };
  } finally {
    await handle.close().catch(() => {});
    if (!done) await unlink(temp).catch(() => {});
  }
}

/**
 * Parallel ranged download of one object into a file: byte ranges fetched concurrently and written at their
 * offsets into a temporary file beside the destination, then verified and renamed into place. Faster than one
 * stream when a single connection is the bottleneck (b2sdk downloads large files this way). Every range must
 * be exactly the one asked, of the same version as the others; a range cut mid-way resumes from its last byte.
 * The checksum is of the whole file, computed in order while the ranges arrive (see `ordered-hash.ts`).
 * Memory stays at a few slabs per range in flight.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bodyLeases } from '../body/leases.js';
import { progressReporter } from '../body/progress.js';
import type { HashAlgorithm } from '../body/streams.js';
import { AbortError, ConnectionError, IntegrityError, InvalidInputError } from '../errors.js';
import type { StreamResponse } from '../http/client.js';
import type { ProgressListener } from '../http/types.js';
import { throwIfAborted } from '../signals.js';
import { mapConcurrent } from './concurrency.js';
import { EarlyFlush, PipelinedWriter } from './file-writer.js';
import { OrderedHasher } from './ordered-hash.js';
import { type SavedFile, syncDirectory } from './save-to-file.js';
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
  /** Verified over the bytes written, in order, before the rename. */
  readonly integrity?: { readonly algorithm: HashAlgorithm; readonly expected: string } | undefined;
  /** Compute this digest (returned) even without an expected value. */
  readonly hash?: HashAlgorithm | undefined;
  /**
   * Headers that identify the bytes (B2's `x-bz-file-id`): every range must carry the values of the first,
   * so ranges of two versions are never spliced. `ETag` and `Last-Modified` are always compared.
   */
  readonly sameFileHeaders?: readonly string[] | undefined;
  /** How many times one range cut mid-way is resumed from its last byte. Default 3. */
  readonly resumeAttempts?: number | undefined;
}

/** A byte range with both ends inclusive, as `saveRangesToFile` asks `openRange` for it. */
export interface InclusiveRange {
  readonly start: number;
  readonly end: number;
}

/** The values identifying the version a range came from. */
function versionOf(headers: Headers, names: readonly string[]): string {
  return JSON.stringify(['etag', 'last-modified', ...names].map((name) => headers.get(name)));
}

/** Downloads `[0, size)` as concurrent inclusive ranges from `openRange(start, end)`. */
export async function saveRangesToFile(
  openRange: (range: InclusiveRange, signal: AbortSignal) => Promise<StreamResponse>,
  destination: string,
  options: SaveRangesOptions,
): Promise<SavedFile> {
  const { size, partSize = 16 * 1024 * 1024, concurrency = 4, signal } = options;
  if (!Number.isInteger(size) || size < 0) throw new InvalidInputError('size', 'must be an integer ≥ 0');
  if (!Number.isInteger(partSize) || partSize < 1)
    throw new InvalidInputError('partSize', 'must be a positive integer');
  throwIfAborted(signal);
  const temp = tempPathBeside(destination);
  // Read as well as written: the hash reads back what was written.
  const handle = await open(temp, 'wx+');
  const flush = new EarlyFlush(handle);
  const ranges: InclusiveRange[] = Array.from({ length: Math.ceil(size / partSize) }, (_, i) => ({
    start: i * partSize,
    end: Math.min(size, (i + 1) * partSize) - 1,
  }));
  const algorithm = options.integrity?.algorithm ?? options.hash;
  const hasher = algorithm ? new OrderedHasher(handle, createHash(algorithm), size) : undefined;
  const onWritten = hasher
    ? (position: number, length: number) => hasher.written(position, length)
    : undefined;
  let done = false;
  try {
    const progress = progressReporter(options.onProgress, size);
    const names = options.sameFileHeaders ?? [];
    let version: string | undefined;
    const fetchRange = async (range: InclusiveRange, rangeSignal: AbortSignal) => {
      let at = range.start;
      let resumesLeft = options.resumeAttempts ?? 3;
      for (;;) {
        const response = await openRange({ start: at, end: range.end }, rangeSignal);
        const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
        const exact =
          response.status === 206 &&
          served !== null &&
          Number(served[1]) === at &&
          Number(served[2]) === range.end &&
          Number(served[3]) === size;
        const seen = versionOf(response.headers, names);
        version ??= seen;
        if (!exact || seen !== version) {
          await response.body.cancel().catch(() => {});
          throw new IntegrityError(
            destination,
            'range',
            `bytes ${at}-${range.end}/${size} of one version`,
            exact
              ? 'a range of another version'
              : `${response.status} ${served?.[0] ?? 'without Content-Range'}`,
          );
        }
        const writer = new PipelinedWriter(handle, { flush, onWritten });
        try {
          for await (const lease of bodyLeases(response.body)) {
            const length = lease.bytes.byteLength;
            if (at + length > range.end + 1) {
              lease.release();
              throw new IntegrityError(
                destination,
                'range',
                `${range.start}-${range.end}`,
                'more bytes than asked',
              );
            }
            hasher?.arriving(lease.bytes, at);
            await writer.write(lease, at);
            at += length;
            progress.add(length);
          }
          await writer.drain();
        } catch (error) {
          // Bytes counted are on disk before the range resumes after them; a failed write is final.
          const failedWrite = await writer.settle();
          if (failedWrite) throw failedWrite.cause;
          const resumable = error instanceof ConnectionError && !(error instanceof AbortError);
          if (!resumable || resumesLeft <= 0 || at > range.end) throw error;
          resumesLeft -= 1;
          continue;
        }
        if (at !== range.end + 1)
          throw new IntegrityError(
            destination,
            'size',
            String(range.end + 1 - range.start),
            String(at - range.start),
          );
        return;
      }
    };
    await mapConcurrent(ranges, concurrency, (range, _index, rangeSignal) => fetchRange(range, rangeSignal), {
      signal,
    });
    await flush.sync();
    const digest = await hasher?.digest();
    if (options.integrity && digest !== options.integrity.expected.toLowerCase())
      throw new IntegrityError(
        destination,
        options.integrity.algorithm,
        options.integrity.expected,
        digest ?? '',
      );
    await handle.close();
    await rename(temp, destination);
    done = true;
    await syncDirectory(dirname(destination));
    return { path: destination, size, digest, resumedFrom: 0 };
  } finally {
    await hasher?.settled();
    await flush.settled();
    await handle.close().catch(() => {});
    if (!done) await unlink(temp).catch(() => {});
  }
}

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
import { performance } from 'node:perf_hooks';
import { bodyLeases } from '../body/leases.js';
import { progressReporter } from '../body/progress.js';
import type { HashAlgorithm } from '../body/streams.js';
import { AbortError, ConnectionError, IntegrityError, InvalidInputError } from '../errors.js';
import type { StreamResponse } from '../http/client.js';
import type { ProgressListener } from '../http/types.js';
import { throwIfAborted } from '../signals.js';
import { mapConcurrent, WorkerRamp } from './concurrency.js';
import { syncDirectory } from './directory-sync.js';
import { EarlyFlush, PipelinedWriter } from './file-writer.js';
import { OrderedHasher } from './ordered-hash.js';
import { type RangeShare, RangeShares } from './range-shares.js';
import type { SavedFile } from './save-to-file.js';
import { tempPathBeside } from './temp-names.js';

export interface SaveRangesOptions {
  /** Total size of the object (from a listing or a HEAD). */
  readonly size: number;
  /** Bytes per range. Default 16 MiB. */
  readonly partSize?: number;
  /** Ranges in flight (at most, when `adaptive`). Default 4. */
  readonly concurrency?: number;
  /**
   * Start with one stream over the whole file and add one (up to `concurrency`) each time this process was
   * mostly waiting for bytes over the last quarter second: more streams multiply a slow link's throughput,
   * but on a fast one they only cost CPU (bytes away from the hash frontier are read back to be hashed). An
   * added stream, or one that is done, takes the upper half of the biggest share left when that is at least
   * two `partSize`s. Default false: `concurrency` ranges of `partSize` from the start.
   */
  readonly adaptive?: boolean | undefined;
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

/** How often an adaptive download asks whether another range would help. */
const RAMP_CHECK_MS = 250;
/** Below this share of busy time on the event loop, the process is waiting for bytes: another range helps. */
const RAMP_IDLE_UTILIZATION = 0.5;

/**
 * Adds a range in flight each check while the event loop was mostly idle (the link, not this process, is
 * the limit). Returns the ramp and a function that stops the checks.
 */
function rampWhileIdle(): { ramp: WorkerRamp; stop: () => void } {
  const ramp = new WorkerRamp(1);
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    if (utilization < RAMP_IDLE_UTILIZATION) ramp.add();
  }, RAMP_CHECK_MS);
  timer.unref();
  return { ramp, stop: () => clearInterval(timer) };
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
  const adaptive = options.adaptive === true && concurrency > 1;
  const shares = new RangeShares(size, partSize, { stealing: adaptive });
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
    // A share's `at` counts the bytes handed to its writer; its `end` may drop while it runs (another stream
    // took the rest), and then the stream stops there.
    const fetchShare = async (share: RangeShare, rangeSignal: AbortSignal) => {
      let resumesLeft = options.resumeAttempts ?? 3;
      for (;;) {
        const asked = { start: share.at, end: share.end };
        const response = await openRange(asked, rangeSignal);
        const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
        const exact =
          response.status === 206 &&
          served !== null &&
          Number(served[1]) === asked.start &&
          Number(served[2]) === asked.end &&
          Number(served[3]) === size;
        const seen = versionOf(response.headers, names);
        version ??= seen;
        if (!exact || seen !== version) {
          await response.body.cancel().catch(() => {});
          throw new IntegrityError(
            destination,
            'range',
            `bytes ${asked.start}-${asked.end}/${size} of one version`,
            exact
              ? 'a range of another version'
              : `${response.status} ${served?.[0] ?? 'without Content-Range'}`,
          );
        }
        const writer = new PipelinedWriter(handle, { flush, onWritten });
        try {
          for await (const received of bodyLeases(response.body)) {
            if (share.at + received.bytes.byteLength > asked.end + 1) {
              received.release();
              throw new IntegrityError(
                destination,
                'range',
                `${asked.start}-${asked.end}`,
                'more bytes than asked',
              );
            }
            const wanted = share.end + 1 - share.at;
            const lease =
              received.bytes.byteLength <= wanted
                ? received
                : { bytes: received.bytes.subarray(0, wanted), release: () => received.release() };
            const position = share.at;
            share.at += lease.bytes.byteLength;
            hasher?.arriving(lease.bytes, position);
            await writer.write(lease, position);
            progress.add(lease.bytes.byteLength);
            // The rest of this response is another stream's now: leaving the loop cancels it.
            if (share.at > share.end) break;
          }
          await writer.drain();
        } catch (error) {
          // Bytes counted are on disk before the range resumes after them; a failed write is final.
          const failedWrite = await writer.settle();
          if (failedWrite) throw failedWrite.cause;
          const resumable = error instanceof ConnectionError && !(error instanceof AbortError);
          if (!resumable || resumesLeft <= 0 || share.at > share.end) throw error;
          resumesLeft -= 1;
          continue;
        }
        if (share.at !== share.end + 1)
          throw new IntegrityError(
            destination,
            'size',
            String(share.end + 1 - share.start),
            String(share.at - share.start),
          );
        return;
      }
    };
    const ramping = adaptive ? rampWhileIdle() : undefined;
    try {
      await mapConcurrent(
        shares,
        concurrency,
        (share, _index, rangeSignal) => fetchShare(share, rangeSignal).finally(() => shares.finished(share)),
        { signal, ramp: ramping?.ramp },
      );
    } finally {
      ramping?.stop();
    }
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

/**
 * Parallel ranged download of one object into a file: byte ranges fetched concurrently and written at their
 * offsets into a temporary file beside the destination, then verified and renamed into place. Faster than one
 * stream when a single connection is the bottleneck (b2sdk downloads large files this way). Every range must
 * be exactly the one asked, of the same version as the others; a range cut mid-way resumes from its last byte.
 * The checksum is of the whole file as written, computed in order while later ranges still arrive.
 * Memory stays at a few slabs per range in flight.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bodyLeases, SLAB_BYTES } from '../body/leases.js';
import { progressReporter } from '../body/progress.js';
import type { HashAlgorithm } from '../body/streams.js';
import { AbortError, ConnectionError, IntegrityError, InvalidInputError } from '../errors.js';
import type { StreamResponse } from '../http/client.js';
import type { ProgressListener } from '../http/types.js';
import { throwIfAborted } from '../signals.js';
import { mapConcurrent } from './concurrency.js';
import { PipelinedWriter } from './file-writer.js';
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
  const ranges: InclusiveRange[] = Array.from({ length: Math.ceil(size / partSize) }, (_, i) => ({
    start: i * partSize,
    end: Math.min(size, (i + 1) * partSize) - 1,
  }));
  const algorithm = options.integrity?.algorithm ?? options.hash;
  const hasher = algorithm ? new OrderedHasher(handle, createHash(algorithm), ranges) : undefined;
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
        const writer = new PipelinedWriter(handle);
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
    await mapConcurrent(
      ranges,
      concurrency,
      async (range, index, rangeSignal) => {
        await fetchRange(range, rangeSignal);
        hasher?.written(index);
      },
      { signal },
    );
    await handle.sync();
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
    await handle.close().catch(() => {});
    if (!done) await unlink(temp).catch(() => {});
  }
}

/**
 * Hashes the file in order as ranges finish: each finished range at the front is read back (from the page
 * cache, into one reused buffer) while later ranges still download, so little is left to hash at the end,
 * and what is hashed is what was written.
 */
class OrderedHasher {
  readonly #handle: FileHandle;
  readonly #hash: Hash;
  readonly #ranges: readonly InclusiveRange[];
  readonly #written = new Set<number>();
  #next = 0;
  #running: Promise<void> = Promise.resolve();
  #buffer: Buffer | undefined;

  constructor(handle: FileHandle, hash: Hash, ranges: readonly InclusiveRange[]) {
    this.#handle = handle;
    this.#hash = hash;
    this.#ranges = ranges;
  }

  /** Range `index` is on disk. */
  written(index: number): void {
    this.#written.add(index);
    this.#running = this.#running.then(() => this.#advance());
    // Read failures surface in digest(); never as an unhandled rejection meanwhile.
    this.#running.catch(() => {});
  }

  /** The digest of the whole file, once every range is written. */
  async digest(): Promise<string> {
    await this.#running;
    if (this.#next !== this.#ranges.length) throw new Error('digest asked before every range was written');
    return this.#hash.digest('hex');
  }

  /** Waits for hashing in progress (before the file is closed), whatever its outcome. */
  async settled(): Promise<void> {
    await this.#running.catch(() => {});
  }

  async #advance(): Promise<void> {
    while (this.#written.has(this.#next)) {
      const range = this.#ranges[this.#next]!;
      this.#buffer ??= Buffer.allocUnsafeSlow(SLAB_BYTES);
      for (let at = range.start; at <= range.end; ) {
        const want = Math.min(this.#buffer.byteLength, range.end + 1 - at);
        const { bytesRead } = await this.#handle.read(this.#buffer, 0, want, at);
        if (bytesRead === 0) throw new Error(`the file ends at ${at} while being hashed`);
        this.#hash.update(this.#buffer.subarray(0, bytesRead));
        at += bytesRead;
      }
      this.#written.delete(this.#next);
      this.#next += 1;
    }
  }
}

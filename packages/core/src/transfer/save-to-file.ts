/**
 * Streaming a download to disk so that nothing is ever lost or half-written under the final name: bytes
 * go to a temporary file in the same folder, are flushed with fsync, and only then renamed into place. A
 * body cut mid-way is resumed with a Range request; any other failure removes the temporary file.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileStream } from '../body/file-stream.js';
import { bodyLeases } from '../body/leases.js';
import { progressReporter } from '../body/progress.js';
import type { HashAlgorithm } from '../body/streams.js';
import {
  AbortError,
  ConnectionError,
  IntegrityError,
  InvalidInputError,
  RangeNotSatisfiableError,
} from '../errors.js';
import type { StreamResponse } from '../http/client.js';
import type { ProgressListener, RequestOptions } from '../http/types.js';
import { anySignal, throwIfAborted } from '../signals.js';
import { syncDirectory } from './directory-sync.js';
import { EarlyFlush, PipelinedWriter } from './file-writer.js';
import { tempPathBeside } from './temp-names.js';

/** Opening flags that never follow a symbolic link at the last component (where the platform has it). */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW;
const RESUME_FLAGS = constants.O_RDWR | NOFOLLOW;

/** Opens the download, from `range.start` when resuming (`ifRange` = validator of the first response). */
export type RangeOpener = (
  range: { start: number; ifRange?: string | undefined } | undefined,
  signal: AbortSignal | undefined,
) => Promise<StreamResponse>;

/**
 * A {@link RangeOpener} for an HTTP download: the request as given, plus `Range`/`If-Range` headers when
 * resuming; 200 and 206 both count as success.
 */
export function rangeOpener(
  transport: { stream(options: RequestOptions): Promise<StreamResponse> },
  request: RequestOptions,
): RangeOpener {
  return (range, signal) =>
    transport.stream({
      ...request,
      signal: anySignal(request.signal, signal),
      headers: range
        ? { ...request.headers, range: `bytes=${range.start}-`, 'if-range': range.ifRange }
        : request.headers,
      okStatus: (status) => status === 200 || status === 206,
    });
}

export interface SaveToFileOptions {
  readonly signal?: AbortSignal | undefined;
  /** Bytes saved so far: never goes back (a restart holds it) and never passes the total. */
  readonly onProgress?: ProgressListener | undefined;
  /** Verify a checksum computed while streaming. */
  readonly integrity?: { readonly algorithm: HashAlgorithm; readonly expected: string } | undefined;
  /** Compute this digest (returned) even without an expected value. */
  readonly hash?: HashAlgorithm | undefined;
  /**
   * Expected size in bytes (e.g. from listing metadata). A response announcing another size fails at once;
   * without it, the size announced by the response (`Content-Length`, `Content-Range`) must be met.
   */
  readonly expectedSize?: number | undefined;
  /**
   * Accept a body whose size nobody announced and no checksum covers. Default false: such a download cannot
   * be proven complete and fails with {@link IntegrityError}.
   */
  readonly allowUnknownSize?: boolean | undefined;
  /** A media download: a `text/html` answer is an error page, never the file. Default false. */
  readonly refuseHtml?: boolean | undefined;
  /**
   * Headers that identify the bytes (B2's `x-bz-file-id`): a resumed range must carry the same values as the
   * first answer, or the download restarts. `ETag` and `Last-Modified` are always compared.
   */
  readonly sameFileHeaders?: readonly string[] | undefined;
  /** How many times a body cut mid-way is resumed by Range (or restarted) before giving up. Default 3. */
  readonly resumeAttempts?: number | undefined;
  /**
   * Keep the partial file `<destination>.mfpart` when the transfer fails, and resume from it on the next
   * call. Default false: a failure leaves nothing behind.
   */
  readonly keepPartial?: boolean | undefined;
  /**
   * Validator (`ETag` or `Last-Modified`) of the bytes in a kept partial file. Without it (or a checksum),
   * a kept partial file is not trusted to belong to the same version and the download starts over.
   */
  readonly partialValidator?: string | undefined;
  /**
   * Where the partial file lives, when not beside the destination (e.g. a folder a later run looks into).
   * Implies `keepPartial`: a failure keeps it and the next call resumes from it.
   */
  readonly partialPath?: string | undefined;
  /** Modification time (epoch ms) given to the file before it takes its final name. */
  readonly modifiedAt?: number | undefined;
  /** Runs after the bytes are verified and flushed, right before the rename (a last check of the destination). */
  readonly beforeCommit?: (() => Promise<void>) | undefined;
  /** Replace an existing destination. Default true. */
  readonly overwrite?: boolean | undefined;
}

export interface SavedFile {
  readonly path: string;
  readonly size: number;
  /** Hex digest, when `integrity` or `hash` was asked. */
  readonly digest: string | undefined;
  /** Bytes found in a kept partial file and not downloaded again. */
  readonly resumedFrom: number;
}

function parseContentRange(value: string | null): { start: number; total: number | undefined } | undefined {
  const match = value ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** What identifies the version of the bytes: the validator to send in `If-Range`, and headers to compare. */
interface Identity {
  readonly validator: string | undefined;
  readonly values: readonly (string | null)[];
}

function identityOf(headers: Headers, sameFileHeaders: readonly string[]): Identity {
  const etag = headers.get('etag');
  // A weak ETag may not be used in If-Range (RFC 9110 §13.1.5): fall back to the date.
  const validator = etag && !etag.startsWith('W/') ? etag : (headers.get('last-modified') ?? undefined);
  return {
    validator,
    values: ['etag', 'last-modified', ...sameFileHeaders].map((name) => headers.get(name)),
  };
}

function sameIdentity(a: Identity, b: Identity): boolean {
  return a.values.every((value, i) => value === null || value === b.values[i]);
}

/** Downloads to `destination` atomically. See {@link SaveToFileOptions}. */
export async function saveToFile(
  openRange: RangeOpener,
  destination: string,
  options: SaveToFileOptions = {},
): Promise<SavedFile> {
  const { signal } = options;
  throwIfAborted(signal);
  if (options.overwrite === false && (await exists(destination))) {
    throw new InvalidInputError('destination', `${destination} already exists`);
  }
  const what = `download to ${destination}`;
  const algorithm = options.integrity?.algorithm ?? options.hash;
  const sameFileHeaders = options.sameFileHeaders ?? [];
  const keepPartial = options.keepPartial === true || options.partialPath !== undefined;
  const partial =
    options.partialPath ?? (keepPartial ? `${destination}.mfpart` : tempPathBeside(destination));

  let offset = keepPartial
    ? await stat(partial).then(
        (s) => s.size,
        () => 0,
      )
    : 0;
  // Bytes kept from an earlier call are resumed only when something proves they are the same version.
  if (offset > 0 && !options.partialValidator && !options.integrity) offset = 0;
  const resumedFrom = offset;
  let hash = algorithm ? createHash(algorithm) : undefined;
  if (hash && offset > 0)
    for await (const chunk of fileStream(partial, { start: 0, end: offset })) hash.update(chunk);

  let handle: FileHandle | undefined = await open(partial, offset > 0 ? RESUME_FLAGS : CREATE_FLAGS);
  const flush = new EarlyFlush(handle);
  const progress = progressReporter(options.onProgress, options.expectedSize);
  let keep = false;
  try {
    let resumesLeft = options.resumeAttempts ?? 3;
    let total = options.expectedSize;
    // A kept partial file is known by its validator alone: the answer must carry it.
    let identity: Identity | undefined =
      offset > 0 ? { validator: options.partialValidator, values: [] } : undefined;
    const matches = (known: Identity, seen: Identity) =>
      known.values.length > 0
        ? sameIdentity(known, seen)
        : known.validator === undefined || seen.values.slice(0, 2).includes(known.validator);
    const restart = async () => {
      offset = 0;
      await handle!.truncate(0);
      hash = algorithm ? createHash(algorithm) : undefined;
      identity = undefined;
      total = options.expectedSize;
    };
    let response: StreamResponse | undefined;
    for (;;) {
      throwIfAborted(signal);
      // Resuming without a validator or a checksum could splice two versions: start over instead.
      if (offset > 0 && !identity?.validator && !options.integrity) await restart();
      // A kept partial file may already hold every byte (a crash between the last write and the rename).
      if (offset > 0 && total !== undefined && offset >= total) {
        if (offset === total) break;
        await restart();
      }
      try {
        response ??= await openRange(
          offset > 0 ? { start: offset, ifRange: identity?.validator } : undefined,
          signal,
        );
      } catch (error) {
        // The range is past the end: the partial file belongs to other content. Start over.
        if (!(offset > 0 && error instanceof RangeNotSatisfiableError)) throw error;
        await restart();
        continue;
      }
      const current: StreamResponse = response;
      response = undefined;
      const seen = identityOf(current.headers, sameFileHeaders);
      if (options.refuseHtml && /^\s*text\/html\b/i.test(current.headers.get('content-type') ?? '')) {
        await current.body.cancel().catch(() => {});
        throw new IntegrityError(what, 'content-type', 'media', 'text/html (an error page)');
      }
      if (offset > 0) {
        const range = parseContentRange(current.headers.get('content-range'));
        const resumed =
          current.status === 206 &&
          range !== undefined &&
          range.start === offset &&
          (range.total === undefined || total === undefined || range.total === total) &&
          (identity === undefined || matches(identity, seen));
        if (!resumed) {
          // Another version (or a server ignoring the range): never splice; start over.
          if (resumesLeft <= 0) {
            await current.body.cancel().catch(() => {});
            throw new IntegrityError(what, 'version', 'the same file on resume', 'a changed file');
          }
          resumesLeft -= 1;
          await restart();
          // A 200 is the whole current file: use it rather than asking again.
          if (current.status === 200) response = current;
          else await current.body.cancel().catch(() => {});
          continue;
        }
        total ??= range.total;
        if (identity?.values.length === 0) identity = seen;
      } else {
        const announced =
          current.status === 206
            ? parseContentRange(current.headers.get('content-range'))?.total
            : current.contentLength;
        if (total !== undefined && announced !== undefined && announced !== total) {
          await current.body.cancel().catch(() => {});
          throw new IntegrityError(what, 'size', String(total), `${announced} announced by the server`);
        }
        total ??= announced;
        identity = seen;
      }
      progress.setTotal(total);
      const canResume =
        current.status === 206 || current.headers.get('accept-ranges')?.includes('bytes') === true;
      // Hashing and receiving overlap with the writes of the slabs before.
      const writer = new PipelinedWriter(handle, { flush });
      try {
        for await (const lease of bodyLeases(current.body)) {
          const chunk = lease.bytes;
          if (total !== undefined && offset + chunk.byteLength > total) {
            lease.release();
            throw new IntegrityError(what, 'size', String(total), `more than ${total} bytes`);
          }
          hash?.update(chunk);
          await writer.write(lease, offset);
          offset += chunk.byteLength;
          progress.report(offset);
        }
        await writer.drain();
        break;
      } catch (error) {
        // Every byte counted is on disk before the file is resumed, restarted or removed; a failed write
        // is final.
        const failedWrite = await writer.settle();
        if (failedWrite) throw failedWrite.cause;
        const resumable =
          error instanceof ConnectionError && !(error instanceof AbortError) && canResume && resumesLeft > 0;
        if (!resumable) throw error;
        resumesLeft -= 1;
      }
    }
    if (total === undefined && !options.integrity && !options.allowUnknownSize) {
      throw new IntegrityError(
        what,
        'size',
        'a size announced by the server',
        `${offset} bytes, unannounced`,
      );
    }
    if (total !== undefined && offset !== total) {
      throw new IntegrityError(what, 'size', String(total), String(offset));
    }
    const digest = hash?.digest('hex');
    if (options.integrity && digest !== options.integrity.expected.toLowerCase()) {
      throw new IntegrityError(what, options.integrity.algorithm, options.integrity.expected, digest ?? '');
    }
    if (options.modifiedAt !== undefined) await handle.utimes(new Date(), new Date(options.modifiedAt));
    await flush.sync();
    await handle.close();
    handle = undefined;
    await options.beforeCommit?.();
    await rename(partial, destination);
    // Renamed: there is no partial file left to remove (a failed unlink per file costs an error object).
    keep = true;
    await syncDirectory(dirname(destination));
    return { path: destination, size: offset, digest, resumedFrom };
  } catch (error) {
    keep ||= keepPartial && !(error instanceof IntegrityError) && offset > 0;
    throw error;
  } finally {
    await flush.settled();
    await handle?.close().catch(() => {});
    if (!keep) await unlink(partial).catch(() => {});
  }
}

/**
 * Downloads (spec §3.3.6): one way to a stream, one way to a file. A stream of the whole file fails at its
 * end with `IntegrityError` when its bytes do not have the SHA-1 B2 (or the uploader, `large_file_sha1`)
 * recorded. A file is written under a temporary name and renamed into place only when proven complete (its
 * size always, its SHA-1 when known); a cut body resumes by range with `If-Range`, pinned to the version first
 * seen, and a big file can come as parallel ranges.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import {
  APIPromise,
  IntegrityError,
  type ProgressReporter,
  ResponseValidationError,
  type SavedFile,
  type StreamResponse,
  saveRangesToFile,
  saveToFile,
  type TransferOptions,
} from '@mediaferry/core';
import { checkPositiveInteger } from '../checks.js';
import type { CustomerKey } from '../encryption.js';
import { createB2Error } from '../errors.js';
import { checkFileName, isUrlPathSafe } from '../names.js';
import type { RawDownloadParams } from '../raw/params.js';
import type { ManagerContext } from './context.js';
import { type FileHead, headOf, sha1From } from './file-head.js';

/** A file by id, or the newest version of a name in a bucket. */
export type FileRef =
  | { readonly fileId: string }
  | { readonly bucketName: string; readonly fileName: string };

/** A download in progress: what B2 said about the file, and its bytes as a stream. */
export interface DownloadedFile extends FileHead {
  /** 200 for the whole file, 206 for a range. */
  readonly status: number;
  /**
   * The bytes. For the whole file with a known SHA-1, the stream errors at its end with `IntegrityError`
   * when the bytes do not match; it always errors when fewer bytes come than announced.
   */
  readonly body: ReadableStream<Uint8Array>;
}

/** Headers that name the exact version served: a resumed range must carry the same. */
const VERSION_HEADERS = ['x-bz-file-id', 'x-bz-content-sha1'];

/** Opens a download (whole or a range) through the raw API. */
export function openDownload(
  context: ManagerContext,
  ref: FileRef,
  params: RawDownloadParams,
  options: TransferOptions,
): APIPromise<StreamResponse> {
  if ('fileId' in ref) return context.raw.downloadFileById({ ...params, fileId: ref.fileId }, options);
  // `.`, `..` and empty segments would be rewritten by URL parsing (`%2E` too; `%2F` is not allowed): in a
  // URL path such a name is another file, so it is fetched by the id of its current version.
  if (typeof ref.fileName === 'string' && !isUrlPathSafe(ref.fileName))
    return new APIPromise(
      currentFileId(context, ref, options).then((fileId) =>
        context.raw.downloadFileById({ ...params, fileId }, options).withResponse(),
      ),
    );
  return context.raw.downloadFileByName(
    { ...params, bucketName: ref.bucketName, fileName: ref.fileName },
    options,
  );
}

/** The id of the current version of `bucketName/fileName`; B2's 404 when there is none. */
async function currentFileId(
  context: ManagerContext,
  ref: { readonly bucketName: string; readonly fileName: string },
  options: TransferOptions,
): Promise<string> {
  const { bucketName, fileName } = ref;
  checkFileName(fileName);
  const { buckets } = await context.raw.listBuckets({ bucketName }, options);
  const bucket = buckets.find((b) => b.bucketName === bucketName);
  if (bucket) {
    const listing = { bucketId: bucket.bucketId, startFileName: fileName, maxFileCount: 1 };
    const [file] = (await context.raw.listFileNames(listing, options)).files;
    if (file?.fileId && file.fileName === fileName && file.action === 'upload') return file.fileId;
  }
  throw createB2Error({
    service: 'b2',
    status: 404,
    headers: new Headers(),
    code: 'not_found',
    message: `file not present: ${fileName}`,
    request: { method: 'GET', url: `b2://${bucketName}/${fileName}`, endpoint: 'download_file_by_name' },
  });
}

/** The body, checked against the file's SHA-1 when it is the whole file and the SHA-1 is known. */
export function verifiedFile(response: StreamResponse): DownloadedFile {
  const head = headOf(response);
  const expected = response.status === 200 ? head.contentSha1 : undefined;
  if (!expected) return { ...head, status: response.status, body: response.body };
  const hash = createHash('sha1');
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash.update(chunk);
        controller.enqueue(chunk);
      },
      flush(controller) {
        const actual = hash.digest('hex');
        if (actual !== expected)
          controller.error(new IntegrityError(`b2 download of ${head.fileName}`, 'sha1', expected, actual));
      },
    }),
  );
  return { ...head, status: response.status, body };
}

/** Bytes per range of a parallel download, unless the client or the call says otherwise. */
const DEFAULT_RANGE_BYTES = 32 * 1024 * 1024;
/** Most ranges in flight by default for a large file (b2sdk's downloads run several streams too). */
const DEFAULT_RANGES_IN_FLIGHT = 4;

/** How a download to a file goes. */
export interface DownloadToFileSettings {
  /** The key of an SSE-C file. */
  readonly serverSideEncryption?: CustomerKey | undefined;
  /**
   * Ranges fetched in parallel for a file bigger than `partSize`; 1 means one stream. Default: for a file of
   * at least two ranges (unless `resume` is asked: a kept partial file is one stream), one range at a time,
   * growing to 4 in flight while the link rather than this process is the limit. b2sdk always runs several
   * streams; on a fast link they only cost CPU, since ranges away from the hash frontier are read back.
   */
  readonly concurrency?: number | undefined;
  /** Bytes per range. Default the client's part size, else 32 MiB. */
  readonly partSize?: number | undefined;
  /**
   * Keep what was received when the download fails (as `<path>.mfpart`) and continue from it next time,
   * when the file's SHA-1 is known to prove the result. Default false: a failure leaves nothing behind.
   */
  readonly resume?: boolean | undefined;
}

export function checkDownloadToFile(settings: DownloadToFileSettings): void {
  checkPositiveInteger(settings.concurrency, 'concurrency');
  checkPositiveInteger(settings.partSize, 'partSize');
}

/** The version a download described before its first byte: every request after was pinned to it. */
export interface SavedVersion {
  readonly fileId: string | undefined;
  readonly fileName: string;
  /** B2's SHA-1, or `large_file_sha1`; undefined when neither is known. */
  readonly contentSha1: string | undefined;
  readonly uploadTimestamp: Date | undefined;
  readonly fileInfo: Readonly<Record<string, string>>;
}

/** A file `downloadToFile` saved: where, and which version of it (its times and infos, with no extra call). */
export interface SavedB2File extends SavedFile {
  readonly version: SavedVersion;
}

/** Saves a file (inside a transfer, whose progress reporter it feeds). */
export async function runDownloadToFile(
  context: ManagerContext,
  ref: FileRef,
  destination: string,
  settings: DownloadToFileSettings,
  options: TransferOptions,
  progress: ProgressReporter,
): Promise<SavedB2File> {
  checkDownloadToFile(settings);
  const key = { serverSideEncryption: settings.serverSideEncryption };
  const described = await describe(context, ref, key, options);
  const saved = await saveDescribed(context, described, destination, settings, options, progress, key);
  return { ...saved, version: described.version };
}

async function saveDescribed(
  context: ManagerContext,
  described: Described,
  destination: string,
  settings: DownloadToFileSettings,
  options: TransferOptions,
  progress: ProgressReporter,
  key: RawDownloadParams,
): Promise<SavedFile> {
  progress.setTotal(described.size);
  // The version described is the one saved: later requests go by its id, never by a name that may move.
  const pinned: FileRef = described.fileId ? { fileId: described.fileId } : described.ref;
  const integrity = described.sha1 ? { algorithm: 'sha1' as const, expected: described.sha1 } : undefined;
  const onProgress = (p: { loaded: number }) => progress.report(p.loaded);
  const partSize = settings.partSize ?? context.partSize ?? DEFAULT_RANGE_BYTES;
  const concurrency =
    settings.concurrency ??
    (settings.resume !== true && described.size >= 2 * partSize ? DEFAULT_RANGES_IN_FLIGHT : 1);
  if (concurrency > 1 && described.size > partSize) {
    // One connection is often the bottleneck for a big file: fetch ranges in parallel instead.
    return saveRangesToFile(
      (range, signal) => openDownload(context, pinned, { ...key, range }, { ...options, signal }),
      destination,
      {
        size: described.size,
        partSize,
        concurrency,
        adaptive: settings.concurrency === undefined,
        signal: options.signal,
        onProgress,
        sameFileHeaders: VERSION_HEADERS,
        ...(integrity ? { integrity } : { hash: 'sha1' as const }),
      },
    );
  }
  return saveToFile(
    (range, signal) =>
      openDownload(
        context,
        pinned,
        { ...key, ...(range ? { range: { start: range.start }, ifRange: range.ifRange } : {}) },
        { ...options, signal: signal ?? options.signal },
      ),
    destination,
    {
      signal: options.signal,
      onProgress,
      expectedSize: described.size,
      sameFileHeaders: VERSION_HEADERS,
      keepPartial: settings.resume === true && integrity !== undefined,
      ...(integrity ? { integrity } : { hash: 'sha1' as const }),
    },
  );
}

interface Described {
  readonly ref: FileRef;
  readonly fileId: string | undefined;
  readonly sha1: string | undefined;
  readonly size: number;
  readonly version: SavedVersion;
}

/** Id, size, SHA-1 (B2's, or `large_file_sha1`) and the rest of the version a download will fetch. */
async function describe(
  context: ManagerContext,
  ref: FileRef,
  key: RawDownloadParams,
  options: TransferOptions,
): Promise<Described> {
  if ('fileId' in ref) {
    const file = await context.raw.getFileInfo({ fileId: ref.fileId }, options);
    const sha1 = sha1From(file.contentSha1, file.fileInfo.large_file_sha1);
    const { fileName, uploadTimestamp, fileInfo } = file;
    const version = { fileId: ref.fileId, fileName, contentSha1: sha1, uploadTimestamp, fileInfo };
    return { ref, fileId: ref.fileId, sha1, size: file.contentLength, version };
  }
  const head = headOf(await openDownload(context, ref, { ...key, method: 'HEAD' }, options));
  if (head.size === undefined)
    throw new ResponseValidationError('b2 download: the server did not say how big the file is', [
      { path: 'content-length', message: 'missing or not a size' },
    ]);
  const fileId = head.fileId || undefined;
  const version = {
    fileId,
    fileName: head.fileName || ref.fileName,
    contentSha1: head.contentSha1,
    uploadTimestamp: head.uploadTimestamp,
    fileInfo: head.fileInfo,
  };
  return { ref, fileId, sha1: head.contentSha1, size: head.size, version };
}

/**
 * Downloads (spec §3.3.5): by file id or by name, streamed, whole in memory, or saved to disk. A saved file
 * is renamed into place only when proven complete: its SHA-1 (B2's, or `large_file_sha1`) when known, and
 * always its size; a resumed range must come from the same file version.
 */
import { createHash } from 'node:crypto';
import {
  type BaseClient,
  type CallOptions,
  DEFAULT_MAX_RESPONSE_BYTES,
  IntegrityError,
  InvalidInputError,
  type ProgressListener,
  type RangeOpener,
  ResponseValidationError,
  readAll,
  type SavedFile,
  type StreamResponse,
  saveRangesToFile,
  saveToFile,
  type TransferOptions,
} from '@mediaferry/core';
import type { B2Token } from './auth.js';
import { createB2Error } from './errors.js';
import type { FileVersion } from './models.js';
import { checkFileName, decodeB2Name, encodeB2Name, isUrlPathSafe } from './names.js';

export interface DownloadOptions extends TransferOptions {
  /** Inclusive byte range. */
  readonly range?: { readonly start: number; readonly end?: number };
  /** `b2ContentDisposition` etc.: response header overrides (they need a token, even on public buckets). */
  readonly overrides?: Partial<
    Record<
      | 'b2ContentDisposition'
      | 'b2ContentLanguage'
      | 'b2Expires'
      | 'b2CacheControl'
      | 'b2ContentEncoding'
      | 'b2ContentType',
      string
    >
  >;
  /** Sent as `If-Range` with `range`: the range is served only if the file still has this validator. */
  readonly ifRange?: string;
  readonly onProgress?: ProgressListener;
}

/** A downloaded file held in memory (aiob2's `DownloadedFile`). */
export interface DownloadedFile {
  readonly data: Uint8Array;
  readonly fileId: string;
  readonly fileName: string;
  readonly contentType: string | undefined;
  readonly contentLength: number;
  readonly contentSha1: string | undefined;
  readonly uploadTimestamp: Date | undefined;
  readonly info: Record<string, string>;
}

export type FileRef =
  | { readonly fileId: string }
  | { readonly bucketName: string; readonly fileName: string };

export interface SaveFileOptions extends TransferOptions {
  readonly onProgress?: ProgressListener;
  /** Ranges fetched in parallel for a file bigger than `partSize`. Default 1 (one stream). */
  readonly concurrency?: number;
  readonly partSize?: number;
}

/** What downloads need from the client. */
export interface DownloadContext {
  readonly http: BaseClient;
  readonly version: string;
  connect(options: CallOptions): Promise<B2Token>;
  getFileInfo(fileId: string, options: CallOptions): Promise<FileVersion>;
  /** The current version of a file by bucket and exact name (first of a listing from that name). */
  findFile(bucketName: string, fileName: string, options: CallOptions): Promise<FileVersion | undefined>;
}

/** The id of the current version of `bucketName/fileName`, or B2's 404 when there is none. */
async function fileIdOf(
  context: DownloadContext,
  bucketName: string,
  fileName: string,
  options: CallOptions,
): Promise<string> {
  const file = await context.findFile(bucketName, fileName, options);
  if (file?.fileId && file.fileName === fileName && file.action === 'upload') return file.fileId;
  throw createB2Error({
    service: 'b2',
    status: 404,
    headers: new Headers(),
    code: 'not_found',
    message: `file not present: ${fileName}`,
    request: { method: 'GET', url: `b2://${bucketName}/${fileName}`, endpoint: 'download_file_by_name' },
  });
}

/** Headers that name the exact version served: a resumed range must carry the same. */
const VERSION_HEADERS = ['x-bz-file-id', 'x-bz-content-sha1'];

/** Opens a download as a stream: by file id, or by bucket and file name. */
export async function openDownload(
  context: DownloadContext,
  ref: FileRef,
  options: DownloadOptions = {},
): Promise<StreamResponse> {
  const { range, overrides, onProgress, ifRange, ...call } = options;
  if (
    range &&
    (!Number.isInteger(range.start) ||
      range.start < 0 ||
      (range.end !== undefined && (!Number.isInteger(range.end) || range.end < range.start)))
  ) {
    throw new InvalidInputError('range', 'must be {start ≥ 0, end ≥ start}');
  }
  const session = await context.connect(call);
  const query: Record<string, string> = { ...(overrides ?? {}) };
  let path: string;
  // `.`, `..` and empty segments would be rewritten by URL parsing (`%2E` too; `%2F` is not allowed): in a
  // URL path such a name is another file, so it is fetched by id.
  if (!('fileId' in ref) && !isUrlPathSafe(ref.fileName)) {
    checkFileName(ref.fileName);
    ref = { fileId: await fileIdOf(context, ref.bucketName, ref.fileName, call) };
  }
  if ('fileId' in ref) {
    path = `${session.downloadUrl}/b2api/${context.version}/b2_download_file_by_id`;
    query.fileId = ref.fileId;
  } else {
    checkFileName(ref.fileName);
    path = `${session.downloadUrl}/file/${encodeURIComponent(ref.bucketName)}/${encodeB2Name(ref.fileName)}`;
  }
  return context.http.stream({
    ...call,
    path,
    query,
    endpoint: 'fileId' in ref ? 'b2_download_file_by_id' : 'download_file_by_name',
    credentials: 'required',
    ...(range ? { headers: { range: `bytes=${range.start}-${range.end ?? ''}`, 'if-range': ifRange } } : {}),
    okStatus: (status) => status === 200 || status === 206,
    ...(onProgress ? { onDownloadProgress: onProgress } : {}),
  });
}

/** The whole file in memory, SHA-1 checked when B2 gives one. */
export async function downloadWhole(
  context: DownloadContext,
  ref: FileRef,
  options: DownloadOptions,
): Promise<DownloadedFile> {
  const response = await openDownload(context, ref, options);
  // With a Content-Length the guard holds the body to it; without one, the client's cap applies.
  const data = await readAll(
    response.body,
    response.contentLength ?? context.http.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  );
  const headers = response.headers;
  const sha1 = headers.get('x-bz-content-sha1') ?? undefined;
  if (!options.range && sha1 && /^[0-9a-f]{40}$/.test(sha1)) {
    const actual = createHash('sha1').update(data).digest('hex');
    if (actual !== sha1)
      throw new IntegrityError(headers.get('x-bz-file-name') ?? 'download', 'sha1', sha1, actual);
  }
  const info: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith('x-bz-info-')) info[name.slice(10)] = safeDecode(value);
  });
  const timestamp = Number(headers.get('x-bz-upload-timestamp'));
  return {
    data,
    fileId: headers.get('x-bz-file-id') ?? '',
    fileName: safeDecode(headers.get('x-bz-file-name') ?? ''),
    contentType: headers.get('content-type') ?? undefined,
    contentLength: data.byteLength,
    contentSha1: sha1,
    uploadTimestamp: Number.isFinite(timestamp) && timestamp > 0 ? new Date(timestamp) : undefined,
    info,
  };
}

/** A header value B2 percent-encoded; a malformed one is kept as received rather than failing the download. */
function safeDecode(value: string): string {
  try {
    return decodeB2Name(value);
  } catch {
    return value;
  }
}

/**
 * Streams a file to disk: a temporary name renamed into place only when complete (its size always, its
 * SHA-1 when B2 or the uploader recorded one); a cut body resumes by Range with `If-Range`, pinned to the
 * file version first seen, so two versions are never spliced.
 */
export async function saveFile(
  context: DownloadContext,
  ref: FileRef,
  destination: string,
  options: SaveFileOptions = {},
): Promise<SavedFile> {
  const { onProgress, concurrency = 1, partSize = 16 * 1024 * 1024, ...call } = options;
  const described = await describe(context, ref, call);
  // The version described is the one saved: later requests go by its id, never by a name that may move.
  const pinned: FileRef = described.fileId ? { fileId: described.fileId } : ref;
  const integrity = described.sha1 ? { algorithm: 'sha1' as const, expected: described.sha1 } : undefined;
  if (concurrency > 1 && described.size > partSize) {
    // One connection is often the bottleneck for a big file: fetch ranges in parallel instead.
    return saveRangesToFile(
      (range, signal) => openDownload(context, pinned, { ...call, signal, range }),
      destination,
      {
        size: described.size,
        partSize,
        concurrency,
        signal: call.signal,
        onProgress,
        integrity,
        sameFileHeaders: VERSION_HEADERS,
      },
    );
  }
  const opener: RangeOpener = (range, signal) =>
    openDownload(context, pinned, {
      ...call,
      signal: signal ?? call.signal,
      ...(range
        ? { range: { start: range.start }, ...(range.ifRange ? { ifRange: range.ifRange } : {}) }
        : {}),
    });
  return saveToFile(opener, destination, {
    signal: call.signal,
    onProgress,
    expectedSize: described.size,
    sameFileHeaders: VERSION_HEADERS,
    ...(integrity ? { integrity } : { hash: 'sha1' as const }),
  });
}

/** Id, size and expected SHA-1 of a file (B2's, or `large_file_sha1` when the uploader recorded it). */
async function describe(
  context: DownloadContext,
  ref: FileRef,
  options: TransferOptions,
): Promise<{ fileId: string | undefined; sha1: string | undefined; size: number }> {
  let sha1: string | null | undefined;
  let largeSha1: string | undefined;
  let size: number | undefined;
  let fileId: string | undefined;
  if ('fileId' in ref) {
    const file = await context.getFileInfo(ref.fileId, options);
    sha1 = file.contentSha1;
    largeSha1 = file.fileInfo.large_file_sha1;
    size = file.contentLength;
    fileId = ref.fileId;
  } else {
    const head = await openDownload(context, ref, { ...options, range: { start: 0, end: 0 } });
    await head.body.cancel();
    sha1 = head.headers.get('x-bz-content-sha1');
    largeSha1 = head.headers.get('x-bz-info-large_file_sha1') ?? undefined;
    fileId = head.headers.get('x-bz-file-id') ?? undefined;
    const total = /^bytes \d+-\d+\/(\d+)$/.exec(head.headers.get('content-range') ?? '')?.[1];
    size = total !== undefined ? Number(total) : head.status === 200 ? head.contentLength : undefined;
  }
  if (size === undefined || !Number.isSafeInteger(size) || size < 0)
    throw new ResponseValidationError('b2 download: the server did not say how big the file is', [
      { path: 'content-range', message: 'missing or not a size' },
    ]);
  const plain = sha1?.replace(/^unverified:/, '');
  if (plain && /^[0-9a-f]{40}$/.test(plain)) return { fileId, sha1: plain, size };
  return { fileId, sha1: largeSha1 && /^[0-9a-f]{40}$/.test(largeSha1) ? largeSha1 : undefined, size };
}

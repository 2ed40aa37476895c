/**
 * The CDN side: pre-signed links are fetched without credentials (the signature is the credential), an
 * HTML page is never taken for the media, and a download to disk is atomic, verified and resumable.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type BaseClient,
  IntegrityError,
  InvalidInputError,
  type ProgressListener,
  type RequestOptions,
  rangeOpener,
  type SavedFile,
  type StreamResponse,
  saveToFile,
} from '@mediaferry/core';
import type { DownloadedFile } from './models.js';

/** Per-call options of CDN requests: the core's, plus extra headers. */
export interface CdnCallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeout?: number | undefined;
  readonly transferTimeout?: number | undefined;
  readonly maxRetries?: number | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

const isHtml = (headers: Headers) => /^\s*text\/html\b/i.test(headers.get('content-type') ?? '');

/** A pre-signed link, checked: only an absolute http(s) URL is fetched. */
export function checkedLink(url: unknown, field: string): string {
  if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/i.test(url))
    throw new InvalidInputError(field, 'must be an absolute http(s) URL');
  return url;
}

function cdnRequest(url: string, options: CdnCallOptions): RequestOptions {
  return { ...options, path: url, auth: false, endpoint: 'cdn' };
}

/** Opens a link as a stream; an HTML answer (an error page served with 200) is an `IntegrityError`. */
export async function openLink(
  http: BaseClient,
  url: string,
  options: CdnCallOptions = {},
): Promise<{ file: DownloadedFile; response: StreamResponse }> {
  const response = await http.stream(cdnRequest(url, options));
  if (isHtml(response.headers)) {
    await response.body.cancel().catch(() => {});
    throw new IntegrityError(`GET ${response.url}`, 'content-type', 'media', 'text/html (an error page)');
  }
  const file: DownloadedFile = {
    body: response.body,
    size: response.contentLength,
    contentType: response.headers.get('content-type') ?? undefined,
    sha1: undefined,
    headers: response.headers,
  };
  return { file, response };
}

/** A HEAD on a pre-signed `head` link (its body, empty, already released). */
export async function headResponse(
  http: BaseClient,
  url: string,
  options: CdnCallOptions = {},
): Promise<StreamResponse> {
  const response = await http.stream({ ...cdnRequest(url, options), method: 'HEAD' });
  await response.body.cancel().catch(() => {});
  return response;
}

/** The size a HEAD on a pre-signed `head` link announces (undefined when it says none). */
export async function headLength(
  http: BaseClient,
  url: string,
  options: CdnCallOptions = {},
): Promise<number | undefined> {
  return (await headResponse(http, url, options)).contentLength;
}

export interface SaveLinkOptions extends CdnCallOptions {
  readonly onProgress?: ProgressListener | undefined;
  /** The size the bytes must have (the search's `file_size`), when known. */
  readonly expectedSize?: number | undefined;
}

/**
 * The folders a run of saves creates, each once: the files of a pull share a folder, and every mkdir is a
 * round trip to the thread pool (two, with the stat that follows one that finds the folder there).
 */
export class Folders {
  readonly #made = new Map<string, Promise<unknown>>();

  make(path: string): Promise<unknown> {
    let made = this.#made.get(path);
    if (!made) {
      made = mkdir(path, { recursive: true });
      // A failure is not remembered: the next file tries again.
      made.catch(() => this.#made.delete(path));
      this.#made.set(path, made);
    }
    return made;
  }
}

/**
 * Streams a link to `path`, creating its folder (once per `folders`, when given): bytes go to a temporary
 * file renamed into place only when complete — of `expectedSize` when given, else of the size the CDN
 * announced. A cut body resumes with Range and `If-Range`; a changed ETag restarts rather than splices; an
 * HTML page is refused.
 */
export async function saveLink(
  http: BaseClient,
  url: string,
  path: string,
  options: SaveLinkOptions = {},
  folders?: Folders,
): Promise<SavedFile> {
  const { onProgress, expectedSize, ...call } = options;
  if (expectedSize !== undefined && (!Number.isSafeInteger(expectedSize) || expectedSize < 0))
    throw new InvalidInputError('expectedSize', 'must be a whole number of bytes ≥ 0');
  if (typeof path !== 'string' || path === '')
    throw new InvalidInputError('path', 'must be a non-empty path');
  await (folders?.make(dirname(path)) ?? mkdir(dirname(path), { recursive: true }));
  return saveToFile(rangeOpener(http, cdnRequest(url, call)), path, {
    signal: call.signal,
    onProgress,
    expectedSize,
    refuseHtml: true,
  });
}

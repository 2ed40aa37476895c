/**
 * Upload engine (spec §3.3.3, §3.3.8, §3.6): small files in one POST, large files in parallel parts, every
 * attempt on an exclusive upload URL; a failure that calls for it takes a fresh URL and tries again.
 */

import { createHash } from 'node:crypto';
import {
  ApiError,
  type BaseClient,
  type BodySource,
  backoffDelay,
  type Clock,
  ConnectionError,
  DEFAULT_RETRY_OPTIONS,
  fixedChunks,
  InvalidInputError,
  type ProgressListener,
  throwIfAborted,
  toBodySource,
  type UploadSource,
} from '@mediaferry/core';
import { CapExceededError } from './errors.js';
import { type FileVersion, fileVersionSchema, type Part, partSchema } from './models.js';
import { checkFileInfo, checkFileName, encodeB2Name } from './names.js';
import type { UploadTarget, UploadUrlPool } from './upload-pool.js';

/** Attempts per upload, each with a fresh URL after a failure (b2sdk makes 5). */
export const UPLOAD_ATTEMPTS = 5;

export interface UploadOptions {
  /** MIME type; default `b2/x-auto` (B2 guesses from the extension). */
  readonly contentType?: string;
  /** File info (`X-Bz-Info-*`), at most 10 entries. */
  readonly info?: Readonly<Record<string, string>>;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
  /** Part size for large files; default the account's recommended part size. */
  readonly partSize?: number;
  /** Parts in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Size in bytes when the source cannot tell (a stream). */
  readonly size?: number;
  /** Resume an unfinished large file of the same name, reusing parts whose size and SHA-1 match. */
  readonly resume?: boolean;
}

/** What the engine needs from the client. */
export interface UploadContext {
  readonly http: BaseClient;
  readonly pool: UploadUrlPool;
  readonly clock: Clock;
  uploadUrl(
    bucketId: string,
    signal?: AbortSignal,
  ): Promise<{ uploadUrl: string; authorizationToken: string }>;
  partUrl(fileId: string, signal?: AbortSignal): Promise<{ uploadUrl: string; authorizationToken: string }>;
}

/** Whether an upload failure means "new URL and retry" (spec §3.6). */
function wantsNewUrl(error: unknown): boolean {
  if (error instanceof CapExceededError) return false;
  if (error instanceof ConnectionError) return true; // resets, refused, timeouts
  if (!(error instanceof ApiError)) return false;
  if (error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500)
    return true;
  return error.status === 400 && error.code === 'auth_token_limit';
}

/** A body source that streams the bytes and then their SHA-1 as 40 hex digits (`hex_digits_at_end`). */
function withSha1AtEnd(
  inner: () => Promise<ReadableStream<Uint8Array>>,
  size: number,
  replayable: boolean,
): BodySource {
  let consumed = false;
  return {
    kind: 'body',
    size: size + 40,
    replayable,
    rangeable: false,
    get consumed() {
      return consumed;
    },
    async open() {
      consumed = true;
      const hash = createHash('sha1');
      return (await inner()).pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            hash.update(chunk);
            controller.enqueue(chunk);
          },
          flush(controller) {
            controller.enqueue(new TextEncoder().encode(hash.digest('hex')));
          },
        }),
      );
    },
  };
}

/**
 * Runs one upload POST with up to {@link UPLOAD_ATTEMPTS} attempts, each on its own URL from the pool. The
 * HTTP layer itself never retries an upload: a retry must use a fresh URL, and a one-shot body is never re-sent.
 */
async function postWithFreshUrls<T>(
  context: UploadContext,
  poolKey: string,
  obtain: () => Promise<{ uploadUrl: string; authorizationToken: string }>,
  body: BodySource,
  send: (target: UploadTarget, body: BodySource) => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    throwIfAborted(signal);
    const target = await context.pool.checkout(poolKey, obtain);
    try {
      const result = await send(target, body);
      context.pool.checkin(poolKey, target);
      return result;
    } catch (error) {
      const retryable =
        wantsNewUrl(error) && attempt + 1 < UPLOAD_ATTEMPTS && (body.replayable || !body.consumed);
      if (!retryable) throw error;
      const retryAfter = error instanceof ApiError ? error.retryAfterMs : undefined;
      // 429 backs off on the same URL; everything else drops it.
      if (error instanceof ApiError && error.status === 429) context.pool.checkin(poolKey, target);
      await context.clock.sleep(
        retryAfter ??
          backoffDelay(attempt, { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 1000, maxDelayMs: 64_000 }),
        signal,
      );
    }
  }
}

export function uploadHeaders(
  fileName: string,
  contentType: string,
  info: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-bz-file-name': encodeB2Name(fileName),
    'content-type': contentType,
    'x-bz-content-sha1': 'hex_digits_at_end',
  };
  for (const [key, value] of Object.entries(info ?? {})) headers[`x-bz-info-${key}`] = encodeB2Name(value);
  return headers;
}

/** A small file: one POST, bytes streamed with their SHA-1 at the end. */
export async function uploadSmall(
  context: UploadContext,
  bucketId: string,
  fileName: string,
  source: BodySource,
  size: number,
  options: UploadOptions,
): Promise<FileVersion> {
  const headers = uploadHeaders(fileName, options.contentType ?? 'b2/x-auto', options.info);
  const body = withSha1AtEnd(() => source.open(), size, source.replayable);
  return postWithFreshUrls(
    context,
    `bucket:${bucketId}`,
    () => context.uploadUrl(bucketId, options.signal),
    body,
    (target, payload) =>
      context.http.request({
        method: 'POST',
        path: target.uploadUrl,
        endpoint: 'b2_upload_file',
        auth: false,
        maxRetries: 0,
        headers: { ...headers, authorization: target.authorizationToken },
        body: { source: payload, size: size + 40 },
        schema: fileVersionSchema,
        signal: options.signal,
        ...(options.onProgress
          ? {
              onUploadProgress: (p) =>
                options.onProgress?.({ loaded: Math.min(p.loaded, size), total: size }),
            }
          : {}),
      }),
    options.signal,
  );
}

/** One part of a large file, from a range of a replayable source or from bytes in hand. */
export async function uploadPart(
  context: UploadContext,
  fileId: string,
  partNumber: number,
  open: () => Promise<ReadableStream<Uint8Array>>,
  size: number,
  options: { signal?: AbortSignal | undefined; replayable: boolean; onBytes?: (n: number) => void },
): Promise<Part> {
  const body = withSha1AtEnd(open, size, options.replayable);
  return postWithFreshUrls(
    context,
    `file:${fileId}`,
    () => context.partUrl(fileId, options.signal),
    body,
    (target, payload) => {
      let sent = 0;
      return context.http.request({
        method: 'POST',
        path: target.uploadUrl,
        endpoint: 'b2_upload_part',
        auth: false,
        maxRetries: 0,
        headers: {
          authorization: target.authorizationToken,
          'x-bz-part-number': String(partNumber),
          'x-bz-content-sha1': 'hex_digits_at_end',
        },
        body: { source: payload, size: size + 40 },
        schema: partSchema,
        signal: options.signal,
        onUploadProgress: (p) => {
          const loaded = Math.min(p.loaded, size);
          options.onBytes?.(loaded - sent);
          sent = loaded;
        },
      });
    },
    options.signal,
  );
}

/** Validates everything about an upload before any request. */
export function checkUpload(fileName: string, options: UploadOptions): void {
  checkFileName(fileName);
  checkFileInfo(options.info);
  if (options.partSize !== undefined && (!Number.isInteger(options.partSize) || options.partSize < 1)) {
    throw new InvalidInputError('partSize', 'must be a positive integer');
  }
  if (
    options.concurrency !== undefined &&
    (!Number.isInteger(options.concurrency) || options.concurrency < 1)
  ) {
    throw new InvalidInputError('concurrency', 'must be an integer ≥ 1');
  }
}

/** Opens a source as a body source, with its size when known. */
export async function openSource(source: UploadSource, size: number | undefined): Promise<BodySource> {
  return toBodySource(source, size === undefined ? {} : { size });
}

export { fixedChunks };

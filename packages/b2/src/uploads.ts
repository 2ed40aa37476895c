/**
 * Upload engine (spec §3.3.3, §3.3.8, §3.6): small files in one POST, large files in parallel parts, every
 * attempt on an exclusive upload URL; a failure that calls for it takes a fresh URL and tries again.
 */

import { createHash } from 'node:crypto';
import {
  ApiError,
  type BaseClient,
  type BodySource,
  boundedWait,
  type Clock,
  ConnectionError,
  fixedChunks,
  InvalidInputError,
  markIfOverCap,
  type ProgressListener,
  progressReporter,
  type RetryOptions,
  type TransferOptions,
  throwIfAborted,
  toBodySource,
  type UploadSource,
} from '@mediaferry/core';
import { CapExceededError } from './errors.js';
import { type FileVersion, fileVersionSchema, type Part, partSchema } from './models.js';
import { checkFileInfo, checkFileName, encodeB2Name } from './names.js';
import type { UploadTarget, UploadUrlPool } from './upload-pool.js';

/** Attempts per upload, each with a fresh URL after a failure (b2sdk makes 5), unless `maxRetries` says otherwise. */
export const UPLOAD_ATTEMPTS = 5;

/** b2sdk's upload backoff: 1 s doubling to 64 s (still bounded by `maxRetryAfterMs`). */
const UPLOAD_BACKOFF = { baseDelayMs: 1000, maxDelayMs: 64_000 };

/**
 * Upload options. `maxRetries` (this call's, else the client's) bounds the fresh-URL attempts; `timeout` /
 * `transferTimeout` bound each attempt.
 */
export interface UploadOptions extends TransferOptions {
  /** MIME type; default `b2/x-auto` (B2 guesses from the extension). */
  readonly contentType?: string;
  /** File info (`X-Bz-Info-*`), at most 10 entries. */
  readonly info?: Readonly<Record<string, string>>;
  /** Bytes sent: monotonic across retries and resumes, never above the size. */
  readonly onProgress?: ProgressListener;
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

/** The per-request options of one upload attempt: limits of the call, no retries of its own. */
function attemptOptions(options: UploadAttemptOptions) {
  return {
    signal: options.signal,
    timeout: options.timeout,
    transferTimeout: options.transferTimeout,
    maxRetries: 0,
    auth: false as const,
  };
}

type UploadAttemptOptions = Pick<UploadOptions, 'signal' | 'timeout' | 'transferTimeout' | 'maxRetries'>;

/**
 * Runs one upload POST with fresh-URL attempts ({@link UPLOAD_ATTEMPTS}, or `maxRetries` + 1), each on its own
 * URL from the pool. The HTTP layer itself never retries an upload: a retry must use a fresh URL, and a
 * one-shot body is never re-sent. Waits go through the core's one bounded rule: a server asking to wait
 * longer than `maxRetryAfterMs` gets its error thrown (a `RateLimitError`), never a longer sleep.
 */
async function postWithFreshUrls<T>(
  context: UploadContext,
  poolKey: string,
  obtain: () => Promise<{ uploadUrl: string; authorizationToken: string }>,
  body: BodySource,
  send: (target: UploadTarget, body: BodySource) => Promise<T>,
  options: UploadAttemptOptions,
): Promise<T> {
  const { signal } = options;
  const http = context.http;
  const retries = options.maxRetries ?? http.options.maxRetries ?? UPLOAD_ATTEMPTS - 1;
  const retry: RetryOptions = { ...http.retryOptions, ...UPLOAD_BACKOFF, ...http.options.retry };
  for (let attempt = 0; ; attempt += 1) {
    throwIfAborted(signal);
    const target = await context.pool.checkout(poolKey, obtain);
    try {
      const result = await send(target, body);
      context.pool.checkin(poolKey, target);
      return result;
    } catch (error) {
      const retryable = wantsNewUrl(error) && attempt < retries && (body.replayable || !body.consumed);
      if (!retryable) {
        if (error instanceof ApiError) markIfOverCap(error, retry);
        throw error;
      }
      const failure = error as ApiError | ConnectionError;
      const wait = boundedWait(
        failure instanceof ApiError ? failure.retryAfterMs : undefined,
        failure,
        attempt,
        retry,
      );
      // 429 backs off on the same URL; everything else drops it.
      if (error instanceof ApiError && error.status === 429) context.pool.checkin(poolKey, target);
      http.logger.warn(
        `b2 upload: ${failure.message}; fresh URL, attempt ${attempt + 2}/${retries + 1} in ${wait} ms`,
      );
      await context.clock.sleep(wait, signal);
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
  // One reporter across attempts: a retry re-sends from 0 without the count going back.
  const progress = progressReporter(options.onProgress, size);
  return postWithFreshUrls(
    context,
    `bucket:${bucketId}`,
    () => context.uploadUrl(bucketId, options.signal),
    body,
    (target, payload) =>
      context.http.request({
        ...attemptOptions(options),
        method: 'POST',
        path: target.uploadUrl,
        endpoint: 'b2_upload_file',
        headers: { ...headers, authorization: target.authorizationToken },
        body: { source: payload, size: size + 40 },
        schema: fileVersionSchema,
        ...(options.onProgress ? { onUploadProgress: (p) => progress.report(p.loaded) } : {}),
      }),
    options,
  );
}

/** One part of a large file, from a range of a replayable source or from bytes in hand. */
export async function uploadPart(
  context: UploadContext,
  fileId: string,
  partNumber: number,
  open: () => Promise<ReadableStream<Uint8Array>>,
  size: number,
  options: UploadAttemptOptions & { replayable: boolean; onBytes?: (n: number) => void },
): Promise<Part> {
  const body = withSha1AtEnd(open, size, options.replayable);
  // The part's high-water mark survives its retries: only bytes beyond it count, so the total never overshoots.
  let counted = 0;
  return postWithFreshUrls(
    context,
    `file:${fileId}`,
    () => context.partUrl(fileId, options.signal),
    body,
    (target, payload) =>
      context.http.request({
        ...attemptOptions(options),
        method: 'POST',
        path: target.uploadUrl,
        endpoint: 'b2_upload_part',
        headers: {
          authorization: target.authorizationToken,
          'x-bz-part-number': String(partNumber),
          'x-bz-content-sha1': 'hex_digits_at_end',
        },
        body: { source: payload, size: size + 40 },
        schema: partSchema,
        onUploadProgress: (p) => {
          const loaded = Math.min(p.loaded, size);
          if (loaded <= counted) return;
          options.onBytes?.(loaded - counted);
          counted = loaded;
        },
      }),
    options,
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

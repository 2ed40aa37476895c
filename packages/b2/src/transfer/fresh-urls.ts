/**
 * Upload attempts (spec §3.3.3, §3.6, §3.7): every attempt on an exclusive upload URL from the pool; a
 * failure that calls for it (a reset, a timeout, 401, 408, 429, 5xx, `auth_token_limit`) takes a fresh URL
 * and tries again, up to b2sdk's 5 attempts, with b2sdk's backoff bounded by the core's one wait rule. A
 * one-shot body already sent is never re-sent.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import {
  ApiError,
  type BodySource,
  boundedWait,
  ConnectionError,
  markIfOverCap,
  type RetryOptions,
  type TransferOptions,
  tapBody,
  throwIfAborted,
} from '@mediaferry/core';
import { CapExceededError } from '../errors.js';
import type { UploadUrl } from '../models.js';
import type { ManagerContext } from './context.js';
import type { UploadTarget } from './upload-pool.js';

/** Attempts per upload, each with a fresh URL after a failure (b2sdk makes 5), unless `maxRetries` says otherwise. */
export const UPLOAD_ATTEMPTS = 5;

/** b2sdk's upload backoff: 1 s doubling to 64 s (still bounded by `maxRetryAfterMs`). */
const UPLOAD_BACKOFF = { baseDelayMs: 1000, maxDelayMs: 64_000 };

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
export function withSha1AtEnd(
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
      return tapBody(await inner(), {
        chunk: (bytes) => hash.update(bytes),
        trailer: () => new TextEncoder().encode(hash.digest('hex')),
      });
    },
  };
}

/** The per-request options of one attempt: the call's limits and headers, no retries of its own. */
export function attemptOptions(options: TransferOptions): TransferOptions {
  return {
    signal: options.signal,
    timeout: options.timeout,
    transferTimeout: options.transferTimeout,
    headers: options.headers,
    maxRetries: 0,
  };
}

/**
 * Runs one upload POST with fresh-URL attempts ({@link UPLOAD_ATTEMPTS}, or `maxRetries` + 1), each on its
 * own URL from the pool. The HTTP layer never retries an upload itself: a retry must use a fresh URL. Waits
 * go through the core's one bounded rule: a server asking to wait longer than `maxRetryAfterMs` gets its
 * error thrown (a `RateLimitError`), never a longer sleep.
 */
export async function postWithFreshUrls<T>(
  context: ManagerContext,
  poolKey: string,
  obtain: () => Promise<UploadUrl>,
  body: BodySource,
  send: (target: UploadTarget, body: BodySource) => PromiseLike<T>,
  options: TransferOptions,
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

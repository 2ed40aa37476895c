/**
 * The retry policy: which failures are retried, after how long, and the hook through which a service adds
 * its own rules (B2: "expired token → re-authorize", Mixcloud: "403 rate limit → wait retry_after").
 *
 * @module
 */
import { ApiError, ConnectionError, type MediaferryError } from '../errors.js';

export interface RetryOptions {
  /** Delay before the first retry; doubles each time. Default 500 ms. */
  readonly baseDelayMs: number;
  /** Upper bound of the computed backoff. Default 8 s. */
  readonly maxDelayMs: number;
  /**
   * Longest server-requested wait (`Retry-After`) the client will sit through. A longer request is not
   * waited out: the error is thrown at once with its `retryAfterMs` set. Default 60 s.
   */
  readonly maxRetryAfterMs: number;
  /** Fraction of the backoff removed at random (0 = none, 1 = full jitter). Default 0.25. */
  readonly jitter: number;
}

export const DEFAULT_RETRY_OPTIONS: RetryOptions = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  jitter: 0.25,
};

export interface RetryContext {
  /** Retries already made for this call (0 before the first retry). */
  readonly attempt: number;
  readonly error: MediaferryError;
  readonly method: string;
  readonly endpoint: string | undefined;
}

export type RetryDecision =
  | { readonly retry: false; readonly reason?: string }
  | { readonly retry: true; readonly delayMs: number; readonly reason: string };

/**
 * A service rule. It receives the default decision and may keep it, replace it, or return `undefined` to
 * keep it.
 */
export type RetryHook = (context: RetryContext, fallback: RetryDecision) => RetryDecision | undefined;

/** Exponential backoff with the configured jitter: `base × 2^attempt`, capped. */
export function backoffDelay(
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const raw = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt);
  return Math.round(raw * (1 - options.jitter * random()));
}

/** Statuses retried by default: timeouts, rate limits and transient server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * The default decision: connection errors, 408, 429 and 5xx are retried after `Retry-After` when the
 * server gave one (and it is under the cap), else after exponential backoff.
 */
export function defaultRetryDecision(context: RetryContext, options: RetryOptions): RetryDecision {
  const { error, attempt } = context;
  if (error instanceof ConnectionError) {
    return { retry: true, delayMs: backoffDelay(attempt, options), reason: error.name };
  }
  if (!(error instanceof ApiError) || !isRetryableStatus(error.status)) return { retry: false };
  return delayFor(error, attempt, options, `status ${error.status}`);
}

/** A retry honouring the error's `retryAfterMs` (within the cap), or the backoff when it has none. */
export function delayFor(
  error: ApiError,
  attempt: number,
  options: RetryOptions,
  reason: string,
): RetryDecision {
  if (error.retryAfterMs === undefined)
    return { retry: true, delayMs: backoffDelay(attempt, options), reason };
  if (error.retryAfterMs > options.maxRetryAfterMs) {
    return { retry: false, reason: `server asked to wait ${error.retryAfterMs} ms, over the cap` };
  }
  return { retry: true, delayMs: error.retryAfterMs, reason: `${reason}, Retry-After` };
}

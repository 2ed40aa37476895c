/**
 * The retry policy: which failures are retried, after how long, and the hook through which a service adds
 * its own rules (B2: "expired token → re-authorize", Mixcloud: "403 rate limit → wait retry_after"). Every
 * wait, whoever proposed it, is bounded by {@link boundedWait}.
 *
 * @module
 */
import { ApiError, ConnectionError, InvalidInputError, type MediaferryError } from '../errors.js';
import { MAX_TIMER_MS, usableWaitMs } from './wait-ms.js';

export interface RetryOptions {
  /** Delay before the first retry; doubles each time. Default 500 ms. */
  readonly baseDelayMs: number;
  /** Upper bound of the computed backoff. Default 8 s. */
  readonly maxDelayMs: number;
  /**
   * Longest wait the client will sit through before a retry, server-requested (`Retry-After`, a body field)
   * or computed. A server asking for longer is not waited out: its error is thrown at once, as a
   * `RateLimitError` with `retryAfterMs` set. Default 60 s; at most 2³¹−1 ms.
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

/** Checks retry options once, when a client is built: a bad value is an {@link InvalidInputError}. */
export function checkRetryOptions(options: RetryOptions, field = 'retry'): RetryOptions {
  for (const name of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    const value = options[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TIMER_MS)
      throw new InvalidInputError(`${field}.${name}`, `must be a number of ms from 0 to ${MAX_TIMER_MS}`);
  }
  if (typeof options.jitter !== 'number' || !(options.jitter >= 0 && options.jitter <= 1))
    throw new InvalidInputError(`${field}.jitter`, 'must be a number from 0 to 1');
  return options;
}

export interface RetryContext {
  /** Retries already made for this call (0 before the first retry). */
  readonly attempt: number;
  readonly error: MediaferryError;
  readonly method: string;
  readonly endpoint: string | undefined;
  /** The retry options in force for this call. */
  readonly options: RetryOptions;
}

export type RetryDecision =
  | { readonly retry: false; readonly reason?: string }
  | { readonly retry: true; readonly delayMs: number; readonly reason: string };

/**
 * A service rule. It receives the default decision and may keep it, replace it, or return `undefined` to
 * keep it. Whatever delay it proposes is still bounded by {@link boundedWait}.
 */
export type RetryHook = (context: RetryContext, fallback: RetryDecision) => RetryDecision | undefined;

/** Exponential backoff with the configured jitter: `base × 2^attempt`, capped. */
export function backoffDelay(
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const raw = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(raw * (1 - options.jitter * random()));
}

/** Statuses retried by default: timeouts, rate limits and transient server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
}

/**
 * The default decision: connection errors, 408, 429 and 5xx are retried after the server's wait hint when
 * it gave one, else after exponential backoff.
 */
export function defaultRetryDecision(context: RetryContext, options: RetryOptions): RetryDecision {
  const { error, attempt } = context;
  if (error instanceof ConnectionError) {
    return { retry: true, delayMs: backoffDelay(attempt, options), reason: error.name };
  }
  if (!(error instanceof ApiError) || !isRetryableStatus(error.status)) return { retry: false };
  return delayFor(error, attempt, options, `status ${error.status}`);
}

/** A retry after the error's `retryAfterMs`, or after the backoff when it has none. Bounded later. */
export function delayFor(
  error: ApiError,
  attempt: number,
  options: RetryOptions,
  reason: string,
): RetryDecision {
  if (error.retryAfterMs === undefined)
    return { retry: true, delayMs: backoffDelay(attempt, options), reason };
  return { retry: true, delayMs: error.retryAfterMs, reason: `${reason}, Retry-After` };
}

/** The longest wait a client sits through, whatever its options say. */
function capOf(options: RetryOptions): number {
  return Math.min(options.maxRetryAfterMs, MAX_TIMER_MS);
}

/**
 * Whether the server asked for a wait longer than the client accepts. Such an error is marked a
 * `RateLimitError` (it keeps its own class and status) so callers can schedule the retry themselves.
 */
export function markIfOverCap(error: MediaferryError, options: RetryOptions): boolean {
  if (!(error instanceof ApiError) || error.retryAfterMs === undefined) return false;
  if (error.retryAfterMs <= capOf(options)) return false;
  error.addKind('RateLimitError');
  return true;
}

/**
 * The one rule every retry wait goes through (the core transport, service hooks, B2's upload loop): a
 * proposed delay that is negative, not finite or not a number is replaced by the backoff; a server hint
 * over `maxRetryAfterMs` is not waited (the error is thrown, marked a `RateLimitError`); any other delay is
 * clamped to the cap, so no wait is unbounded and none reaches `setTimeout` above 2³¹−1 ms.
 */
export function boundedWait(
  proposedMs: number | undefined,
  error: MediaferryError,
  attempt: number,
  options: RetryOptions,
): number {
  if (markIfOverCap(error, options)) throw error;
  const wait = usableWaitMs(proposedMs) ?? backoffDelay(attempt, options);
  return Math.min(wait, capOf(options));
}

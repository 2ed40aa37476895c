import { describe, expect, it } from 'vitest';
import {
  ApiError,
  backoffDelay,
  boundedWait,
  ConnectionError,
  DEFAULT_RETRY_OPTIONS,
  defaultRetryDecision,
  parseRetryAfter,
  parseRetryAfterValue,
  RateLimitError,
} from '../src/index.js';

const now = Date.UTC(2026, 10, 24, 12, 0, 0);
const apiError = (status: number, retryAfterMs?: number) =>
  ApiError.fromInit({
    service: 't',
    status,
    headers: new Headers(),
    message: 'm',
    request: { method: 'GET', url: 'u' },
    retryAfterMs,
  });

describe('Retry-After parsing', () => {
  it('reads seconds, fractional seconds, HTTP-dates and retry-after-ms', () => {
    expect(parseRetryAfterValue('120', now)).toBe(120_000);
    expect(parseRetryAfterValue('1.5', now)).toBe(1500);
    expect(parseRetryAfterValue('Tue, 24 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterValue('Tue, 24 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterValue('soon', now)).toBeUndefined();
    expect(parseRetryAfterValue('-3', now)).toBeUndefined();
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(new Headers(), now)).toBeUndefined();
  });
});

describe('default retry decision', () => {
  const options = { ...DEFAULT_RETRY_OPTIONS, jitter: 0 };
  const decide = (error: ApiError | ConnectionError, attempt = 0) =>
    defaultRetryDecision({ attempt, error, method: 'GET', endpoint: undefined, options }, options);

  it('retries connection errors, 408, 429 and 5xx but not 4xx or 501', () => {
    expect(decide(new ConnectionError('reset')).retry).toBe(true);
    for (const status of [408, 429, 500, 502, 503, 504]) expect(decide(apiError(status)).retry).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 416, 501])
      expect(decide(apiError(status)).retry).toBe(false);
  });

  it('uses Retry-After under the cap; a longer ask is thrown as a RateLimitError, never waited', () => {
    expect(decide(apiError(429, 2000))).toMatchObject({ retry: true, delayMs: 2000 });
    expect(boundedWait(2000, apiError(429, 2000), 0, options)).toBe(2000);
    const tooLong = apiError(503, 61_000);
    expect(() => boundedWait(61_000, tooLong, 0, options)).toThrow(tooLong);
    expect(tooLong).toBeInstanceOf(RateLimitError);
    expect(tooLong.status).toBe(503);
    expect(tooLong.retryAfterMs).toBe(61_000);
  });

  it('bounds every wait: garbage means backoff, computed waits are clamped, timers never overflow', () => {
    const error = apiError(503);
    expect(boundedWait(-5, error, 1, options)).toBe(1000);
    expect(boundedWait(Number.NaN, error, 0, options)).toBe(500);
    expect(boundedWait(Number.POSITIVE_INFINITY, error, 2, options)).toBe(2000);
    expect(boundedWait(10 * 60_000, error, 0, options)).toBe(60_000);
    expect(boundedWait(2 ** 40, error, 0, { ...options, maxRetryAfterMs: 2 ** 31 - 1 })).toBe(2 ** 31 - 1);
    expect(apiError(503, -1).retryAfterMs).toBeUndefined();
    expect(apiError(503, Number.NaN).retryAfterMs).toBeUndefined();
  });

  it('backs off exponentially up to the cap, jitter only shortens', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, options))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ]);
    const jittered = { ...options, jitter: 0.25 };
    expect(backoffDelay(2, jittered, () => 1)).toBe(1500);
    expect(backoffDelay(2, jittered, () => 0)).toBe(2000);
  });
});

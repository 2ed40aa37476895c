/**
 * Parsing of server wait hints: `Retry-After` as delta-seconds or HTTP-date, and `retry-after-ms`.
 *
 * @module
 */

/**
 * Milliseconds to wait as asked by the response headers, or `undefined` when there is no usable hint.
 * A date in the past yields 0.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.ceil(Number(ms));
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  return parseRetryAfterValue(raw, now);
}

/** Parses one `Retry-After` value: `120`, `1.5`, or `Wed, 21 Oct 2026 07:28:00 GMT`. */
export function parseRetryAfterValue(raw: string, now: number = Date.now()): number | undefined {
  const value = raw.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  if (!/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Response validation with zod, tolerant by design: schemas are loose objects (unknown fields pass) and
 * enums are open (an unknown value passes as a plain string), so a server that grows never breaks a call.
 *
 * @module
 */
import { z } from 'zod';
import { ResponseValidationError } from './errors.js';
import type { ValidationMode } from './http/types.js';
import type { Logger } from './logger.js';

/**
 * Validates `data` with `schema`. `strict` throws {@link ResponseValidationError} on mismatch; `warn`
 * logs and returns the data unchanged; `off` returns it silently. Valid data is always returned parsed
 * (transforms applied: timestamps become `Date`…).
 */
export function validateResponse<T>(
  schema: z.ZodType<T>,
  data: unknown,
  mode: ValidationMode,
  logger: Logger,
  what: string,
): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.join('.') || '(root)',
    message: issue.message,
  }));
  if (mode === 'strict') {
    const summary = issues
      .slice(0, 5)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    throw new ResponseValidationError(`Unexpected response from ${what}: ${summary}`, issues, {
      cause: result.error,
    });
  }
  if (mode === 'warn')
    logger.warn(`response from ${what} does not match its schema; using it as received`, {
      issues: issues.slice(0, 10),
    });
  return data as T;
}

/**
 * An enum that accepts values it does not know: typed as the known literals or any other string, so
 * editors still suggest the known ones.
 */
export function openEnum<const V extends readonly [string, ...string[]]>(
  values: V,
): z.ZodType<V[number] | (string & {})> {
  void values;
  return z.string() as unknown as z.ZodType<V[number] | (string & {})>;
}

/** A numeric enum that accepts unknown numbers. */
export function openNumericEnum<const V extends readonly number[]>(
  values: V,
): z.ZodType<V[number] | (number & {})> {
  void values;
  return z.number() as unknown as z.ZodType<V[number] | (number & {})>;
}

/** Epoch milliseconds → `Date`. */
export const epochMillis = z.number().transform((ms) => new Date(ms));

/** Epoch seconds → `Date`. */
export const epochSeconds = z.number().transform((s) => new Date(s * 1000));

/** An ISO-8601 / RFC 3339 string → `Date` (an unparseable string fails validation). */
export const isoDate = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `not a date: ${value}` });
    return z.NEVER;
  }
  return date;
});

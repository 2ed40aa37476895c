/**
 * Response validation with zod. Schemas are loose objects (unknown fields pass) and enums are open (an
 * unknown value passes as a plain string), so a server that grows never breaks a call; but a result always
 * has its declared type: it is the schema's output, or the call throws {@link ResponseValidationError}.
 *
 * @module
 */
import { z } from 'zod';
import { ResponseValidationError } from './errors.js';
import type { ValidationMode } from './http/types.js';
import type { Logger } from './logger.js';

type Issue = { path: string; message: string };

/** Rounds of "drop the offending optional values and parse again" before giving up. */
const MAX_REPAIR_ROUNDS = 8;

function describeIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}

function safeParse<T>(schema: z.ZodType<T>, data: unknown): z.ZodSafeParseResult<T> {
  try {
    return schema.safeParse(data);
  } catch (error) {
    // A transform that throws, or a body nested deeper than the stack: still a typed error.
    throw new ResponseValidationError(
      `response could not be checked: ${(error as Error).message}`,
      [{ path: '(root)', message: 'unreadable' }],
      { cause: error },
    );
  }
}

/** A deep copy of plain JSON data (the parsed body is only ever JSON), so repairs never touch the original. */
function copyJson(data: unknown): unknown {
  try {
    return data === undefined ? undefined : structuredClone(data);
  } catch (error) {
    throw new ResponseValidationError(
      'response could not be copied for checking',
      [{ path: '(root)', message: 'unreadable' }],
      { cause: error },
    );
  }
}

/**
 * Removes the values at the issues' paths when they sit in an object (never an array element: dropping
 * items would truncate a list silently). Returns how many were removed.
 */
function dropOffending(data: unknown, issues: readonly z.core.$ZodIssue[]): number {
  let dropped = 0;
  for (const issue of issues) {
    const path = issue.path;
    const key = path.at(-1);
    if (typeof key !== 'string') continue;
    let parent: unknown = data;
    for (const segment of path.slice(0, -1)) {
      parent =
        typeof parent === 'object' && parent !== null
          ? (parent as Record<PropertyKey, unknown>)[segment as PropertyKey]
          : undefined;
    }
    if (typeof parent !== 'object' || parent === null || Array.isArray(parent)) continue;
    if (!Object.hasOwn(parent, key)) continue;
    delete (parent as Record<string, unknown>)[key];
    dropped += 1;
  }
  return dropped;
}

/**
 * Validates `data` with `schema` and returns the schema's output (transforms applied: timestamps become
 * `Date`…). `strict` throws on any mismatch. `warn` and `off` drop values that fail their schema where
 * the field is optional (logging it under `warn`), and throw when a required field is missing or wrong.
 * The error carries the body, passed through `redact`.
 */
export function validateResponse<T>(
  schema: z.ZodType<T>,
  data: unknown,
  mode: ValidationMode,
  logger: Logger,
  what: string,
  redact: (body: unknown) => unknown = (body) => body,
): T {
  let result = safeParse(schema, data);
  if (result.success) return result.data;
  const firstIssues = describeIssues(result.error);
  if (mode !== 'strict') {
    const repaired = copyJson(data);
    for (let round = 0; round < MAX_REPAIR_ROUNDS && !result.success; round++) {
      if (dropOffending(repaired, result.error.issues) === 0) break;
      result = safeParse(schema, repaired);
    }
    if (result.success) {
      if (mode === 'warn')
        logger.warn(`response from ${what} had values that do not match its schema; they were dropped`, {
          issues: firstIssues.slice(0, 10),
        });
      return result.data;
    }
  }
  const issues = result.success ? firstIssues : describeIssues(result.error);
  const summary = issues
    .slice(0, 5)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  throw new ResponseValidationError(`Unexpected response from ${what}: ${summary}`, issues, {
    cause: result.success ? undefined : result.error,
    body: redact(data),
  });
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

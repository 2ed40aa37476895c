/**
 * What Mixcloud answers, checked: a body that is not what the call declares (a list that is not an object,
 * an action without its result, an oEmbed that is not JSON) is a `ResponseValidationError`, never a value
 * of the wrong type or an untyped `TypeError` later.
 */
import { ResponseValidationError } from '@mediaferry/core';
import { z } from 'zod';
import { reviveDates } from './datetime.js';
import type { Json } from './models.js';

/** Any JSON object (API objects and lists are schema-agnostic, as in aiomixcloud). */
export const jsonObjectSchema: z.ZodType<Json> = z.record(z.string(), z.unknown());

/** `{result: {success, message, key?}}` of actions, uploads and edits. */
export interface ActionResult {
  readonly success: boolean;
  readonly message: string;
  readonly key?: string | undefined;
  readonly [extra: string]: unknown;
}

const actionResultSchema = z.looseObject({
  success: z.boolean(),
  message: z.string(),
  key: z.string().optional(),
});

/** The answer of an action: its `result` (aiomixcloud also accepts the result given bare). */
export const actionAnswerSchema: z.ZodType<ActionResult> = z.union([
  z.looseObject({ result: actionResultSchema }).transform((body) => body.result),
  actionResultSchema,
]);

/** oEmbed and embed JSON: an object with the widget's `html`. */
export const oembedSchema: z.ZodType<Json> = z.looseObject({ html: z.string() });

/** Deeper than any Mixcloud object: a body nested further is refused rather than walked. */
const MAX_DEPTH = 256;

/** Known date fields become `Date`, at any depth (bounded). */
export function revive(value: unknown, what: string, depth = 0): Json {
  return reviveValue(value, what, depth) as Json;
}

function reviveValue(value: unknown, what: string, depth: number): unknown {
  if (depth > MAX_DEPTH)
    throw new ResponseValidationError(`mixcloud ${what}: answer nested deeper than ${MAX_DEPTH} levels`, [
      { path: '(root)', message: 'too deep' },
    ]);
  if (Array.isArray(value)) return value.map((item) => reviveValue(item, what, depth + 1));
  if (value instanceof Date) return value;
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, reviveValue(reviveDates(k, v), what, depth + 1)]),
    );
  return value;
}

/**
 * aiomixcloud's JSON decoder, pluggable through `jsonDecoderClass`. Dates become `Date` objects in every
 * object's values — strict ISO-8601 strings only (the spec's fix, §1.6: the seed's dateutil turned usernames
 * such as "May" and colours such as "020202" into dates).
 *
 * @module
 */
import { ResponseValidationError } from '@mediaferry/core';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Deeper than any Mixcloud answer: a body nested further is refused rather than walked. */
const MAX_DEPTH = 256;

/** What `jsonDecoderClass` must construct: something that decodes a body's text. */
export interface JsonDecoder {
  decode(text: string): unknown;
}

/** Decodes Mixcloud JSON, turning date strings into `Date` objects. Subclass it to change the rule. */
export class MixcloudJSONDecoder implements JsonDecoder {
  /** Turns eligible values of one object into dates and leaves the rest unchanged. */
  static objectHook(object: Record<string, unknown>): Record<string, unknown> {
    for (const [key, value] of Object.entries(object)) {
      if (typeof value !== 'string' || !ISO_DATE.test(value)) continue;
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) object[key] = date;
    }
    return object;
  }

  /** The decoded value; text that is not JSON is a `ResponseValidationError`. */
  decode(text: string): unknown {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ResponseValidationError(
        'mixcloud: the answer is not JSON',
        [{ path: '(root)', message: 'not JSON' }],
        { cause: error },
      );
    }
    const hook = (this.constructor as typeof MixcloudJSONDecoder).objectHook;
    return this.#walk(value, hook, 0);
  }

  #walk(value: unknown, hook: (object: Record<string, unknown>) => unknown, depth: number): unknown {
    if (depth > MAX_DEPTH)
      throw new ResponseValidationError(`mixcloud: answer nested deeper than ${MAX_DEPTH} levels`, [
        { path: '(root)', message: 'too deep' },
      ]);
    if (Array.isArray(value)) return value.map((item) => this.#walk(item, hook, depth + 1));
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      for (const [key, item] of Object.entries(object)) object[key] = this.#walk(item, hook, depth + 1);
      return hook(object);
    }
    return value;
  }
}

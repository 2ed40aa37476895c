import type { EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';

/** B2 writes JSON with this exact header (no space): aiob2 compares it literally (spec §0.4). */
export const JSON_TYPE = 'application/json;charset=UTF-8';
/** Error bodies carry the lower-case spelling (recorded on every real-B2 error). */
export const ERROR_JSON_TYPE = 'application/json;charset=utf-8';

/** Keys in alphabetical order, as B2 sends them (fixture diffs stay readable). */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** A JSON answer with the headers B2 sends on every API call (recorded): type, no caching, exact length. */
export function b2Json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(sorted(body));
  return new Response(text, {
    status,
    headers: {
      'content-type': JSON_TYPE,
      'cache-control': 'max-age=0, no-cache, no-store',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    },
  });
}

/**
 * An error in B2's shape. Real B2 spells the type in lower case on errors and closes the connection after
 * every 400 it answers (each recorded 400 carries `Connection: close`; the 401s and the 409 do not).
 */
export function b2Error(status: number, code: string, message: string): Response {
  return b2Json({ code, message, status }, status, {
    'content-type': ERROR_JSON_TYPE,
    ...(status === 400 ? { connection: 'close' } : {}),
  });
}

/** The `b2-*` file infos B2 serves back as real HTTP headers: the only `b2-` info keys it accepts. */
export const B2_INFO_HEADERS: Readonly<Record<string, string>> = {
  'b2-content-disposition': 'content-disposition',
  'b2-content-language': 'content-language',
  'b2-expires': 'expires',
  'b2-cache-control': 'cache-control',
  'b2-content-encoding': 'content-encoding',
};

/** Request fields: the JSON body of a POST, or the query of a GET (B2 accepts both). `null` means absent. */
export async function fields(c: EmulatorContext): Promise<Record<string, unknown>> {
  let raw: Record<string, unknown> = {};
  if (c.req.method === 'POST') {
    const text = await c.req.text();
    if (text.trim() !== '') {
      try {
        const parsed = JSON.parse(text) as unknown;
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
          fail(400, 'bad_json', 'request body must be a JSON object');
        raw = parsed as Record<string, unknown>;
      } catch (error) {
        if (error instanceof SyntaxError) fail(400, 'bad_json', `invalid JSON: ${error.message}`);
        throw error;
      }
    }
  } else {
    raw = Object.fromEntries(new URL(c.req.url).searchParams);
  }
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
}

export function str(body: Record<string, unknown>, name: string, required: true): string;
export function str(body: Record<string, unknown>, name: string, required?: false): string | undefined;
export function str(body: Record<string, unknown>, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === '') {
    if (required) fail(400, 'bad_request', `required field ${name} is missing`);
    return undefined;
  }
  if (typeof value !== 'string') fail(400, 'bad_request', `${name} must be a string`);
  return value;
}

export function int(
  body: Record<string, unknown>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = body[name];
  if (value === undefined) return fallback;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number))
    fail(400, 'bad_request', `${name} must be an integer`);
  if (number < min || number > max)
    fail(400, 'bad_request', `${name} out of range: ${number} (${min}-${max})`);
  return number;
}

/** Percent-decoding with `+` as space (spec §3.2); raw illegal bytes and bad sequences are 400. */
export function decodeB2(value: string): string {
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || code >= 0x7f)
      fail(400, 'bad_request', `Bad character in percent-encoded string: ${code}`);
  }
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    fail(400, 'bad_request', `invalid percent-encoding: ${value}`);
  }
}

/** Encoding for header values going out: everything but the safe set, `/` kept. */
export function encodeB2(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/');
}

/** UTF-8 byte order, which is B2's listing order (not UTF-16 code unit order). */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function checkFileName(name: string, rejectBackslash: boolean): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes < 1 || bytes > 1024) fail(400, 'bad_request', 'File names must be 1-1024 bytes of UTF-8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what B2 refuses
  if (/[\u0000-\u001f\u007f]/.test(name))
    fail(400, 'bad_request', 'File names must not contain control characters');
  if (rejectBackslash && name.includes('\\'))
    fail(400, 'bad_request', 'File names must not contain backslashes');
}

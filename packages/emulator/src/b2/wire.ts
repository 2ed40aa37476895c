import type { EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import type { B2Bucket, B2FileVersion, B2Part, B2State } from './model.js';

/** B2 writes JSON with this exact header (no space): aiob2 compares it literally (spec §0.4). */
export const JSON_TYPE = 'application/json;charset=UTF-8';

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

export function b2Json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(sorted(body)), {
    status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'max-age=0, no-cache, no-store', ...headers },
  });
}

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

const NO_SSE = { algorithm: null, mode: null };

export function bucketJson(state: B2State, bucket: B2Bucket): Record<string, unknown> {
  return {
    accountId: state.accountId,
    bucketId: bucket.bucketId,
    bucketInfo: bucket.bucketInfo,
    bucketName: bucket.bucketName,
    bucketType: bucket.bucketType,
    corsRules: bucket.corsRules,
    defaultServerSideEncryption: {
      isClientAuthorizedToRead: true,
      value: bucket.defaultServerSideEncryption,
    },
    fileLockConfiguration: {
      isClientAuthorizedToRead: true,
      value: { defaultRetention: { mode: null, period: null }, isFileLockEnabled: bucket.fileLockEnabled },
    },
    lifecycleRules: bucket.lifecycleRules,
    options: ['s3'],
    revision: bucket.revision,
  };
}

export function fileJson(
  state: B2State,
  file: B2FileVersion,
  action: string = file.action,
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    accountId: state.accountId,
    action,
    bucketId: file.bucketId,
    contentLength: file.contentLength,
    contentMd5: file.contentMd5,
    contentSha1: file.contentSha1,
    contentType: file.contentType,
    fileId: file.fileId,
    fileInfo: file.fileInfo,
    fileName: file.fileName,
    uploadTimestamp: file.uploadTimestamp,
  };
  // The recorded hide marker carries no retention, legal hold or encryption blocks.
  if (file.action === 'hide') return base;
  return {
    ...base,
    fileRetention: { isClientAuthorizedToRead: true, value: { mode: null, retainUntilTimestamp: null } },
    legalHold: { isClientAuthorizedToRead: true, value: null },
    serverSideEncryption: file.serverSideEncryption ?? NO_SSE,
  };
}

export function folderJson(state: B2State, bucketId: string, fileName: string): Record<string, unknown> {
  return {
    accountId: state.accountId,
    action: 'folder',
    bucketId,
    contentLength: 0,
    contentMd5: null,
    contentSha1: null,
    contentType: null,
    fileId: null,
    fileInfo: {},
    fileName,
    uploadTimestamp: 0,
  };
}

export function partJson(fileId: string, part: B2Part): Record<string, unknown> {
  return {
    contentLength: part.contentLength,
    contentMd5: part.contentMd5,
    contentSha1: part.contentSha1,
    fileId,
    partNumber: part.partNumber,
    serverSideEncryption: NO_SSE,
    uploadTimestamp: part.uploadTimestamp,
  };
}

/** `4_z<bucketId>_f<1|2><15 hex>_d<YYYYMMDD>_m<HHMMSS>_c002_v<7 digits>_t<4 digits>` (spec §3.1). */
export function newFileId(bucketId: string, large: boolean, now: number, hex: string): string {
  const iso = new Date(now).toISOString();
  const date = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 19).replace(/:/g, '');
  const digits = parseInt(hex.slice(15, 22), 16).toString().padStart(7, '0').slice(0, 7);
  return `4_z${bucketId}_f${large ? 2 : 1}${hex.slice(0, 15)}_d${date}_m${time}_c002_v${digits}_t${String(parseInt(hex.slice(22, 26), 16) % 10000).padStart(4, '0')}`;
}

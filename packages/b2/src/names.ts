/**
 * B2's string rules (spec §3.2, §4): percent-encoding for names in headers, paths and queries, and the limits
 * checked before any request.
 */
import { InvalidInputError } from '@mediaferry/core';

/** `encodeURIComponent`, keeping `/` (B2 must not see `%2F` in a path). A `+` becomes `%2B`, never a space. */
export function encodeB2Name(name: string): string {
  return encodeURIComponent(name).replace(/%2F/g, '/');
}

/** Whether a name survives as a URL path: no `.`/`..` segment and no empty one (`a//b`, a leading `/`). */
export function isUrlPathSafe(name: string): boolean {
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** Decodes a header value B2 sent percent-encoded (`+` means a space). */
export function decodeB2Name(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

export function checkFileName(name: string, field = 'fileName'): void {
  if (typeof name !== 'string') throw new InvalidInputError(field, 'must be a string');
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes < 1 || bytes > 1024) throw new InvalidInputError(field, 'must be 1-1024 bytes of UTF-8');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what B2 refuses
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new InvalidInputError(field, 'must not contain control characters');
}

export function checkBucketName(name: string, maxLength = 63): void {
  if (typeof name !== 'string' || name.length < 6 || name.length > maxLength) {
    throw new InvalidInputError('bucketName', `must be 6-${maxLength} characters`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(name))
    throw new InvalidInputError('bucketName', 'may only contain letters, digits and "-"');
  if (name.toLowerCase().startsWith('b2-'))
    throw new InvalidInputError('bucketName', 'must not start with "b2-"');
}

/** File info: at most 10 entries, keys of letters, digits and `-_.`~!#$%^&*'|+`, string values. */
export function checkFileInfo(info: Readonly<Record<string, string>> | undefined, field = 'info'): void {
  if (info === undefined) return;
  if (typeof info !== 'object' || info === null || Array.isArray(info))
    throw new InvalidInputError(field, 'must be an object of strings');
  const entries = Object.entries(info);
  if (entries.length > 10) throw new InvalidInputError(field, 'at most 10 entries (B2 limit)');
  for (const [key, value] of entries) {
    if (!/^[A-Za-z0-9\-_.`~!#$%^&*'|+]{1,50}$/.test(key))
      throw new InvalidInputError(`${field}.${key}`, "keys are 1-50 letters, digits or -_.`~!#$%^&*'|+");
    if (typeof value !== 'string') throw new InvalidInputError(`${field}.${key}`, 'values must be strings');
  }
}

export function checkPartNumber(partNumber: number, field = 'partNumber'): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
    throw new InvalidInputError(field, 'must be an integer 1-10000');
}

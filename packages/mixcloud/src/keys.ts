/**
 * Keys: the paths that name Mixcloud objects (`/bob/`, `/bob/a-mix/`). Whatever form a caller writes
 * (`bob/a-mix`, `/bob/a-mix/`, percent-encoded or not, a show object), the API gets one form: every segment
 * encoded once, a slash at both ends (Mixcloud redirects to it; writing it saves a round trip).
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';

/** A show: its key (`'bob/a-mix'`, or any object with a `key`, a `Cloudcast` included), or its two parts. */
export type CloudcastRef =
  | string
  | { readonly key: string }
  | { readonly username: string; readonly slug: string };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The segments of a key, decoded; an empty key or a `.`/`..` segment is an `InvalidInputError`. */
export function keySegments(key: string, field = 'key'): string[] {
  if (typeof key !== 'string') throw new InvalidInputError(field, 'must be a string');
  const segments = key
    .replace(/^\/+|\/+$/g, '')
    .split('/')
    .map(decodeSegment);
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    throw new InvalidInputError(field, `"${key}" is not a key: expected segments like "user" or "user/slug"`);
  return segments;
}

/** The API path of a key: `/bob/a-mix/`. */
export function keyPath(key: string, field = 'key'): string {
  return `/${keySegments(key, field).map(encodeURIComponent).join('/')}/`;
}

function oneSegment(value: string, field: string, what: string): string {
  const segments = keySegments(value, field);
  if (segments.length !== 1) throw new InvalidInputError(field, `"${value}" is not ${what}`);
  return segments[0] ?? '';
}

/** The path of one user (a username, or a user key). */
export function userPath(username: string, field = 'username'): string {
  return `/${encodeURIComponent(oneSegment(username, field, 'a username'))}/`;
}

/** The path of a show: exactly two segments, user and slug. */
export function cloudcastPath(ref: CloudcastRef, field = 'cloudcast'): string {
  if (ref && typeof ref === 'object' && 'username' in ref && !('key' in ref)) {
    const user = oneSegment(ref.username, `${field}.username`, 'a username');
    const slug = oneSegment(ref.slug, `${field}.slug`, 'a slug');
    return `/${encodeURIComponent(user)}/${encodeURIComponent(slug)}/`;
  }
  const key =
    typeof ref === 'string' ? ref : ref && typeof ref === 'object' && 'key' in ref ? ref.key : undefined;
  if (typeof key !== 'string')
    throw new InvalidInputError(field, 'must be a key ("user/slug"), { key } or { username, slug }');
  if (keySegments(key, field).length !== 2)
    throw new InvalidInputError(field, `"${key}" is not a show's key: expected "user/slug"`);
  return keyPath(key, field);
}

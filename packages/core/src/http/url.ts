/**
 * URL assembly: base + path joining and query-string encoding.
 *
 * @module
 */
import type { Query, QueryScalar } from './types.js';

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Joins `base` and `path` with exactly one slash; an absolute `path` is returned unchanged. */
export function joinUrl(base: string, path: string): string {
  if (ABSOLUTE.test(path)) return path;
  if (!path) return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function scalar(value: QueryScalar): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** Appends query parameters; arrays repeat the name, `null`/`undefined` are skipped. */
export function appendQuery(url: URL, ...queries: (Query | undefined)[]): URL {
  for (const query of queries) {
    if (!query) continue;
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        url.searchParams.delete(name);
        for (const item of value as readonly QueryScalar[]) url.searchParams.append(name, scalar(item));
      } else {
        url.searchParams.set(name, scalar(value as QueryScalar));
      }
    }
  }
  return url;
}

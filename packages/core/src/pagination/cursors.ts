/**
 * Next-cursor rules for the paging styles the services use. Each returns the next cursor or `null`.
 *
 * @module
 */

/** Page-number paging: there is a next page when the total says so, else when this page was full. */
export function nextPageNumber(page: {
  readonly page: number;
  readonly perPage: number;
  readonly itemCount: number;
  readonly totalItems?: number | undefined;
  readonly totalPages?: number | undefined;
}): number | null {
  if (page.itemCount === 0) return null;
  if (page.totalPages !== undefined) return page.page < page.totalPages ? page.page + 1 : null;
  if (page.totalItems !== undefined) return page.page * page.perPage < page.totalItems ? page.page + 1 : null;
  return page.itemCount >= page.perPage ? page.page + 1 : null;
}

/** Offset/limit paging. */
export function nextOffset(page: {
  readonly offset: number;
  readonly limit: number;
  readonly itemCount: number;
  readonly totalItems?: number | undefined;
}): number | null {
  if (page.itemCount === 0) return null;
  const next = page.offset + page.itemCount;
  if (page.totalItems !== undefined) return next < page.totalItems ? next : null;
  return page.itemCount >= page.limit ? next : null;
}

/** Next-URL paging (`paging.next`, `Link: rel=next`…): the URL when present and different from this one. */
export function nextUrl(current: string, next: string | null | undefined): string | null {
  return next && next !== current ? next : null;
}

/**
 * Start-key paging (B2's `nextFileName` / `nextFileId`…): the server hands the key to start from, or null.
 * Every present field of `next` is kept; an all-null result means the end.
 */
export function nextStartKey<K extends Record<string, string | null | undefined>>(next: K): K | null {
  return Object.values(next).some((value) => value !== null && value !== undefined) ? next : null;
}

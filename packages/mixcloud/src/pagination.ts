import {
  InvalidInputError,
  Paginator,
  type PaginatorOptions,
  type Query,
  ResponseValidationError,
} from '@mediaferry/core';
import { type DateInput, toTimestamp } from './datetime.js';
import type { ResourceList } from './models.js';

/** aiomixcloud's paginated arguments; `page` is zero-based and excludes the others. */
export interface Pagination {
  readonly offset?: number;
  readonly limit?: number;
  readonly since?: DateInput;
  readonly until?: DateInput;
  readonly page?: number;
  /** Items per `page`. Default 20; ignored without `page`. */
  readonly perPage?: number;
}

function nonNegative(value: number | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) throw new InvalidInputError(field, 'must be an integer ≥ 0');
  return value;
}

/** The query of a paginated call, in aiomixcloud's order: offset, limit, since, until. */
export function paginationQuery(pagination: Pagination = {}): Query {
  const { page, perPage = 20 } = pagination;
  if (page !== undefined) {
    if (
      [pagination.offset, pagination.limit, pagination.since, pagination.until].some((v) => v !== undefined)
    ) {
      throw new InvalidInputError(
        'page',
        'page and offset/limit/since/until cannot be specified simultaneously',
      );
    }
    nonNegative(page, 'page');
    if (!Number.isInteger(perPage) || perPage < 1)
      throw new InvalidInputError('perPage', 'must be an integer ≥ 1');
    return { offset: page * perPage, limit: perPage };
  }
  if (pagination.limit !== undefined && (!Number.isInteger(pagination.limit) || pagination.limit < 1))
    throw new InvalidInputError('limit', 'must be an integer ≥ 1');
  const query: Record<string, number> = {};
  const offset = nonNegative(pagination.offset, 'offset');
  if (offset !== undefined) query.offset = offset;
  if (pagination.limit !== undefined) query.limit = pagination.limit;
  if (pagination.since !== undefined) query.since = toTimestamp(pagination.since, 'since');
  if (pagination.until !== undefined) query.until = toTimestamp(pagination.until, 'until');
  return query;
}

/**
 * The `paging.next`/`paging.previous` link of a list page: an absolute http(s) URL, or undefined at the end.
 * Anything else is a `ResponseValidationError`.
 */
export function pagingLink(page: ResourceList, where: 'next' | 'previous'): string | undefined {
  const paging = page.data.paging;
  if (paging === undefined || paging === null) return undefined;
  const link = typeof paging === 'object' ? (paging as Record<string, unknown>)[where] : paging;
  if (link === undefined || link === null) return undefined;
  if (typeof link === 'string' && /^https?:\/\/\S+$/i.test(link)) return link;
  throw new ResponseValidationError(`mixcloud list: paging.${where} is not an http(s) URL`, [
    { path: `paging.${where}`, message: 'not an absolute http(s) URL' },
  ]);
}

/**
 * A core paginator over list pages following `paging.next`: a link seen before or a list past its guards is
 * a `PaginationError`. `firstPage`, when given, is served for the first cursor without a request.
 */
export function pagesOf(
  first: string,
  fetchPage: (url: string, signal: AbortSignal | undefined) => Promise<ResourceList>,
  options: PaginatorOptions,
  firstPage?: ResourceList,
): Paginator<unknown, string> {
  return new Paginator<unknown, string>(
    first,
    async (cursor, signal) => {
      const page = firstPage && cursor === first ? firstPage : await fetchPage(cursor, signal);
      return { items: page.items, next: pagingLink(page, 'next') ?? null, raw: page };
    },
    options,
  );
}

/**
 * Mixcloud lists as core paginators: a page is `{data, paging: {next, previous}, name}`, and the next page is
 * the absolute URL in `paging.next`. A link to another origin is fetched without the token (the core's rule;
 * an `access_token` a server wrote into such a link is removed as well); a link seen before, or a listing past
 * `maxPages`/`maxItems`, is a `PaginationError`.
 *
 * @module
 */
import {
  type CallOptions,
  InvalidInputError,
  joinUrl,
  type ListingOptions,
  Paginator,
  type Query,
  ResponseValidationError,
} from '@mediaferry/core';
import { z } from 'zod';
import { type DateInput, toTimestamp } from './datetime.js';
import { callOptions, type MixcloudContext } from './http.js';

/** How to walk a list. */
export interface ListParams extends ListingOptions {
  /** Items per page (Mixcloud's `limit`; the API's default is 20, its maximum 100). */
  readonly pageSize?: number | undefined;
  /** Items to skip first. */
  readonly offset?: number | undefined;
  /**
   * Only items after this instant (date-ordered lists). The listing then walks toward the newest (Mixcloud's
   * `paging.previous`): its first page holds the oldest items after `since`. Not with `until`.
   */
  readonly since?: DateInput | undefined;
  /** Only items before this instant, newest first. Not with `since`. */
  readonly until?: DateInput | undefined;
}

/** One page as Mixcloud sends it. */
export interface ListPage<T> {
  readonly data: readonly T[];
  readonly paging?:
    | { readonly next?: string | undefined; readonly previous?: string | undefined }
    | undefined;
  /** The list's title (`Bob's followers`). */
  readonly name?: string | undefined;
}

const linkSchema = z
  .string()
  .nullish()
  .transform((link) => link ?? undefined);

export function pageSchema<T>(item: z.ZodType<T>): z.ZodType<ListPage<T>> {
  return z.looseObject({
    data: z.array(item),
    paging: z
      .looseObject({ next: linkSchema.optional(), previous: linkSchema.optional() })
      .nullish()
      .transform((paging) => paging ?? undefined),
    name: z
      .string()
      .nullish()
      .transform((name) => name ?? undefined),
  });
}

function whole(value: number | undefined, field: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < min)
    throw new InvalidInputError(field, `must be a whole number ≥ ${min}`);
  return value;
}

/**
 * The query of a list's first page. Without `since`/`until` the list is walked by offset (from 0), so items
 * that share a second are never skipped, as date paging would.
 */
export function listQuery(params: ListParams = {}): Query {
  const limit = whole(params.pageSize, 'pageSize', 1);
  const since = params.since === undefined ? undefined : toTimestamp(params.since, 'since');
  const until = params.until === undefined ? undefined : toTimestamp(params.until, 'until');
  // Mixcloud's links drop the other bound (`next` always goes older, `previous` newer): a window cannot be walked.
  if (since !== undefined && until !== undefined)
    throw new InvalidInputError('since', 'cannot be given with until: walk from one of them');
  const byDate = since !== undefined || until !== undefined;
  const offset = whole(params.offset, 'offset', 0) ?? (byDate ? undefined : 0);
  return { offset, limit, since, until };
}

/** `link` as it may be fetched: off the API origin, without any `access_token` a server wrote into it. */
export function fetchable(context: MixcloudContext, link: string): string {
  const url = new URL(link);
  if (url.origin === new URL(context.roots.api).origin || !url.searchParams.has('access_token')) return link;
  url.searchParams.delete('access_token');
  return url.toString();
}

/**
 * A page's place in a listing. Two links to the same page are the same cursor whatever the order of their
 * parameters, the `metadata`/`access_token` the client adds, or an explicit `offset=0`: a server linking back
 * to a page already read is seen as the loop it is.
 */
export class PageCursor {
  readonly url: string;
  constructor(url: string) {
    this.url = url;
  }

  toJSON(): string {
    const url = new URL(this.url);
    const params = [...url.searchParams]
      .filter(
        ([name, value]) =>
          name !== 'metadata' && name !== 'access_token' && !(name === 'offset' && value === '0'),
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `${url.origin}${url.pathname}?${new URLSearchParams(params)}`;
  }
}

/** A page's link that way: an absolute http(s) URL, or null at the end; anything else is refused. */
function link(page: ListPage<unknown>, way: 'next' | 'previous', endpoint: string): string | null {
  const url = page.paging?.[way];
  if (url === undefined) return null;
  if (/^https?:\/\/\S+$/i.test(url)) return url;
  throw new ResponseValidationError(`mixcloud ${endpoint}: paging.${way} is not an http(s) URL`, [
    { path: `paging.${way}`, message: 'not an absolute http(s) URL' },
  ]);
}

/** A paginator over the list at `path` (an API path, or an absolute URL a server handed out). */
export function listOf<T>(
  context: MixcloudContext,
  path: string,
  item: z.ZodType<T>,
  endpoint: string,
  params: ListParams = {},
  options: CallOptions = {},
  extraQuery: Query = {},
): Paginator<T, PageCursor> {
  const query = { ...extraQuery, ...listQuery(params), metadata: 1 };
  const first = new URL(joinUrl(context.roots.api, path));
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== null) first.searchParams.set(name, String(value));
  const schema = pageSchema(item);
  // From `since`, the items after it are toward the newest: Mixcloud's `previous` links.
  const way = params.since === undefined ? 'next' : 'previous';
  return new Paginator<T, PageCursor>(
    new PageCursor(first.toString()),
    async (cursor, signal) => {
      const page = await context.http.call({
        ...callOptions(options),
        signal,
        path: fetchable(context, cursor.url),
        endpoint,
        query: { metadata: 1 },
        schema,
      });
      const next = link(page, way, endpoint);
      return { items: page.data, next: next === null ? null : new PageCursor(next), raw: page };
    },
    { signal: options.signal, maxPages: params.maxPages, maxItems: params.maxItems },
  );
}

/**
 * One paginator for every list endpoint: `await` it for the first page, `for await` it for every item
 * across pages, `.pages()` for whole pages, `.toArray({ limit })` to collect a bounded number of items.
 * Services plug in how to fetch a page for a cursor and how to find the next cursor.
 *
 * @module
 */
import { InvalidInputError, PaginationError } from '../errors.js';
import type { ListingOptions } from '../http/types.js';
import { throwIfAborted } from '../signals.js';

export interface Page<T, C> {
  readonly items: readonly T[];
  /** Cursor of the next page, or `null` when this is the last one. */
  readonly next: C | null;
  /** The raw page response, for fields the paginator does not model. */
  readonly raw?: unknown;
}

/** Fetches the page at `cursor`. */
export type PageFetcher<T, C> = (cursor: C, signal: AbortSignal | undefined) => Promise<Page<T, C>>;

export interface PaginatorOptions extends ListingOptions {
  readonly signal?: AbortSignal | undefined;
}

/** Pages a listing may span before {@link PaginationError} (a server that never says "last page"). */
export const DEFAULT_MAX_PAGES = 10_000;
/** Items a listing may yield before {@link PaginationError}. */
export const DEFAULT_MAX_ITEMS = 10_000_000;

function checkGuard(value: number | undefined, field: string): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
    throw new InvalidInputError(field, 'must be a whole number ≥ 1');
  return value;
}

/** A stable key for a cursor (`undefined` included: it is the first page of many listings). */
function cursorKey(cursor: unknown): string {
  return JSON.stringify(cursor) ?? 'undefined';
}

/** Most items `toArray` will ever collect, however large the limit asked. */
export const TO_ARRAY_HARD_LIMIT = 100_000;

export class Paginator<T, C = unknown> implements AsyncIterable<T>, PromiseLike<Page<T, C>> {
  readonly #first: C;
  readonly #fetch: PageFetcher<T, C>;
  readonly #options: PaginatorOptions;
  #firstPage: Promise<Page<T, C>> | undefined;

  constructor(first: C, fetchPage: PageFetcher<T, C>, options: PaginatorOptions = {}) {
    checkGuard(options.maxPages, 'maxPages');
    checkGuard(options.maxItems, 'maxItems');
    this.#first = first;
    this.#fetch = fetchPage;
    this.#options = options;
  }

  /** The first page (fetched once, however many times it is awaited). */
  firstPage(): Promise<Page<T, C>> {
    this.#firstPage ??= this.#fetch(this.#first, this.#options.signal);
    return this.#firstPage;
  }

  // biome-ignore lint/suspicious/noThenProperty: a paginator is deliberately awaitable (first page).
  then<R1 = Page<T, C>, R2 = never>(
    onFulfilled?: ((page: Page<T, C>) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.firstPage().then(onFulfilled, onRejected);
  }

  /**
   * Every page in order. Stops fetching as soon as the loop is left. A cursor seen before (a loop, however
   * long) or a listing longer than `maxPages` throws {@link PaginationError}: it is never taken for the end.
   */
  async *pages(): AsyncGenerator<Page<T, C>, void, undefined> {
    const { signal, maxPages = DEFAULT_MAX_PAGES } = this.#options;
    let page = await this.firstPage();
    const seen = new Set<string>([cursorKey(this.#first)]);
    for (let count = 1; ; count++) {
      yield page;
      if (page.next === null) return;
      const key = cursorKey(page.next);
      if (seen.has(key))
        throw new PaginationError(
          `the server sent cursor ${key.slice(0, 200)} a second time after ${count} pages: the listing loops`,
          'repeated-cursor',
          count,
        );
      if (count >= maxPages)
        throw new PaginationError(
          `the listing goes on past ${maxPages} pages (maxPages)`,
          'max-pages',
          count,
        );
      seen.add(key);
      throwIfAborted(signal);
      page = await this.#fetch(page.next, signal);
    }
  }

  /** Every item of every page. Breaking out of the loop stops fetching. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    const maxItems = this.#options.maxItems ?? DEFAULT_MAX_ITEMS;
    let items = 0;
    let pages = 0;
    for await (const page of this.pages()) {
      pages += 1;
      for (const item of page.items) {
        if (++items > maxItems)
          throw new PaginationError(
            `the listing goes on past ${maxItems} items (maxItems)`,
            'max-items',
            pages,
          );
        yield item;
      }
    }
  }

  /** Collects up to `limit` items (required, so an endless listing cannot fill memory by accident). */
  async toArray(options: { limit: number }): Promise<T[]> {
    const { limit } = options;
    if (!Number.isInteger(limit) || limit < 0 || limit > TO_ARRAY_HARD_LIMIT) {
      throw new InvalidInputError('limit', `must be an integer from 0 to ${TO_ARRAY_HARD_LIMIT}`);
    }
    const out: T[] = [];
    if (limit === 0) return out;
    for await (const item of this) {
      out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** A paginator over the same pages with items transformed. */
  map<U>(fn: (item: T) => U): Paginator<U, C> {
    return new Paginator<U, C>(
      this.#first,
      async (cursor, signal) => {
        const page = await this.#fetch(cursor, signal);
        return { items: page.items.map(fn), next: page.next, raw: page.raw };
      },
      this.#options,
    );
  }
}

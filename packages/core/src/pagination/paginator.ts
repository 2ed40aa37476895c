/**
 * One paginator for every list endpoint: `await` it for the first page, `for await` it for every item
 * across pages, `.pages()` for whole pages, `.toArray({ limit })` to collect a bounded number of items.
 * Services plug in how to fetch a page for a cursor and how to find the next cursor.
 *
 * @module
 */
import { InvalidInputError } from '../errors.js';
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

export interface PaginatorOptions {
  readonly signal?: AbortSignal | undefined;
  /** Stop after this many pages (a safety net against servers that never say "last page"). */
  readonly maxPages?: number;
}

/** Most items `toArray` will ever collect, however large the limit asked. */
export const TO_ARRAY_HARD_LIMIT = 100_000;

export class Paginator<T, C = unknown> implements AsyncIterable<T>, PromiseLike<Page<T, C>> {
  readonly #first: C;
  readonly #fetch: PageFetcher<T, C>;
  readonly #options: PaginatorOptions;
  #firstPage: Promise<Page<T, C>> | undefined;

  constructor(first: C, fetchPage: PageFetcher<T, C>, options: PaginatorOptions = {}) {
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

  /** Every page in order. Stops fetching as soon as the loop is left. */
  async *pages(): AsyncGenerator<Page<T, C>, void, undefined> {
    const { signal, maxPages = Number.POSITIVE_INFINITY } = this.#options;
    let page = await this.firstPage();
    const seen = new Set<string>();
    for (let count = 1; ; count++) {
      yield page;
      if (page.next === null || count >= maxPages) return;
      // A server that hands out the same cursor twice would loop forever.
      const key = JSON.stringify(page.next);
      if (seen.has(key)) return;
      seen.add(key);
      throwIfAborted(signal);
      page = await this.#fetch(page.next, signal);
    }
  }

  /** Every item of every page. Breaking out of the loop stops fetching. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
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

/**
 * gopro_api's high-level client (`AsyncGoProClient`, and `GoProClient` as its alias) on the new client:
 * search, metadata, page iteration, `listMediaItems`, `getDownloadUrl`, `downloadUrlToPath`.
 *
 * @module
 */
import { InvalidInputError, mapConcurrent, Paginator } from '@mediaferry/core';
import type { DownloadAsset, MediaItem, SearchPage } from '../../models.js';
import { AsyncGoProAPI } from './api.js';
import { type GoProMediaSearchParams, pullAssetsForResponse, setEntry, toSearchParams } from './models.js';
import { DEFAULT_TIMEOUT_SECONDS, type TransportOptions } from './session.js';

/** gopro_api's keyword-only constructor arguments, plus `TransportOptions` (where to connect). */
export interface GoProClientKeywords extends TransportOptions {
  /** Default page size of `iterNonemptySearchPages` and `listMediaItems`. Default 1000. */
  readonly pageSize?: number | undefined;
  /** Most rows `listMediaItems` returns. Default 1. */
  readonly maxItems?: number | undefined;
  /** Preferred video height in pixels for `getDownloadUrl`. */
  readonly preferHeight?: number | null | undefined;
  /** Preferred video width in pixels for `getDownloadUrl`. */
  readonly preferWidth?: number | null | undefined;
}

/** Metadata requests `getDownloadUrl` keeps in flight (asyncio.gather starts them all; this bounds it). */
const GATHER_LIMIT = 16;

function wholeAtLeast(value: unknown, min: number, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new InvalidInputError(field, `must be a whole number ≥ ${min}`);
  return value;
}

const optionalPixels = (value: number | null | undefined, field: string) =>
  value === null || value === undefined ? undefined : wholeAtLeast(value, 0, field);

/**
 * gopro_api's `AsyncGoProClient(access_token=None, timeout=10.0, *, page_size=1000, max_items=1,
 * prefer_height=None, prefer_width=None)`. `timeout` is in seconds, as in the seed. `pageSize`, `maxItems`,
 * `preferHeight` and `preferWidth` are plain attributes, read at each call.
 *
 * @example
 * ```ts
 * await using gopro = await new AsyncGoProClient().aenter();
 * gopro.maxItems = 50;
 * const items = await gopro.listMediaItems(new Date('2026-10-01'), new Date('2026-10-31'));
 * for (const [name, asset] of Object.entries(await gopro.getDownloadUrl(items)))
 *   await gopro.downloadUrlToPath(asset.url, `./october/${name}`);
 * ```
 */
export class AsyncGoProClient extends AsyncGoProAPI {
  pageSize: number;
  maxItems: number;
  preferHeight: number | null;
  preferWidth: number | null;

  constructor(
    accessToken: string | null = null,
    timeout: number = DEFAULT_TIMEOUT_SECONDS,
    keywords: GoProClientKeywords = {},
  ) {
    const { pageSize = 1000, maxItems = 1, preferHeight = null, preferWidth = null, ...transport } = keywords;
    super(accessToken, timeout, transport);
    this.pageSize = wholeAtLeast(pageSize, 1, 'pageSize');
    this.maxItems = wholeAtLeast(maxItems, 0, 'maxItems');
    this.preferHeight = optionalPixels(preferHeight, 'preferHeight') ?? null;
    this.preferWidth = optionalPixels(preferWidth, 'preferWidth') ?? null;
  }

  /**
   * Search pages from `startPage` until one comes back empty, as gopro_api does (it never reads
   * `total_pages`, so a full pass costs one extra request). A server that never sends an empty page stops at
   * `maxPages` (default 10 000) with `PaginationError` rather than loop forever.
   */
  async *iterNonemptySearchPages(
    startDate: Date,
    endDate: Date,
    options: { perPage?: number | null; startPage?: number; maxPages?: number } = {},
  ): AsyncGenerator<SearchPage> {
    const { perPage, startPage = 1, maxPages } = options;
    const client = this.client;
    const pageSize = perPage ?? this.pageSize;
    const params = (page: number): GoProMediaSearchParams => ({
      capturedRange: { start: startDate, end: endDate },
      page,
      perPage: pageSize,
    });
    toSearchParams(params(startPage));
    wholeAtLeast(startPage, 1, 'startPage');
    const pages = new Paginator<MediaItem, number>(
      startPage,
      async (page, signal) => {
        const response = await client.media.search(toSearchParams(params(page)), { signal });
        return { items: response._embedded.media, next: page + 1, raw: response };
      },
      { maxPages },
    );
    for await (const page of pages.pages()) {
      if (page.items.length === 0) return;
      yield page.raw as SearchPage;
    }
  }

  /** The first `maxItems` rows captured in the range; stops requesting once it has them. */
  async listMediaItems(startDate: Date, endDate: Date): Promise<MediaItem[]> {
    const maxItems = wholeAtLeast(this.maxItems, 0, 'maxItems');
    const items: MediaItem[] = [];
    for await (const page of this.iterNonemptySearchPages(startDate, endDate)) {
      items.push(...page._embedded.media);
      if (items.length >= maxItems) break;
    }
    return items.slice(0, maxItems);
  }

  /**
   * Download metadata of each row (concurrently, merged in input order) and the assets to fetch: a plain
   * object of output file name → asset. As in gopro_api, a later row with the same name replaces an earlier
   * one, and the first failure is thrown.
   */
  async getDownloadUrl(mediaItems: readonly Pick<MediaItem, 'id'>[]): Promise<Record<string, DownloadAsset>> {
    if (!Array.isArray(mediaItems)) throw new InvalidInputError('mediaItems', 'must be a list of media rows');
    const client = this.client;
    const target = {
      targetHeight: optionalPixels(this.preferHeight, 'preferHeight'),
      targetWidth: optionalPixels(this.preferWidth, 'preferWidth'),
    };
    const results = await mapConcurrent(mediaItems, GATHER_LIMIT, async (item, _i, signal) =>
      client.media.get(item.id, { signal }),
    );
    const merged: Record<string, DownloadAsset> = {};
    for (const result of results)
      for (const [name, asset] of Object.entries(pullAssetsForResponse(result, target)))
        setEntry(merged, name, asset);
    return merged;
  }

  /**
   * Downloads a CDN link to `destPath` (parent folders created). Beyond the seed: streamed (memory does not
   * grow with the file), saved under a temporary name until complete, an HTML page refused, a cut body
   * resumed by range.
   */
  async downloadUrlToPath(url: string, destPath: string): Promise<void> {
    await this.client.media.downloadToFile({ url }, destPath).done();
  }
}

/** gopro_api's sync `GoProClient`: in Node every call is async, so it is {@link AsyncGoProClient}. */
export const GoProClient = AsyncGoProClient;
/** gopro_api's sync `GoProClient`: in Node every call is async, so it is {@link AsyncGoProClient}. */
export type GoProClient = AsyncGoProClient;

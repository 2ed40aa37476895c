import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  BaseClient,
  type CallOptions,
  type ClientOptions,
  CookieAuth,
  InvalidInputError,
  mapConcurrent,
  nextPageNumber,
  Paginator,
  type ProgressListener,
  rangeOpener,
  type SavedFile,
  type ServiceProfile,
  safeJoin,
  saveToFile,
} from '@mediaferry/core';
import { pullAssetsForResponse, type VariationTarget } from './assets.js';
import {
  type DownloadAsset,
  downloadResponseSchema,
  type GoProMediaDownloadResponse,
  type GoProMediaSearchItem,
  type GoProMediaSearchResponse,
  searchResponseSchema,
} from './models.js';
import { type GoProMediaSearchParams, searchQuery } from './params.js';

/** The real API; every request goes here unless `baseUrl` says otherwise (an emulator, a proxy). */
export const GOPRO_API_URL = 'https://api.gopro.com';
const SEARCH_ACCEPT = 'application/vnd.gopro.jk.media.search+json; version=2.0.0';
const MEDIA_ACCEPT = 'application/vnd.gopro.jk.media+json; version=2.0.0';

const profile: ServiceProfile = {
  name: 'gopro',
  userAgent: 'mediaferry-gopro/0.1.0',
  parseError: (body) => {
    const error = body as { error?: unknown; message?: unknown } | undefined;
    return {
      code: typeof error?.error === 'string' ? error.error : undefined,
      message: typeof error?.message === 'string' ? error.message : undefined,
    };
  },
};

export interface GoProClientOptions extends ClientOptions {
  /** The `gp_access_token` cookie value; defaults to the `GP_ACCESS_TOKEN` environment variable. */
  readonly accessToken?: string;
  /** Page size of {@link GoProClient.iterNonemptySearchPages} and {@link GoProClient.listMediaItems}. Default 1000. */
  readonly pageSize?: number;
  /** How many items {@link GoProClient.listMediaItems} returns at most. Default 1, as gopro_api. */
  readonly maxItems?: number;
  readonly preferHeight?: number;
  readonly preferWidth?: number;
}

export interface PullOptions extends CallOptions {
  /** Downloads at a time. Default 4. */
  readonly concurrency?: number;
  readonly onProgress?: (event: { name: string; loaded: number; total: number | undefined }) => void;
}

export interface PulledFile extends SavedFile {
  readonly mediaId: string;
  readonly name: string;
}

/**
 * GoPro cloud media library client (gopro_api's `AsyncGoProClient` and `AsyncGoProAPI` in one): search,
 * download metadata, page iteration, asset selection and streamed downloads.
 *
 * @example
 * ```ts
 * const gopro = new GoProClient({ accessToken: process.env.GP_ACCESS_TOKEN });
 * for await (const item of gopro.searchAll(new Date('2026-10-01'), new Date('2026-10-31'))) console.log(item.filename);
 * await gopro.pull(await gopro.listMediaItems(from, to), './october');
 * ```
 */
export class GoProClient {
  readonly #http: BaseClient;
  pageSize: number;
  maxItems: number;
  preferHeight: number | undefined;
  preferWidth: number | undefined;

  constructor(options: GoProClientOptions = {}) {
    const {
      accessToken,
      pageSize = 1000,
      maxItems = 1,
      preferHeight,
      preferWidth,
      ...clientOptions
    } = options;
    const token = accessToken || process.env.GP_ACCESS_TOKEN;
    if (!token) throw new InvalidInputError('accessToken', 'is required (or set GP_ACCESS_TOKEN)');
    this.pageSize = pageSize;
    this.maxItems = maxItems;
    this.preferHeight = preferHeight;
    this.preferWidth = preferWidth;
    // Strict by default like gopro_api: a body missing a required key is an error (unknown keys still pass).
    this.#http = new BaseClient(
      { baseUrl: GOPRO_API_URL, validate: 'strict', ...clientOptions },
      profile,
      new CookieAuth('gp_access_token', token),
    );
  }

  /** One search request (`GET /media/search`). */
  async search(
    params: GoProMediaSearchParams = {},
    options: CallOptions = {},
  ): Promise<GoProMediaSearchResponse> {
    return this.#http.request({
      ...options,
      path: '/media/search',
      endpoint: 'search',
      query: searchQuery(params),
      headers: { accept: SEARCH_ACCEPT },
      schema: searchResponseSchema,
    });
  }

  /** Download metadata of one media (`GET /media/{id}/download`): files, variations, sidecars with signed URLs. */
  async download(mediaId: string, options: CallOptions = {}): Promise<GoProMediaDownloadResponse> {
    if (typeof mediaId !== 'string' || mediaId === '')
      throw new InvalidInputError('mediaId', 'must be a non-empty string');
    return this.#http.request({
      ...options,
      path: `/media/${encodeURIComponent(mediaId)}/download`,
      endpoint: 'download',
      headers: { accept: MEDIA_ACCEPT },
      schema: downloadResponseSchema,
    });
  }

  /**
   * Search pages until one comes back empty, as gopro_api does (it never reads `total_pages`, so a full pass
   * costs one extra request). Use {@link searchAll} to stop on `total_pages` instead.
   */
  async *iterNonemptySearchPages(
    startDate: Date,
    endDate: Date,
    options: CallOptions & { perPage?: number; startPage?: number } = {},
  ): AsyncGenerator<GoProMediaSearchResponse> {
    const { perPage = this.pageSize, startPage = 1, ...call } = options;
    for (let page = startPage; ; page += 1) {
      const response = await this.search(
        { capturedRange: { start: startDate, end: endDate }, page, perPage },
        call,
      );
      if (response._embedded.media.length === 0) return;
      yield response;
    }
  }

  /** The first `maxItems` items captured in the range; stops requesting once it has them. */
  async listMediaItems(
    startDate: Date,
    endDate: Date,
    options: CallOptions & { maxItems?: number } = {},
  ): Promise<GoProMediaSearchItem[]> {
    const { maxItems = this.maxItems, ...call } = options;
    if (!Number.isInteger(maxItems) || maxItems < 0)
      throw new InvalidInputError('maxItems', 'must be an integer ≥ 0');
    const items: GoProMediaSearchItem[] = [];
    for await (const page of this.iterNonemptySearchPages(startDate, endDate, call)) {
      items.push(...page._embedded.media);
      if (items.length >= maxItems) break;
    }
    return items.slice(0, maxItems);
  }

  /**
   * Every item captured in the range, lazily, page after page. Unlike gopro_api's loop it stops on
   * `total_pages` and so spends no request on an empty page.
   */
  searchAll(
    startDate: Date,
    endDate: Date,
    options: CallOptions & { perPage?: number; params?: GoProMediaSearchParams } = {},
  ): Paginator<GoProMediaSearchItem, number> {
    const { perPage = Math.min(this.pageSize, 100), params, ...call } = options;
    searchQuery({ ...params, capturedRange: { start: startDate, end: endDate }, perPage });
    return new Paginator<GoProMediaSearchItem, number>(
      1,
      async (page, signal) => {
        const response = await this.search(
          { ...params, capturedRange: { start: startDate, end: endDate }, page, perPage },
          { ...call, signal },
        );
        const media = response._embedded.media;
        const pages = response._pages;
        return {
          items: media,
          next: nextPageNumber({ page, perPage, itemCount: media.length, totalPages: pages.total_pages }),
          raw: response,
        };
      },
      { signal: call.signal },
    );
  }

  /**
   * Download metadata for each item (concurrently, merged in input order) and the assets to fetch, keyed by
   * file name. As in gopro_api, a later item with the same file name replaces an earlier one; {@link pull}
   * keeps both instead.
   */
  async getDownloadUrl(
    mediaItems: readonly Pick<GoProMediaSearchItem, 'id'>[],
    options: CallOptions = {},
  ): Promise<Map<string, DownloadAsset>> {
    const results = await mapConcurrent(
      mediaItems,
      8,
      (item, _index, signal) => this.download(item.id, { ...options, signal }),
      {
        signal: options.signal,
      },
    );
    const merged = new Map<string, DownloadAsset>();
    for (const result of results) {
      for (const [name, asset] of this.pullAssetsForResponse(result)) merged.set(name, asset);
    }
    return merged;
  }

  /** {@link pullAssetsForResponse} with this client's preferred height and width. */
  pullAssetsForResponse(
    result: GoProMediaDownloadResponse,
    target?: VariationTarget,
  ): Map<string, DownloadAsset> {
    return pullAssetsForResponse(
      result,
      target ?? { targetHeight: this.preferHeight, targetWidth: this.preferWidth },
    );
  }

  /**
   * Streams a pre-signed CDN URL to a file: no credentials are sent (the URL is the credential), bytes go to
   * a temporary file renamed into place when complete, a cut body resumes with Range.
   */
  async downloadUrlToPath(
    url: string,
    destPath: string,
    options: CallOptions & { onProgress?: ProgressListener | undefined } = {},
  ): Promise<SavedFile> {
    if (!/^https?:\/\//i.test(url)) throw new InvalidInputError('url', 'must be an absolute http(s) URL');
    const { onProgress, ...call } = options;
    await mkdir(dirname(destPath), { recursive: true });
    return saveToFile(
      rangeOpener(this.#http, { ...call, path: url, auth: false, endpoint: 'cdn' }),
      destPath,
      {
        signal: call.signal,
        onProgress,
      },
    );
  }

  /**
   * Downloads the chosen assets of these items into `destDir`. Server file names are checked (never a path
   * out of the folder); two items with the same name both land, the later one with its media id appended.
   */
  async pull(
    mediaItems: readonly Pick<GoProMediaSearchItem, 'id'>[],
    destDir: string,
    options: PullOptions = {},
  ): Promise<PulledFile[]> {
    const { concurrency = 4, onProgress, ...call } = options;
    const planned: Array<{ mediaId: string; name: string; asset: DownloadAsset }> = [];
    const taken = new Set<string>();
    const responses = await mapConcurrent(
      mediaItems,
      8,
      (item, _i, signal) => this.download(item.id, { ...call, signal }),
      { signal: call.signal },
    );
    responses.forEach((response, index) => {
      const mediaId = mediaItems[index]!.id;
      for (const [name, asset] of this.pullAssetsForResponse(response)) {
        const unique = taken.has(name) ? name.replace(/(\.[^.]*)?$/, (ext) => `-${mediaId}${ext}`) : name;
        taken.add(unique);
        planned.push({ mediaId, name: unique, asset });
      }
    });
    return mapConcurrent(
      planned,
      concurrency,
      async ({ mediaId, name, asset }, _i, signal) => {
        const saved = await this.downloadUrlToPath(asset.url, safeJoin(destDir, name), {
          ...call,
          signal,
          onProgress: onProgress && ((p) => onProgress({ name, loaded: p.loaded, total: p.total })),
        });
        return { ...saved, mediaId, name };
      },
      { signal: call.signal },
    );
  }

  /** Opens a CDN URL as a stream (for copying without touching disk). */
  openUrl(url: string, options: CallOptions & { range?: { start: number; end?: number } } = {}) {
    const { range, ...call } = options;
    return this.#http.stream({
      ...call,
      path: url,
      auth: false,
      endpoint: 'cdn',
      ...(range
        ? {
            headers: { range: `bytes=${range.start}-${range.end ?? ''}` },
            okStatus: (s: number) => s === 206 || s === 200,
          }
        : {}),
    });
  }
}

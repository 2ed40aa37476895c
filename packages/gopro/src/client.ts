import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  BaseClient,
  type CallOptions,
  type ClientOptions,
  CookieAuth,
  InvalidInputError,
  type ListingOptions,
  mapConcurrent,
  nextPageNumber,
  Paginator,
  type ProgressListener,
  rangeOpener,
  type SavedFile,
  type ServiceProfile,
  safeJoin,
  saveToFile,
  TO_ARRAY_HARD_LIMIT,
  type TransferOptions,
} from '@mediaferry/core';
import {
  type CdnAsset,
  getFileName,
  knownSize,
  type PullItem,
  pullAssetsForResponse,
  type VariationTarget,
} from './assets.js';
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

export interface GoProClientOptions extends GoProApiOptions {
  /** Metadata requests and downloads in flight at once. Default 8. */
  readonly concurrency?: number;
  /** Page size of {@link GoProClient.iterNonemptySearchPages} and {@link GoProClient.listMediaItems}. Default 1000. */
  readonly pageSize?: number;
  /** How many items {@link GoProClient.listMediaItems} returns at most. Default 1, as gopro_api. */
  readonly maxItems?: number;
  readonly preferHeight?: number;
  readonly preferWidth?: number;
}

export interface PullOptions extends CallOptions {
  /** Downloads at a time. Default: the client's `concurrency`. */
  readonly concurrency?: number;
  readonly onProgress?:
    | ((event: { name: string; loaded: number; total: number | undefined }) => void)
    | undefined;
  /** Also download sidecar files (GPMF telemetry…), named `<file>.<label>.<type>`. Default false, as gopro_api. */
  readonly includeSidecars?: boolean;
}

export interface PullMediaOptions extends PullOptions {
  readonly from: Date;
  readonly to: Date;
  readonly dest: string;
}

export interface PulledFile extends SavedFile {
  readonly mediaId: string;
  readonly name: string;
}

/** What {@link GoProClient.pull} did with each file. */
export interface PullReport {
  readonly downloaded: PulledFile[];
  readonly skipped: Array<{ mediaId: string; name: string; size: number }>;
  readonly failed: Array<{ mediaId: string; name: string; error: unknown }>;
  bytes: number;
  ms: number;
}

/** Options of the low-level {@link GoProApi}. */
export interface GoProApiOptions extends ClientOptions {
  /** The `gp_access_token` cookie value; defaults to the `GP_ACCESS_TOKEN` environment variable. */
  readonly accessToken?: string;
}

/**
 * The two endpoints gopro_api uses, one call each (gopro_api's `AsyncGoProAPI`). No context manager is
 * needed: the client holds no connection of its own.
 */
export class GoProApi {
  /** The transport, shared with {@link GoProClient} for CDN downloads. */
  readonly http: BaseClient;

  constructor(options: GoProApiOptions = {}) {
    const { accessToken, ...clientOptions } = options;
    const token = accessToken || process.env.GP_ACCESS_TOKEN;
    if (!token) throw new InvalidInputError('accessToken', 'is required (or set GP_ACCESS_TOKEN)');
    // Strict by default like gopro_api: a body missing a required key is an error (unknown keys still pass).
    this.http = new BaseClient(
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
    return this.http.request({
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
    return this.http.request({
      ...options,
      path: `/media/${encodeURIComponent(mediaId)}/download`,
      endpoint: 'download',
      headers: { accept: MEDIA_ACCEPT },
      schema: downloadResponseSchema,
    });
  }
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
  /** The low-level client this one wraps. */
  readonly api: GoProApi;
  readonly #http: BaseClient;
  pageSize: number;
  concurrency: number;
  maxItems: number;
  preferHeight: number | undefined;
  preferWidth: number | undefined;

  constructor(options: GoProClientOptions = {}) {
    const {
      pageSize = 1000,
      maxItems = 1,
      preferHeight,
      preferWidth,
      concurrency = 8,
      ...apiOptions
    } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new InvalidInputError('concurrency', 'must be an integer ≥ 1');
    this.api = new GoProApi(apiOptions);
    this.#http = this.api.http;
    this.concurrency = concurrency;
    this.pageSize = pageSize;
    this.maxItems = maxItems;
    this.preferHeight = preferHeight;
    this.preferWidth = preferWidth;
  }

  /** One search request (`GET /media/search`). */
  search(params: GoProMediaSearchParams = {}, options: CallOptions = {}): Promise<GoProMediaSearchResponse> {
    return this.api.search(params, options);
  }

  /** Download metadata of one media (`GET /media/{id}/download`). */
  download(mediaId: string, options: CallOptions = {}): Promise<GoProMediaDownloadResponse> {
    return this.api.download(mediaId, options);
  }

  /**
   * Search pages until one comes back empty, as gopro_api does (it never reads `total_pages`, so a full pass
   * costs one extra request). Use {@link searchAll} to stop on `total_pages` instead. A server that never
   * sends an empty page hits the `maxPages` guard (`PaginationError`), not an endless loop.
   */
  async *iterNonemptySearchPages(
    startDate: Date,
    endDate: Date,
    options: CallOptions & ListingOptions & { perPage?: number; startPage?: number } = {},
  ): AsyncGenerator<GoProMediaSearchResponse> {
    const { perPage = this.pageSize, startPage = 1, maxPages, maxItems, ...call } = options;
    const pages = new Paginator<GoProMediaSearchItem, number>(
      startPage,
      async (page, signal) => {
        const response = await this.search(
          { capturedRange: { start: startDate, end: endDate }, page, perPage },
          { ...call, signal },
        );
        return { items: response._embedded.media, next: page + 1, raw: response };
      },
      { signal: call.signal, maxPages, maxItems },
    );
    for await (const page of pages.pages()) {
      if (page.items.length === 0) return;
      yield page.raw as GoProMediaSearchResponse;
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
    options: CallOptions & ListingOptions & { perPage?: number; params?: GoProMediaSearchParams } = {},
  ): Paginator<GoProMediaSearchItem, number> {
    const { perPage = this.pageSize, params, maxPages, maxItems, ...call } = options;
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
      { signal: call.signal, maxPages, maxItems },
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
      this.concurrency,
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
   * a temporary file renamed into place only when complete: of `expectedSize` when given (the search's
   * `file_size`), else of the size the CDN announced. An HTML page is an error page, never the media; a cut
   * body resumes with Range and `If-Range`, and a changed ETag restarts rather than splices.
   */
  async downloadUrlToPath(
    url: string,
    destPath: string,
    options: TransferOptions & {
      onProgress?: ProgressListener | undefined;
      expectedSize?: number | undefined;
    } = {},
  ): Promise<SavedFile> {
    if (!/^https?:\/\//i.test(url)) throw new InvalidInputError('url', 'must be an absolute http(s) URL');
    const { onProgress, expectedSize, ...call } = options;
    if (expectedSize !== undefined && (!Number.isSafeInteger(expectedSize) || expectedSize < 0))
      throw new InvalidInputError('expectedSize', 'must be a whole number of bytes ≥ 0');
    await mkdir(dirname(destPath), { recursive: true });
    return saveToFile(
      rangeOpener(this.#http, { ...call, path: url, auth: false, endpoint: 'cdn' }),
      destPath,
      { signal: call.signal, onProgress, expectedSize, refuseHtml: true },
    );
  }

  /**
   * Downloads the chosen assets of these items into `destDir`. Server file names are checked (a name that
   * would leave the folder fails with `UnsafePathError`); two items with the same name both land, the later
   * one with its media id appended; a file already there with the same size is skipped. One failure does not
   * stop the others: the report says what happened to each file.
   */
  async pull(
    mediaItems: readonly PullItem[],
    destDir: string,
    options: PullOptions = {},
  ): Promise<PullReport> {
    const { concurrency = this.concurrency, onProgress, includeSidecars = false, ...call } = options;
    const started = performance.now();
    const planned: Array<{ mediaId: string; name: string; asset: CdnAsset; size: number | undefined }> = [];
    const taken = new Set<string>();
    const responses = await mapConcurrent(
      mediaItems,
      this.concurrency,
      (item, _i, signal) => this.download(item.id, { ...call, signal }),
      {
        signal: call.signal,
      },
    );
    responses.forEach((response, index) => {
      const item = mediaItems[index]!;
      const mediaId = item.id;
      const chosen = this.pullAssetsForResponse(response);
      const assets: Array<[string, CdnAsset, number | undefined]> = [...chosen].map(([name, asset]) => [
        name,
        asset,
        knownSize(item, response, asset),
      ]);
      if (includeSidecars) {
        response._embedded.sidecar_files.forEach((sidecar, n) => {
          assets.push([
            `${getFileName(response.filename, n)}.${sidecar.label}.${sidecar.type}`,
            sidecar,
            undefined,
          ]);
        });
      }
      for (const [name, asset, size] of assets) {
        // Deterministic: the first item in input order keeps the name, later ones get their id appended.
        const unique = taken.has(name) ? name.replace(/(\.[^.]*)?$/, (ext) => `-${mediaId}${ext}`) : name;
        taken.add(unique);
        planned.push({ mediaId, name: unique, asset, size });
      }
    });
    const report: PullReport = { downloaded: [], skipped: [], failed: [], bytes: 0, ms: 0 };
    await mapConcurrent(
      planned,
      concurrency,
      async ({ mediaId, name, asset, size }, _i, signal) => {
        try {
          const destination = safeJoin(destDir, name);
          const existing = await stat(destination).catch(() => undefined);
          if (existing?.isFile()) {
            const head = await this.#http.stream({
              ...call,
              signal,
              method: 'HEAD',
              path: asset.head,
              auth: false,
              endpoint: 'cdn',
            });
            await head.body.cancel();
            if (head.contentLength === existing.size) {
              report.skipped.push({ mediaId, name, size: existing.size });
              return;
            }
          }
          const saved = await this.downloadUrlToPath(asset.url, destination, {
            ...call,
            signal,
            expectedSize: size,
            onProgress: onProgress && ((p) => onProgress({ name, loaded: p.loaded, total: p.total })),
          });
          report.downloaded.push({ ...saved, mediaId, name });
          report.bytes += saved.size;
        } catch (error) {
          if (call.signal?.aborted) throw error;
          report.failed.push({ mediaId, name, error });
        }
      },
      { signal: call.signal },
    );
    report.ms = performance.now() - started;
    return report;
  }

  /** Searches a date range and pulls everything in it into `dest` (see {@link pull}). */
  async pullMedia(options: PullMediaOptions): Promise<PullReport> {
    const { from, to, dest, ...pullOptions } = options;
    const items = await this.searchAll(from, to, {
      ...(pullOptions.signal ? { signal: pullOptions.signal } : {}),
    }).toArray({ limit: TO_ARRAY_HARD_LIMIT });
    return this.pull(items, dest, pullOptions);
  }

  /** Opens a CDN URL as a stream (for copying without touching disk), or HEADs it. */
  openUrl(
    url: string,
    options: CallOptions & { range?: { start: number; end?: number }; method?: 'GET' | 'HEAD' } = {},
  ) {
    const { range, method = 'GET', ...call } = options;
    return this.#http.stream({
      ...call,
      method,
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

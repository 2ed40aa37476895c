/**
 * `gopro.media`: search the library, read a media's download metadata, download one asset as a stream or
 * to a file, and pull a whole date range to disk.
 *
 * @module
 */
import {
  APIPromise,
  InvalidInputError,
  nextPageNumber,
  Paginator,
  type ProgressListener,
  type SavedFile,
  Transfer,
} from '@mediaferry/core';
import type { ZodType } from 'zod';
import { chooseAssets, type VariationTarget } from './assets.js';
import { checkedLink, headResponse, openLink, saveLink } from './cdn.js';
import type { GoProContext, GoProRequestOptions, GoProTransferOptions } from './context.js';
import {
  type CdnAsset,
  type DownloadedFile,
  downloadResponseSchema,
  type MediaDownload,
  type MediaItem,
  type SearchPage,
  searchResponseSchema,
} from './models.js';
import { type MediaListParams, type MediaSearchParams, searchQuery } from './params.js';
import { type PullParams, type PullReport, runPull } from './pull.js';

const SEARCH_ACCEPT = 'application/vnd.gopro.jk.media.search+json; version=2.0.0';
const MEDIA_ACCEPT = 'application/vnd.gopro.jk.media+json; version=2.0.0';

/** What to download: a media id (its asset is chosen by {@link AssetChoice}) or a link from its metadata. */
export type MediaRef = string | CdnAsset;

/**
 * Which asset of a media to download. Default: for a video (`.mp4`), the variation closest to the target
 * resolution (the tallest without one); otherwise its first file.
 */
export interface AssetChoice extends VariationTarget {
  /** A variation by label (`source`, `concat`, `high_res_proxy_mp4`…). */
  readonly variation?: string | undefined;
  /** A file by its index in `files` (a burst's frames…). */
  readonly file?: number | undefined;
}

/** What a HEAD on an asset's link says. */
export interface AssetHead {
  /** Bytes announced, when the CDN said. */
  readonly size: number | undefined;
  readonly contentType: string | undefined;
  readonly headers: Headers;
}

/** Parameters of {@link MediaResource.downloadToFile}. */
export interface DownloadToFileParams extends AssetChoice {
  /** The size the bytes must have (a search's `file_size` for the original), when known. */
  readonly expectedSize?: number | undefined;
}

/** Options of {@link MediaResource.downloadToFile}. */
export interface DownloadToFileOptions extends GoProTransferOptions {
  /** Progress of the file, like `transfer.on('progress', …)`. */
  readonly onProgress?: ProgressListener | undefined;
}

function mediaIdOf(ref: string, field = 'mediaId'): string {
  if (typeof ref !== 'string' || ref === '' || ref.includes('/'))
    throw new InvalidInputError(field, 'must be a non-empty media id without "/"');
  return ref;
}

function checkChoice(choice: AssetChoice): void {
  if (choice.variation !== undefined && (typeof choice.variation !== 'string' || choice.variation === ''))
    throw new InvalidInputError('variation', 'must be a non-empty label');
  if (choice.file !== undefined && (!Number.isSafeInteger(choice.file) || choice.file < 0))
    throw new InvalidInputError('file', 'must be a whole number ≥ 0');
  if (choice.variation !== undefined && choice.file !== undefined)
    throw new InvalidInputError('variation', 'cannot be combined with file');
  for (const key of ['targetHeight', 'targetWidth'] as const) {
    const value = choice[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0))
      throw new InvalidInputError(key, 'must be a whole number of pixels ≥ 0');
  }
}

/** The link a choice designates in a media's metadata. */
export function pickAsset(metadata: MediaDownload, choice: AssetChoice, fallback: VariationTarget): CdnAsset {
  const { variations, files } = metadata._embedded;
  if (choice.variation !== undefined) {
    const found = variations.find((v) => v.label === choice.variation);
    if (!found)
      throw new InvalidInputError(
        'variation',
        `"${choice.variation}" is not a variation of ${metadata.filename} (it has: ${variations.map((v) => v.label).join(', ') || 'none'})`,
      );
    return found;
  }
  if (choice.file !== undefined) {
    const found = files[choice.file];
    if (!found)
      throw new InvalidInputError(
        'file',
        `${metadata.filename} has ${files.length} file(s), no index ${choice.file}`,
      );
    return found;
  }
  const target =
    choice.targetHeight !== undefined || choice.targetWidth !== undefined
      ? { targetHeight: choice.targetHeight, targetWidth: choice.targetWidth }
      : fallback;
  const first = chooseAssets(metadata, target)[0];
  if (!first) throw new InvalidInputError('mediaId', `${metadata.filename} has no file to download`);
  return first.asset;
}

/** The media library: `gopro.media`. */
export class MediaResource {
  readonly #ctx: GoProContext;

  /** @internal */
  constructor(context: GoProContext) {
    this.#ctx = context;
  }

  /**
   * Every media matching the filter, page after page (`GET /media/search`), stopping on `total_pages`:
   * `for await (const item of gopro.media.list({ from, to }))`.
   */
  list(params: MediaListParams = {}, options: GoProRequestOptions = {}): Paginator<MediaItem, number> {
    const { maxPages, maxItems, pageSize = this.#ctx.pageSize, ...filter } = params;
    searchQuery({ ...filter, pageSize });
    return new Paginator<MediaItem, number>(
      1,
      async (page, signal) => {
        const response = await this.search({ ...filter, page, pageSize }, { ...options, signal });
        const media = response._embedded.media;
        return {
          items: media,
          next: nextPageNumber({
            page,
            perPage: pageSize,
            itemCount: media.length,
            totalPages: response._pages.total_pages,
          }),
          raw: response,
        };
      },
      { signal: this.#ctx.signal(options.signal), maxPages, maxItems },
    );
  }

  /** One page of `GET /media/search`, as the API sends it. */
  search(params: MediaSearchParams = {}, options: GoProRequestOptions = {}): APIPromise<SearchPage> {
    return this.#call(() => ({
      path: '/media/search',
      endpoint: 'search',
      query: searchQuery(params, this.#ctx.pageSize),
      accept: SEARCH_ACCEPT,
      schema: searchResponseSchema,
      options,
    }));
  }

  /** Download metadata of one media (`GET /media/{id}/download`): files, variations, sprites, sidecars. */
  get(mediaId: string, options: GoProRequestOptions = {}): APIPromise<MediaDownload> {
    return this.#call(() => ({
      path: `/media/${encodeURIComponent(mediaIdOf(mediaId))}/download`,
      endpoint: 'download',
      accept: MEDIA_ACCEPT,
      schema: downloadResponseSchema,
      options,
    }));
  }

  /**
   * One asset as a stream: a media id (its metadata is read and the asset chosen by `choice`) or a link from
   * the metadata. `withResponse()` shows the CDN's answer.
   */
  download(
    ref: MediaRef,
    choice: AssetChoice = {},
    options: GoProTransferOptions = {},
  ): APIPromise<DownloadedFile> {
    const work = (async () => {
      const url = await this.#resolve(ref, choice, options);
      const { file, response } = await openLink(this.#ctx.http, url, {
        ...options,
        signal: this.#ctx.signal(options.signal),
      });
      return { data: file, response, requestId: response.requestId };
    })();
    return new APIPromise(work);
  }

  /**
   * The size and type of one asset without downloading it: a HEAD on its pre-signed `head` link (on `url`
   * for a link given without one).
   */
  head(ref: MediaRef, choice: AssetChoice = {}, options: GoProRequestOptions = {}): APIPromise<AssetHead> {
    const work = (async () => {
      const asset = await this.#asset(ref, choice, options);
      const link = checkedLink(asset.head ?? asset.url, 'head');
      const response = await headResponse(this.#ctx.http, link, {
        ...options,
        signal: this.#ctx.signal(options.signal),
      });
      const data: AssetHead = {
        size: response.contentLength,
        contentType: response.headers.get('content-type') ?? undefined,
        headers: response.headers,
      };
      return { data, response, requestId: response.requestId };
    })();
    return new APIPromise(work);
  }

  /**
   * One asset to a file, atomically: a temporary file beside `path`, renamed only once complete and of the
   * promised size; a cut body resumes by range with `If-Range`; an HTML page is refused.
   */
  downloadToFile(
    ref: MediaRef,
    path: string,
    params: DownloadToFileParams = {},
    options: DownloadToFileOptions = {},
  ): Transfer<SavedFile> {
    const { expectedSize, ...choice } = params;
    const { onProgress, ...call } = options;
    checkChoice(choice);
    if (typeof path !== 'string' || path === '')
      throw new InvalidInputError('path', 'must be a non-empty path');
    return new Transfer(
      async ({ signal, progress }) => {
        const url = await this.#resolve(ref, choice, { ...call, signal });
        return saveLink(this.#ctx.http, url, path, {
          ...call,
          signal,
          expectedSize,
          onProgress: (p) => {
            if (p.total !== undefined) progress.setTotal(p.total);
            progress.report(p.loaded);
          },
        });
      },
      { signal: this.#ctx.signal(call.signal), onProgress, total: expectedSize },
    );
  }

  /**
   * The month-to-disk job: every media of the filter (or the `items` given), the chosen asset of each, into
   * `dest`. Server names are checked (`UnsafePathError` for one that would leave the folder); a name taken
   * twice keeps both files; a file already there with the same size is skipped; one failure does not stop
   * the others. Progress covers the whole job.
   */
  pull(
    params: PullParams,
    options: GoProTransferOptions & { onProgress?: ProgressListener } = {},
  ): Transfer<PullReport> {
    const { onProgress, ...call } = options;
    return runPull(this.#ctx, this, params, call, onProgress);
  }

  async #asset(ref: MediaRef, choice: AssetChoice, options: GoProRequestOptions): Promise<CdnAsset> {
    if (typeof ref === 'object' && ref !== null) {
      if (choice.variation !== undefined || choice.file !== undefined)
        throw new InvalidInputError('ref', 'a link is downloaded as is: variation and file need a media id');
      return ref;
    }
    checkChoice(choice);
    const metadata = await this.get(mediaIdOf(ref, 'ref'), options);
    return pickAsset(metadata, choice, this.#ctx.target);
  }

  async #resolve(ref: MediaRef, choice: AssetChoice, options: GoProRequestOptions): Promise<string> {
    return checkedLink((await this.#asset(ref, choice, options)).url, 'url');
  }

  #call<T>(
    build: () => {
      path: string;
      endpoint: string;
      query?: ReturnType<typeof searchQuery>;
      accept: string;
      schema: ZodType<T>;
      options: GoProRequestOptions;
    },
  ): APIPromise<T> {
    let request: ReturnType<typeof build>;
    try {
      request = build();
    } catch (error) {
      return new APIPromise(Promise.reject(error));
    }
    const { options, accept, ...rest } = request;
    return this.#ctx.http.call({
      ...options,
      ...rest,
      signal: this.#ctx.signal(options.signal),
      headers: { ...options.headers, accept },
    });
  }
}

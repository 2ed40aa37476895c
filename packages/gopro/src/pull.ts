/**
 * `gopro.media.pull`: a date range (or a list of media) to a folder, as one transfer with one progress bar.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import {
  InvalidInputError,
  MediaferryError,
  mapConcurrent,
  type ProgressListener,
  type SavedFile,
  safeJoin,
  settleConcurrent,
  Transfer,
  throwIfAborted,
} from '@mediaferry/core';
import { chooseAssets, getFileName, knownSize, type PullItem, type VariationTarget } from './assets.js';
import { Folders, headLength, saveLink } from './cdn.js';
import type { GoProContext, GoProTransferOptions } from './context.js';
import type { MediaResource } from './media.js';
import type { CdnAsset, MediaDownload, MediaItem } from './models.js';
import { type MediaFilter, searchQuery } from './params.js';

/** Parameters of {@link MediaResource.pull}. */
export interface PullParams extends MediaFilter, VariationTarget {
  /** The folder the files go to (created when missing). */
  readonly dest: string;
  /** Pull these media (from a search) instead of searching with the filter. */
  readonly items?: readonly PullItem[] | undefined;
  /** Metadata requests and downloads at a time. Default: the client's `concurrency`. */
  readonly concurrency?: number | undefined;
  /** Also download sidecar files (GPMF telemetry…), named `<file>.<label>.<type>`. Default false. */
  readonly includeSidecars?: boolean | undefined;
  /** Items per search page. Default: the client's `pageSize`. */
  readonly pageSize?: number | undefined;
}

/** A file a pull saved. */
export interface PulledFile extends SavedFile {
  readonly mediaId: string;
  /** Its name in the destination folder. */
  readonly name: string;
}

/** What a pull did with each file. */
export interface PullReport {
  readonly downloaded: readonly PulledFile[];
  /** Already in the folder with the same size: not downloaded again. */
  readonly skipped: readonly { readonly mediaId: string; readonly name: string; readonly size: number }[];
  /** Files (or whole media, when their metadata failed) that could not be pulled, with the typed error. */
  readonly failed: readonly { readonly mediaId: string; readonly name: string; readonly error: unknown }[];
  /** Bytes downloaded (skipped files not counted). */
  readonly bytes: number;
  readonly ms: number;
}

interface Planned {
  readonly mediaId: string;
  readonly name: string;
  readonly asset: CdnAsset;
  /** The size the search promised: the download must have it. */
  readonly promised: number | undefined;
  /** The best size known before downloading (promised, else the HEAD's). */
  size: number | undefined;
}

/** A metadata failure as an error (the transport only throws errors; this is for the type). */
const failure = (reason: unknown): Error =>
  reason instanceof Error ? reason : new MediaferryError(`metadata request failed: ${String(reason)}`);

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? E[] : T[K] };

function checkParams(params: PullParams, ctx: GoProContext): { concurrency: number } {
  if (typeof params !== 'object' || params === null)
    throw new InvalidInputError('params', 'must be an object');
  if (typeof params.dest !== 'string' || params.dest === '')
    throw new InvalidInputError('dest', 'must be a non-empty folder path');
  const concurrency = params.concurrency ?? ctx.concurrency;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1)
    throw new InvalidInputError('concurrency', 'must be an integer ≥ 1');
  if (params.items !== undefined) {
    if (!Array.isArray(params.items)) throw new InvalidInputError('items', 'must be a list of media');
    params.items.forEach((item, i) => {
      if (typeof item?.id !== 'string' || item.id === '')
        throw new InvalidInputError(`items[${i}].id`, 'must be a non-empty media id');
    });
    if (params.from !== undefined || params.to !== undefined || params.types !== undefined)
      throw new InvalidInputError('items', 'cannot be combined with from, to or types');
  } else {
    searchQuery({ ...params, pageSize: params.pageSize ?? ctx.pageSize });
  }
  return { concurrency };
}

/** Every asset of every media, with unique names (the first in input order keeps a name taken twice). */
function plan(
  items: readonly PullItem[],
  results: readonly (MediaDownload | Error)[],
  params: PullParams,
  ctx: GoProContext,
  report: Mutable<PullReport>,
): Planned[] {
  const target =
    params.targetHeight !== undefined || params.targetWidth !== undefined
      ? { targetHeight: params.targetHeight, targetWidth: params.targetWidth }
      : ctx.target;
  const taken = new Set<string>();
  const planned: Planned[] = [];
  results.forEach((result, index) => {
    const item = items[index]!;
    if (result instanceof Error) {
      report.failed.push({
        mediaId: item.id,
        name: (item as Partial<MediaItem>).filename ?? item.id,
        error: result,
      });
      return;
    }
    let assets: Array<{ name: string; asset: CdnAsset; promised: number | undefined }>;
    try {
      assets = chooseAssets(result, target).map(({ name, asset }) => ({
        name,
        asset,
        promised: knownSize(item, result, asset),
      }));
    } catch (error) {
      report.failed.push({ mediaId: item.id, name: result.filename, error });
      return;
    }
    if (params.includeSidecars)
      result._embedded.sidecar_files.forEach((sidecar, n) => {
        const name = `${getFileName(result.filename, n)}.${sidecar.label}.${sidecar.type}`;
        assets.push({ name, asset: sidecar, promised: undefined });
      });
    for (const { name, asset, promised } of assets) {
      const unique = taken.has(name) ? name.replace(/(\.[^.]*)?$/, (ext) => `-${item.id}${ext}`) : name;
      taken.add(unique);
      planned.push({ mediaId: item.id, name: unique, asset, promised, size: promised });
    }
  });
  return planned;
}

/** Starts a pull; see {@link MediaResource.pull}. */
export function runPull(
  ctx: GoProContext,
  media: MediaResource,
  params: PullParams,
  call: GoProTransferOptions,
  onProgress: ProgressListener | undefined,
): Transfer<PullReport> {
  const { concurrency } = checkParams(params, ctx);
  return new Transfer(
    async ({ signal, progress }) => {
      const started = performance.now();
      const options = { ...call, signal };
      const report: Mutable<PullReport> = { downloaded: [], skipped: [], failed: [], bytes: 0, ms: 0 };
      const {
        dest,
        items: given,
        concurrency: _c,
        includeSidecars: _s,
        targetHeight: _h,
        targetWidth: _w,
        ...filter
      } = params;
      let items: readonly PullItem[] = given ?? [];
      if (!given) {
        const found: MediaItem[] = [];
        for await (const item of media.list(filter, options)) found.push(item);
        items = found;
      }
      const settled = await settleConcurrent(
        items,
        concurrency,
        async (item, _i, s) => media.get(item.id, { ...options, signal: s }),
        { signal },
      );
      const rethrowAbort = () => throwIfAborted(signal);
      rethrowAbort();
      const results = settled.map((r) => (r.status === 'fulfilled' ? r.value : failure(r.reason)));
      const planned = plan(items, results, params, ctx, report);
      // Sizes nobody promised are asked of the CDN first, so the progress total is known from the start.
      await mapConcurrent(
        planned.filter((p) => p.size === undefined && p.asset.head),
        concurrency,
        async (p, _i, s) => {
          p.size = await headLength(ctx.http, p.asset.head!, { ...options, signal: s }).catch(
            () => undefined,
          );
        },
        { signal },
      );
      let total = planned.reduce((sum, p) => sum + (p.size ?? 0), 0);
      progress.setTotal(total);
      const folders = new Folders();
      await mapConcurrent(
        planned,
        concurrency,
        async (p, _i, s) => {
          let counted = 0;
          let sized = p.size !== undefined;
          try {
            const destination = safeJoin(dest, p.name);
            const existing = await stat(destination).catch(() => undefined);
            if (existing?.isFile() && p.size !== undefined && existing.size === p.size) {
              report.skipped.push({ mediaId: p.mediaId, name: p.name, size: existing.size });
              progress.add(existing.size);
              return;
            }
            const saved = await saveLink(
              ctx.http,
              p.asset.url,
              destination,
              {
                ...options,
                signal: s,
                expectedSize: p.promised,
                onProgress: (event) => {
                  if (!sized && event.total !== undefined) {
                    sized = true;
                    total += event.total;
                    progress.setTotal(total);
                  }
                  progress.add(event.loaded - counted);
                  counted = event.loaded;
                },
              },
              folders,
            );
            report.downloaded.push({ ...saved, mediaId: p.mediaId, name: p.name });
            report.bytes += saved.size;
          } catch (error) {
            rethrowAbort();
            report.failed.push({ mediaId: p.mediaId, name: p.name, error });
          }
        },
        { signal },
      );
      rethrowAbort();
      report.ms = performance.now() - started;
      return report;
    },
    { signal: ctx.signal(call.signal), onProgress },
  );
}

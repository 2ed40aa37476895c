/**
 * gopro_api's models and helpers under their own names (`gopro_api.api.models`, `gopro_api.utils`).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InvalidInputError } from '@mediaferry/core';
import { chooseAssets, selectVideoVariation as select } from '../../assets.js';
import type {
  DownloadAsset,
  MediaDownload,
  MediaFile,
  MediaItem,
  MediaVariation,
  SearchPage,
  SidecarFile,
} from '../../models.js';
import type { MediaSearchParams } from '../../params.js';

/** gopro_api's `CapturedRange`: only the date part (UTC) matters on the wire. */
export interface CapturedRange {
  readonly start: Date;
  readonly end: Date;
}

/** gopro_api's `GoProMediaSearchParams`; every field has the seed's default. */
export interface GoProMediaSearchParams {
  /** Default: `DEFAULT_PROCESSING_STATES`. */
  readonly processingStates?: readonly string[] | undefined;
  /** Default: `DEFAULT_FIELDS`. */
  readonly fields?: readonly string[] | undefined;
  /** Default: `DEFAULT_MEDIA_TYPES`. */
  readonly type?: readonly string[] | undefined;
  /** Default: the whole calendar (Python's `datetime.min`..`datetime.max`). */
  readonly capturedRange?: CapturedRange | undefined;
  /** 1-based. Default 1. */
  readonly page?: number | undefined;
  /** Default 1, as gopro_api's raw params model (the high-level client passes its page size). */
  readonly perPage?: number | undefined;
}

/** The seed's params as the new API's. */
export function toSearchParams(params: GoProMediaSearchParams = {}): MediaSearchParams {
  if (typeof params !== 'object' || params === null)
    throw new InvalidInputError('params', 'must be an object');
  return {
    processingStates: params.processingStates,
    fields: params.fields,
    types: params.type,
    from: params.capturedRange?.start,
    to: params.capturedRange?.end,
    page: params.page ?? 1,
    pageSize: params.perPage ?? 1,
  };
}

/** gopro_api's `GoProMediaSearchItem`. */
export type GoProMediaSearchItem = MediaItem;
/** gopro_api's `GoProMediaSearchResponse`. */
export type GoProMediaSearchResponse = SearchPage;
/** gopro_api's `GoProMediaSearchEmbedded`. */
export type GoProMediaSearchEmbedded = SearchPage['_embedded'];
/** gopro_api's `GoProMediaSearchPages`. */
export type GoProMediaSearchPages = SearchPage['_pages'];
/** gopro_api's `GoProMediaDownloadResponse`. */
export type GoProMediaDownloadResponse = MediaDownload;
/** gopro_api's `GoProMediaDownloadEmbedded`. */
export type GoProMediaDownloadEmbedded = MediaDownload['_embedded'];
/** gopro_api's `GoProMediaDownloadFile`. */
export type GoProMediaDownloadFile = MediaFile;
/** gopro_api's `GoProMediaDownloadVariation`. */
export type GoProMediaDownloadVariation = MediaVariation;
/** gopro_api's `GoProMediaDownloadSidecarFile`. */
export type GoProMediaDownloadSidecarFile = SidecarFile;
export type { DownloadAsset };

/** gopro_api's `select_video_variation(variations, *, target_height=None, target_width=None)`. */
export function selectVideoVariation(
  variations: readonly MediaVariation[],
  target: { readonly targetHeight?: number | undefined; readonly targetWidth?: number | undefined } = {},
): MediaVariation {
  return select(variations, target);
}

/**
 * Sets `key` as an own, enumerable property even when it is `__proto__` or `constructor`: a server-given
 * name never reaches the prototype.
 */
export function setEntry<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * gopro_api's `pull_assets_for_response(result, *, target_height=None, target_width=None)`: a plain object
 * of output file name → asset (the chosen variation of a video, every file otherwise).
 */
export function pullAssetsForResponse(
  result: MediaDownload,
  target: { readonly targetHeight?: number | undefined; readonly targetWidth?: number | undefined } = {},
): Record<string, DownloadAsset> {
  const assets: Record<string, DownloadAsset> = {};
  for (const { name, asset } of chooseAssets(result, target)) setEntry(assets, name, asset);
  return assets;
}

/**
 * gopro_api's `write_bytes(dest_path, data)`: creates the parent folder and writes the bytes — through a
 * temporary file renamed into place, so a failed write never leaves a partial file under the name.
 */
export async function writeBytes(destPath: string, data: Uint8Array): Promise<void> {
  if (typeof destPath !== 'string' || destPath === '')
    throw new InvalidInputError('destPath', 'must be a path');
  if (!(data instanceof Uint8Array)) throw new InvalidInputError('data', 'must be bytes (a Uint8Array)');
  const folder = dirname(destPath);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${basename(destPath)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, data, { flush: true });
    await rename(temp, destPath);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

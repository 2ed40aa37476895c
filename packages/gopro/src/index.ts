/**
 * `@mediaferry/gopro`: the GoPro cloud media library — search, download metadata, downloads as streams or
 * to files, and whole date ranges pulled to disk. The gopro_api surface is at `@mediaferry/gopro/gopro-api`.
 *
 * @packageDocumentation
 */
export {
  chooseAssets,
  getFileName,
  isVideoFilename,
  type NamedAsset,
  type PullItem,
  selectVideoVariation,
  type VariationTarget,
} from './assets.js';
export { GOPRO_API_URL, GoProClient, type GoProClientOptions } from './client.js';
export type { GoProRequestOptions, GoProTransferOptions } from './context.js';
export { GoProError, NoVariationsError } from './errors.js';
export type {
  AssetChoice,
  AssetHead,
  DownloadToFileOptions,
  DownloadToFileParams,
  MediaRef,
  MediaResource,
} from './media.js';
export {
  type CdnAsset,
  DEFAULT_FIELDS,
  DEFAULT_MEDIA_TYPES,
  DEFAULT_PROCESSING_STATES,
  type DownloadAsset,
  type DownloadedFile,
  downloadFileSchema,
  downloadResponseSchema,
  downloadVariationSchema,
  MEDIA_TYPES,
  type MediaDownload,
  type MediaFile,
  type MediaItem,
  type MediaVariation,
  type SearchPage,
  type SidecarFile,
  type Sprite,
  searchItemSchema,
  searchResponseSchema,
  sidecarFileSchema,
  spriteSchema,
} from './models.js';
export {
  DEFAULT_PAGE_SIZE,
  type MediaFilter,
  type MediaListParams,
  type MediaSearchParams,
} from './params.js';
export type { PulledFile, PullParams, PullReport } from './pull.js';

/**
 * `@mediaferry/gopro`: the GoPro cloud media library (gopro_api parity, and beyond).
 *
 * @packageDocumentation
 */
export {
  getFileName,
  isVideoFilename,
  NoVariationsError,
  type PullItem,
  pullAssetsForResponse,
  selectVideoVariation,
  type VariationTarget,
} from './assets.js';
export {
  GOPRO_API_URL,
  GoProClient,
  type GoProClientOptions,
  type PulledFile,
  type PullOptions,
} from './client.js';
export * from './models.js';
export { type CapturedRange, type GoProMediaSearchParams, searchQuery } from './params.js';

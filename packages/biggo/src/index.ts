/**
 * `@mediaferry/biggo`: the BigGo video platform API (biggo_api parity, and beyond).
 *
 * @packageDocumentation
 */
export {
  authClientCredentials,
  BIGGO_HOST,
  BigGoClient,
  type BigGoClientOptions,
  UserClient,
  VIDEO_PER_PAGE,
  VideoClient,
} from './client.js';
export { openVideoDownload, type VideoDownloadOptions } from './download.js';
export { BigGoAPIError, BigGoErrorCode } from './errors.js';
export * from './models.js';

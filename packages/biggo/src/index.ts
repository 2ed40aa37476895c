/**
 * `@mediaferry/biggo`: the BigGo video platform API — `new BigGoClient()`, `biggo.videos.*`,
 * `biggo.account.permission()`. biggo_api's own surface (`APIClient`, `VideoClient.upload(path)`…) is the
 * compatibility entry point `@mediaferry/biggo/biggo-api`.
 *
 * @packageDocumentation
 */
export { Account } from './account.js';
export { BIGGO_BASE_URL, BigGoClient, type BigGoClientOptions } from './client.js';
export type { BigGoRequestOptions, BigGoTransferOptions } from './context.js';
export type { DownloadedFile, DownloadToFileParams, VideoHead, VideoRef } from './downloads.js';
export {
  BigGoAuthErrorCode,
  BigGoError,
  BigGoErrorCode,
  type BigGoErrorDetail,
  type BigGoErrorResponse,
} from './errors.js';
export * from './models.js';
export { BIGGO_PAGE_SIZE, type VideoCursor } from './paging.js';
export type { VideoPublishParams, VideoSource, VideoUploadParams } from './uploads.js';
export { isProcessed, type VideoListParams, Videos, type WaitParams } from './videos.js';

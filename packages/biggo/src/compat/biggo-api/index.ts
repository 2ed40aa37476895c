/**
 * `@mediaferry/biggo/biggo-api`: biggo_api's async surface (`biggo_api.async_clients`, its models, enums,
 * responses and `BigGoAPIError`) with camelCased names, on the new `BigGoClient`. For new code prefer
 * `@mediaferry/biggo`.
 *
 * ```ts
 * const api = new APIClient(process.env.MEDIAFERRY_BIGGO_URL);
 * await api.authorize(new ClientCredentials(id, secret));
 * const { videoId } = await api.video!.upload('./clip.mp4');
 * ```
 *
 * @packageDocumentation
 */
export { APIClient, type APIClientOptions, type APIClientParams } from './api-client.js';
export {
  authClientCredentials,
  ClientCredentials,
  type ClientCredentialsLike,
  OAuth2Session,
  type OAuth2TokenDict,
} from './auth.js';
export { BaseInstanceClient, type RequestKwargs, UserClient, VideoClient } from './clients.js';
export { BigGoAPIError, ClientResponseError, FileNotFoundError } from './errors.js';
export {
  Access,
  type BaseResponse,
  type BigGoVideo,
  type BigGoVideoMeta,
  type BigGoVideoMetaDownload,
  type BigGoVideoProcessStatus,
  type BigGoVideoProduct,
  type BigGoVideoProductBase,
  type ErrorDetail as Error,
  type ErrorResponse,
  ProcessStatus,
  type UserVideo,
  type UserVideoResponse,
  type VideoDeleteResponse,
  type VideoPermissionResponse,
  type VideoResponse,
  type VideoUpdateResponse,
  type VideoUploadResponse,
  type VideoUserInfo,
} from './models.js';
export { VideoParams, type VideoParamsInit } from './params.js';

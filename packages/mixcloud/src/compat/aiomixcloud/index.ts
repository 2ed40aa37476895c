/**
 * `@mediaferry/mixcloud/aiomixcloud`: the surface of Python's aiomixcloud (1.0.6) — `Mixcloud`,
 * `MixcloudOAuth`, the models, decorators, datetime helpers, decoder, exceptions and constants — camelCased
 * and async, built on the new API's transport. Its behaviour is the seed's: `raiseExceptions` defaults to
 * false (errors come back as dicts), `accessToken` returns undefined where the seed returns None, strings
 * without a zone are local time. docs/compat.md maps every item.
 *
 * @packageDocumentation
 */
export { AccessDict, AccessList } from './access.js';
export type { Result } from './answers.js';
export { MixcloudOAuth, type MixcloudOAuthOptions } from './auth.js';
export {
  API_ROOT,
  DESCRIPTION_MAX_SIZE,
  MIXCLOUD_ROOT,
  MP3_MAX_SIZE,
  OAUTH_ROOT,
  OEMBED_ROOT,
  PICTURE_MAX_SIZE,
  TAG_MAX_COUNT,
} from './constants.js';
export { Mixcloud, type MixcloudOptions } from './core.js';
export { type DatetimeLike, formatDatetime, toDatetime, toTimestamp } from './datetime.js';
export {
  type Display,
  type DisplayParams,
  displayed,
  isTargeting,
  type Pagination,
  type PaginationParams,
  paginated,
  personal,
  targeting,
  type UploadFields,
  type UploadParams,
  uploading,
} from './decorators.js';
export { MixcloudError, type MixcloudErrorData, MixcloudOAuthError } from './exceptions.js';
export { type JsonDecoder, MixcloudJSONDecoder } from './json.js';
export type {
  GetOptions,
  MixcloudLike,
  ResourceClass,
  ResourceListClass,
  ResourceOptions,
} from './model-types.js';
export { Resource, ResourceList } from './resources.js';

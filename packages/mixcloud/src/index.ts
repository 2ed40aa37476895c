/**
 * `@mediaferry/mixcloud`: the Mixcloud API (aiomixcloud parity, and beyond).
 *
 * @packageDocumentation
 */
export {
  type ActionResult,
  API_ROOT,
  DESCRIPTION_MAX_SIZE,
  type Display,
  MIXCLOUD_ROOT,
  Mixcloud,
  type MixcloudOptions,
  MP3_MAX_SIZE,
  OEMBED_ROOT,
  PICTURE_MAX_SIZE,
  type Section,
  TAG_MAX_COUNT,
  type UploadFields,
} from './client.js';
export { type DateInput, formatDatetime, reviveDates, toDate, toTimestamp } from './datetime.js';
export { MixcloudError, MixcloudOAuthError } from './errors.js';
export {
  type CloudcastData,
  type CloudcastResource,
  type CommentData,
  type CommentResource,
  isCloudcast,
  isComment,
  isTag,
  isUser,
  type TagData,
  type TagResource,
  type UserData,
  type UserResource,
} from './kinds.js';
export { type Json, normalizeKey, Resource, ResourceList } from './models.js';
export { MixcloudOAuth, type MixcloudOAuthOptions, OAUTH_ROOT } from './oauth.js';
export { type Pagination, paginationQuery } from './pagination.js';

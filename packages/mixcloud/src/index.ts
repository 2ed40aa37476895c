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
export { type Json, normalizeKey, Resource, ResourceList } from './models.js';
export { MixcloudOAuth, type MixcloudOAuthOptions, OAUTH_ROOT } from './oauth.js';
export { type Pagination, paginationQuery } from './pagination.js';

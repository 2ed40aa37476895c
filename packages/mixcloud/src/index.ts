/**
 * `@mediaferry/mixcloud`: the Mixcloud API — users, shows, tags, lists, search, actions, uploads, embeds,
 * oEmbed and OAuth. The aiomixcloud surface lives at `@mediaferry/mixcloud/aiomixcloud`.
 *
 * @packageDocumentation
 */
export { MixcloudClient, type MixcloudClientOptions, type SearchParams } from './client.js';
export { type DateInput, formatDatetime, toDate, toTimestamp } from './datetime.js';
export { MixcloudError, MixcloudOAuthError } from './errors.js';
export { API_ROOT, MIXCLOUD_ROOT, type MixcloudRoots, OAUTH_ROOT, OEMBED_ROOT } from './http.js';
export type { CloudcastRef } from './keys.js';
export type { ListPage, ListParams, PageCursor } from './listing.js';
export {
  type ActionResult,
  type Cloudcast,
  type Comment,
  type EmbedJson,
  isCloudcast,
  isComment,
  isTag,
  isUser,
  type Metadata,
  type MixcloudObject,
  type OAuthToken,
  type OEmbed,
  type OtherObject,
  type Pictures,
  type ShowSection,
  type Tag,
  type User,
} from './models.js';
export type { ActionName } from './resources/actions.js';
export { Cloudcasts } from './resources/cloudcasts.js';
export { type Display, Embeds, type OEmbedParams } from './resources/embeds.js';
export { OAuth } from './resources/oauth.js';
export { type Found, Objects } from './resources/objects.js';
export { Discover, Tags } from './resources/tags.js';
export type { EditParams, UploadParams } from './resources/upload.js';
export { Users } from './resources/users.js';
export {
  DESCRIPTION_MAX_SIZE,
  type FileInput,
  HOST_MAX_COUNT,
  MP3_MAX_SIZE,
  PICTURE_MAX_SIZE,
  type Section,
  type ShowFields,
  TAG_MAX_COUNT,
} from './show-fields.js';

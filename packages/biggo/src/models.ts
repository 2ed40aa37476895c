/** BigGo models (spec B5), as strict on required keys as biggo_api's pydantic models; enums open. */
import { openNumericEnum } from '@mediaferry/core';
import { z } from 'zod';

/** Video visibility. */
export const Access = { PUBLIC: 0, PRIVATE: 1, UNLISTED: 2 } as const;
export type AccessValue = (typeof Access)[keyof typeof Access];
/** Processing: 0 (Python) and 1 (JS) both mean queued; 13 is complete. */
export const ProcessStatus = { IN_QUEUE: 0, IN_QUEUE_JS: 1, COMPLETE: 13 } as const;

/** The product fields every list item has (`BigGoVideoProductBase`). */
export const productBaseSchema = z.looseObject({
  image: z.string(),
  price: z.number(),
  symbol: z.string(),
  title: z.string(),
});
export type BigGoVideoProductBase = z.infer<typeof productBaseSchema>;
const productBase = productBaseSchema;

/** A full product (`BigGoVideoProduct`). */
export const productSchema = productBaseSchema.extend({
  currency: z.string(),
  discount: z.array(z.string()),
  gallery_count: z.number().int(),
  gallery_images: z.array(z.string()),
  hasShop: z.boolean(),
  hasStorePage: z.boolean(),
  history_id: z.string(),
  id: z.string(),
  index: z.string(),
  isAD: z.boolean(),
  is_adult: z.boolean(),
  isMultipleProduct: z.boolean(),
  isNotFound: z.boolean(),
  isOffline: z.boolean(),
  more: z.boolean(),
  online_notify: z.boolean(),
  origimage: z.string(),
  original_price: z.number(),
  original_symbol: z.string(),
  price_diff_real: z.number(),
  provide: z.string(),
  purl: z.string(),
  subscribe: z.boolean(),
  type: z.string(),
  url: z.string(),
  location: z.string().optional(),
  m_max_price: z.string().optional(),
  m_text: z.string().optional(),
  'seller-credit': z.number().int().optional(),
  uid: z.string().optional(),
  username: z.string().optional(),
});
export type BigGoVideoProduct = z.infer<typeof productSchema>;

/** `meta.download`: `[]` until processed, then `{mp4}`. */
export const metaDownloadSchema = z.union([z.array(z.never()).max(0), z.looseObject({ mp4: z.string() })]);
export type BigGoVideoMetaDownload = z.infer<typeof metaDownloadSchema>;

export const metaSchema = z.looseObject({
  cover_image: z.string(),
  iso8601_length: z.string(),
  length: z.number(),
  thumbnails: z.array(z.string()),
  download: metaDownloadSchema,
  aspect_ratio: z.string().nullish(),
});
export type BigGoVideoMeta = z.infer<typeof metaSchema>;

export const processStatusSchema = z.looseObject({
  process_status: openNumericEnum([0, 1, 13]),
  process_status_kw: z.array(z.string()),
  processing: z.boolean(),
});
export type BigGoVideoProcessStatus = z.infer<typeof processStatusSchema>;

export const videoSchema = z.looseObject({
  video_id: z.string(),
  access: openNumericEnum([0, 1, 2]),
  limit: openNumericEnum([0, 1, 2]),
  at_userid: z.string(),
  userid: z.string(),
  name: z.string(),
  profileimg: z.string(),
  created_at: z.string(),
  timestamp: z.number().int(),
  str_datetime: z.string().nullish(),
  url: z.string(),
  title: z.string().optional(),
  description: z.string().nullish(),
  hasProduct: z.boolean(),
  product_count: z.number().int(),
  is_edited: z.boolean(),
  is_like: z.boolean(),
  is_myvideo: z.boolean(),
  is_follow: z.boolean(),
  isVerifyEComm: z.boolean(),
  isVerifyUser: z.boolean(),
  status: processStatusSchema,
  video_comment_count: z.number().int(),
  video_like_count: z.number().int(),
  view_count: z.number().int(),
  is_private: z.boolean().optional(),
  like_list: z.array(z.string()).optional(),
  meta: metaSchema.optional(),
  product_list: z.array(productBase).optional(),
});
export type BigGoVideo = z.infer<typeof videoSchema>;

export const userInfoSchema = z.looseObject({
  all_like_count: z.number().int(),
  at_userid: z.string(),
  description: z.string(),
  follow_count: z.number().int(),
  follower_count: z.number().int(),
  isVerifyEComm: z.boolean(),
  isVerifyUser: z.boolean(),
  is_follow: z.boolean(),
  is_myvideo: z.boolean(),
  name: z.string(),
  personal_url: z.union([z.string(), z.array(z.string())]),
  profileimg: z.string(),
  userid: z.string(),
});
export type VideoUserInfo = z.infer<typeof userInfoSchema>;

export const videoResponseSchema = z.looseObject({
  result: z.boolean(),
  user: userInfoSchema,
  video: z.array(videoSchema),
  size: z.number().int(),
});
export type VideoResponse = z.infer<typeof videoResponseSchema>;
export const uploadResponseSchema = z.looseObject({ result: z.boolean(), video_id: z.string() });
export const resultSchema = z.looseObject({ result: z.boolean() });
export const permissionSchema = z.looseObject({
  result: z.boolean(),
  at_userid: z.string(),
  region: z.string(),
  userid: z.string(),
});
export type VideoPermission = z.infer<typeof permissionSchema>;
export const userVideoResponseSchema = z.looseObject({
  result: z.boolean(),
  user_video: z.looseObject({ data: z.array(videoSchema), size: z.number().int() }),
});
export type UserVideoResponse = z.infer<typeof userVideoResponseSchema>;

/** What `update`/`partialUpdate` send (biggo_api's `VideoParams`). */
export interface VideoParams {
  readonly videoId: string;
  readonly access?: AccessValue | 'public' | 'private' | 'unlisted' | undefined;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  /** Products shown with the video, at most 10. */
  readonly productList?: ReadonlyArray<{ nindex: string; oid: string }> | undefined;
  /** Milliseconds into the video for the thumbnail. */
  readonly thumbnailTime?: number | undefined;
}

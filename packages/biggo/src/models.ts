/**
 * BigGo models (spec B5), as strict on required keys as biggo_api's pydantic models, tolerant elsewhere:
 * objects are loose (new keys pass) and enums are open (a value we do not know is kept, not rejected).
 *
 * @module
 */
import { epochSeconds, openNumericEnum } from '@mediaferry/core';
import { z } from 'zod';

/** Video visibility (`Access`): the wire carries the numbers. */
export const Access = { PUBLIC: 0, PRIVATE: 1, UNLISTED: 2 } as const;
/** A known {@link Access} value. */
export type AccessValue = (typeof Access)[keyof typeof Access];
/** Visibility by name, as the JS client sends it. */
export type AccessName = 'public' | 'private' | 'unlisted';
/** What methods accept for `access`: the number or the name (either case); numbers go on the wire. */
export type AccessInput = AccessValue | AccessName | Uppercase<AccessName>;

/**
 * Processing state (`ProcessStatus`). biggo_api says 0 is queued (`INQUEUE`), the JS client says 1 (spec B5):
 * both read as queued; 13 is complete. Other numbers are kept as they come.
 */
export const ProcessStatus = { INQUEUE: 0, INQUEUE_JS: 1, COMPLETE: 13 } as const;

/** The product fields every `product_list` item has (`BigGoVideoProductBase`). */
export const productBaseSchema = z.looseObject({
  image: z.string(),
  price: z.number(),
  symbol: z.string(),
  title: z.string(),
});
/** @see {@link productBaseSchema} */
export type BigGoVideoProductBase = z.infer<typeof productBaseSchema>;

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
/** @see {@link productSchema} */
export type BigGoVideoProduct = z.infer<typeof productSchema>;

/**
 * A product as listed with a video: the {@link BigGoVideoProductBase} fields always, the other
 * {@link BigGoVideoProduct} fields when the server sends the full product.
 */
export const productListItemSchema = productSchema.partial().extend(productBaseSchema.shape);
/** @see {@link productListItemSchema} */
export type BigGoVideoProductItem = z.infer<typeof productListItemSchema>;

/** The processed file of a video (`BigGoVideoMetaDownload`). */
export const metaDownloadSchema = z.looseObject({ mp4: z.string() });
/** @see {@link metaDownloadSchema} */
export type BigGoVideoMetaDownload = z.infer<typeof metaDownloadSchema>;

/** `meta.download` on the wire is `[]` until the video is processed: read as `null`, else `{mp4: url}`. */
const downloadSchema = z.union([
  z
    .array(z.never())
    .max(0)
    .transform(() => null),
  metaDownloadSchema,
]);

/** Media details of a video (`BigGoVideoMeta`); `length` in seconds. */
export const metaSchema = z.looseObject({
  cover_image: z.string(),
  iso8601_length: z.string(),
  length: z.number(),
  thumbnails: z.array(z.string()),
  /** The processed file, `null` while the video is processing. */
  download: downloadSchema,
  aspect_ratio: z.string().nullish(),
});
/** @see {@link metaSchema} */
export type BigGoVideoMeta = z.infer<typeof metaSchema>;

/** Processing status of a video (`BigGoVideoProcessStatus`). */
export const processStatusSchema = z.looseObject({
  process_status: openNumericEnum([0, 1, 13]),
  process_status_kw: z.array(z.string()),
  processing: z.boolean(),
});
/** @see {@link processStatusSchema} */
export type BigGoVideoProcessStatus = z.infer<typeof processStatusSchema>;

/**
 * A video (`BigGoVideo`). `timestamp` (epoch seconds on the wire) becomes a `Date`; `created_at` stays the
 * server's zone-less text (e.g. `2023-03-01T00:00:00.0000`), whose zone BigGo does not state.
 */
export const videoSchema = z.looseObject({
  video_id: z.string(),
  access: openNumericEnum([0, 1, 2]),
  /** Legacy mirror of `access`. */
  limit: openNumericEnum([0, 1, 2]),
  at_userid: z.string(),
  userid: z.string(),
  name: z.string(),
  profileimg: z.string(),
  created_at: z.string(),
  timestamp: epochSeconds,
  str_datetime: z.string().nullish(),
  url: z.string(),
  /** Not in biggo_api's model, but sent by the server. */
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
  /** Products: every item has the {@link BigGoVideoProductBase} fields, full ones the rest too. */
  product_list: z.array(productListItemSchema).optional(),
});
/** @see {@link videoSchema} */
export type BigGoVideo = z.infer<typeof videoSchema>;

/** The owner of a video, as shown with it (`VideoUserInfo`). */
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
/** @see {@link userInfoSchema} */
export type VideoUserInfo = z.infer<typeof userInfoSchema>;

/** `BaseResponse`: every success says `result: true`. */
export const baseResponseSchema = z.looseObject({ result: z.boolean() });
/** @see {@link baseResponseSchema} */
export type BaseResponse = z.infer<typeof baseResponseSchema>;

/** Answer of `video.get` (`VideoResponse`): `video` holds the one video, or none. */
export const videoResponseSchema = baseResponseSchema.extend({
  user: userInfoSchema,
  video: z.array(videoSchema),
  size: z.number().int(),
});
/** @see {@link videoResponseSchema} */
export type VideoResponse = z.infer<typeof videoResponseSchema>;

/** Answer of an upload (`VideoUploadResponse`). */
export const uploadResponseSchema = baseResponseSchema.extend({ video_id: z.string().min(1) });
/** @see {@link uploadResponseSchema} */
export type VideoUploadResponse = z.infer<typeof uploadResponseSchema>;

/** Answer of `update`/`partialUpdate` (`VideoUpdateResponse`). */
export const updateResponseSchema = baseResponseSchema;
/** @see {@link updateResponseSchema} */
export type VideoUpdateResponse = z.infer<typeof updateResponseSchema>;

/** Answer of `delete` (`VideoDeleteResponse`). */
export const deleteResponseSchema = baseResponseSchema;
/** @see {@link deleteResponseSchema} */
export type VideoDeleteResponse = z.infer<typeof deleteResponseSchema>;

/** Answer of `hasPermission` (`VideoPermissionResponse`): who the client acts for, and where. */
export const permissionResponseSchema = baseResponseSchema.extend({
  at_userid: z.string(),
  region: z.string(),
  userid: z.string(),
});
/** @see {@link permissionResponseSchema} */
export type VideoPermissionResponse = z.infer<typeof permissionResponseSchema>;

/** One page of a user's videos (`UserVideo`); `size` is the user's total, not the page length. */
export const userVideoSchema = z.looseObject({ data: z.array(videoSchema), size: z.number().int() });
/** @see {@link userVideoSchema} */
export type UserVideo = z.infer<typeof userVideoSchema>;

/** Answer of the user listings (`UserVideoResponse`). */
export const userVideoResponseSchema = baseResponseSchema.extend({ user_video: userVideoSchema });
/** @see {@link userVideoResponseSchema} */
export type UserVideoResponse = z.infer<typeof userVideoResponseSchema>;

/** A product to attach to a video, as the server takes it (`{nindex, oid}`). */
export interface BigGoProductRef {
  /** The shop's index, e.g. `tw_pmall_rakuten`. */
  readonly nindex: string;
  /** The product's id in that shop. */
  readonly oid: string;
}

/** Most products a video may carry (biggo_api's `conlist(max_items=10)`; server code 1009). */
export const MAX_PRODUCTS = 10;

/** What `videos.update`/`videos.partialUpdate` send (biggo_api's `VideoParams`). */
export interface VideoUpdateParams {
  readonly videoId: string;
  readonly access?: AccessInput | undefined;
  readonly title?: string | undefined;
  readonly description?: string | undefined;
  /** Products shown with the video, at most {@link MAX_PRODUCTS}. */
  readonly productList?: readonly BigGoProductRef[] | undefined;
  /** Where the thumbnail is taken, in milliseconds into the video (wire key `thumbnail_time`). */
  readonly thumbnailTime?: number | undefined;
}

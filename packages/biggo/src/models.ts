/** BigGo models (spec B5), as strict on required keys as biggo_api's pydantic models; enums open. */
import { openNumericEnum } from '@mediaferry/core';
import { z } from 'zod';

/** Video visibility. */
export const Access = { PUBLIC: 0, PRIVATE: 1, UNLISTED: 2 } as const;
export type AccessValue = (typeof Access)[keyof typeof Access];
/** Processing: 0 (Python) and 1 (JS) both mean queued; 13 is complete. */
export const ProcessStatus = { IN_QUEUE: 0, IN_QUEUE_JS: 1, COMPLETE: 13 } as const;

const productBase = z.looseObject({
  image: z.string(),
  price: z.number(),
  symbol: z.string(),
  title: z.string(),
});

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
  status: z.looseObject({
    process_status: openNumericEnum([0, 1, 13]),
    process_status_kw: z.array(z.string()),
    processing: z.boolean(),
  }),
  video_comment_count: z.number().int(),
  video_like_count: z.number().int(),
  view_count: z.number().int(),
  is_private: z.boolean().optional(),
  like_list: z.array(z.string()).optional(),
  meta: z
    .looseObject({
      cover_image: z.string(),
      iso8601_length: z.string(),
      length: z.number(),
      thumbnails: z.array(z.string()),
      download: z.union([z.array(z.never()).max(0), z.looseObject({ mp4: z.string() })]),
      aspect_ratio: z.string().nullish(),
    })
    .optional(),
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

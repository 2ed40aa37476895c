/**
 * biggo_api's data models, enums and responses, with the attribute names of its pydantic models camelCased
 * (`video_id` → `videoId`, `profile_image` → `profileImage`, `type_` → `type`), built from the new API's
 * validated answers.
 *
 * @module
 */
import type * as wire from '../../models.js';
import { type AccessValue, productSchema } from '../../models.js';

/** Video visibility (`biggo_api.enum.Access`). */
export const Access = { PUBLIC: 0, PRIVATE: 1, UNLISTED: 2 } as const;

/** Processing state (`biggo_api.enum.ProcessStatus`): 0 queued, 13 complete; other numbers are kept. */
export const ProcessStatus = { INQUEUE: 0, COMPLETE: 13 } as const;

/** `BigGoVideoProductBase`. */
export interface BigGoVideoProductBase {
  readonly image: string;
  readonly price: number;
  readonly symbol: string;
  readonly title: string;
}

/** `BigGoVideoProduct`: the base fields and the full product's. */
export interface BigGoVideoProduct extends BigGoVideoProductBase {
  readonly currency: string;
  readonly discount: readonly string[];
  readonly galleryCount: number;
  readonly galleryImages: readonly string[];
  readonly hasShop: boolean;
  readonly hasStorePage: boolean;
  readonly historyId: string;
  readonly id: string;
  readonly index: string;
  readonly isAd: boolean;
  readonly isAdult: boolean;
  readonly isMultipleProduct: boolean;
  readonly isNotFound: boolean;
  readonly isOffline: boolean;
  readonly location: string | undefined;
  readonly mMaxPrice: string | undefined;
  readonly mText: string | undefined;
  readonly more: boolean;
  readonly onlineNotify: boolean;
  readonly originalImage: string;
  readonly originalPrice: number;
  readonly originalSymbol: string;
  readonly priceDiffReal: number;
  readonly provide: string;
  readonly purl: string;
  readonly sellerCredit: number | undefined;
  readonly subscribe: boolean;
  /** `type_` in Python (a reserved word there). */
  readonly type: string;
  readonly uid: string | undefined;
  readonly url: string;
  readonly username: string | undefined;
}

/** `BigGoVideoMetaDownload`. */
export interface BigGoVideoMetaDownload {
  readonly mp4: string;
}

/** `BigGoVideoMeta`: `download` is `[]` until the video is processed. */
export interface BigGoVideoMeta {
  readonly aspectRatio: string | null | undefined;
  readonly coverImage: string;
  readonly download: BigGoVideoMetaDownload | readonly [];
  readonly iso8601Length: string;
  readonly length: number;
  readonly thumbnails: readonly string[];
}

/** `BigGoVideoProcessStatus`. */
export interface BigGoVideoProcessStatus {
  /** A {@link ProcessStatus} value (or another number the server sent). */
  readonly processStatus: number;
  readonly processStatusKw: readonly string[];
  readonly processing: boolean;
}

/** `BigGoVideo`. `title` is not in biggo_api's model; the server sends it and it is kept. */
export interface BigGoVideo {
  readonly access: AccessValue | (number & {});
  readonly atUserid: string;
  readonly createdAt: string;
  readonly description: string | null | undefined;
  readonly hasProduct: boolean;
  readonly isEdited: boolean;
  readonly isFollow: boolean;
  readonly isLike: boolean;
  readonly isMyvideo: boolean;
  readonly isPrivate: boolean | undefined;
  readonly isVerifyEcomm: boolean;
  readonly isVerifyUser: boolean;
  readonly likeList: readonly string[] | undefined;
  readonly limit: AccessValue | (number & {});
  readonly meta: BigGoVideoMeta | undefined;
  readonly name: string;
  readonly productCount: number;
  readonly productList: readonly (BigGoVideoProduct | BigGoVideoProductBase)[] | undefined;
  readonly profileImage: string;
  readonly status: BigGoVideoProcessStatus;
  readonly strDatetime: string | null | undefined;
  /** Epoch seconds. */
  readonly timestamp: number;
  readonly title: string | undefined;
  readonly url: string;
  readonly userid: string;
  readonly videoCommentCount: number;
  readonly videoId: string;
  readonly videoLikeCount: number;
  readonly viewCount: number;
}

/** `VideoUserInfo`. */
export interface VideoUserInfo {
  readonly allLikeCount: number;
  readonly atUserid: string;
  readonly description: string;
  readonly followCount: number;
  readonly followerCount: number;
  readonly isFollow: boolean;
  readonly isMyvideo: boolean;
  readonly isVerifyEcomm: boolean;
  readonly isVerifyUser: boolean;
  readonly name: string;
  readonly personalUrl: string | readonly string[];
  readonly profileimg: string;
  readonly userid: string;
}

/** `BaseResponse`. */
export interface BaseResponse {
  readonly result: boolean;
}
/** `Error` (exported under that name): the detailed code and reason of a failure. */
export interface ErrorDetail {
  readonly code: number;
  readonly message: string;
}
/** `ErrorResponse`. */
export interface ErrorResponse extends BaseResponse {
  readonly error: ErrorDetail;
}
/** `UserVideo`: one page; `size` is the user's total. */
export interface UserVideo {
  readonly data: readonly BigGoVideo[];
  readonly size: number;
}
/** `UserVideoResponse`. */
export interface UserVideoResponse extends BaseResponse {
  readonly userVideo: UserVideo;
}
/** `VideoDeleteResponse`. */
export type VideoDeleteResponse = BaseResponse;
/** `VideoUpdateResponse` (its `data` attribute is no field: pydantic never filled it). */
export type VideoUpdateResponse = BaseResponse;
/** `VideoPermissionResponse`. */
export interface VideoPermissionResponse extends BaseResponse {
  readonly atUserid: string;
  readonly region: string;
  readonly userid: string;
}
/** `VideoResponse`: `video` holds the video asked for. */
export interface VideoResponse extends BaseResponse {
  readonly size: number;
  readonly user: VideoUserInfo;
  readonly video: readonly BigGoVideo[];
}
/** `VideoUploadResponse`. */
export interface VideoUploadResponse extends BaseResponse {
  readonly videoId: string;
}

function product(item: wire.BigGoVideoProductItem): BigGoVideoProduct | BigGoVideoProductBase {
  const base = { image: item.image, price: item.price, symbol: item.symbol, title: item.title };
  // A full product has every required field; anything less is its base (the tests' rule, spec B5).
  const full = productSchema.safeParse(item);
  if (!full.success) return base;
  const p = full.data;
  return {
    ...base,
    currency: p.currency,
    discount: p.discount,
    galleryCount: p.gallery_count,
    galleryImages: p.gallery_images,
    hasShop: p.hasShop,
    hasStorePage: p.hasStorePage,
    historyId: p.history_id,
    id: p.id,
    index: p.index,
    isAd: p.isAD,
    isAdult: p.is_adult,
    isMultipleProduct: p.isMultipleProduct,
    isNotFound: p.isNotFound,
    isOffline: p.isOffline,
    location: p.location,
    mMaxPrice: p.m_max_price,
    mText: p.m_text,
    more: p.more,
    onlineNotify: p.online_notify,
    originalImage: p.origimage,
    originalPrice: p.original_price,
    originalSymbol: p.original_symbol,
    priceDiffReal: p.price_diff_real,
    provide: p.provide,
    purl: p.purl,
    sellerCredit: p['seller-credit'],
    subscribe: p.subscribe,
    type: p.type,
    uid: p.uid,
    url: p.url,
    username: p.username,
  };
}

function meta(m: wire.BigGoVideoMeta): BigGoVideoMeta {
  return {
    aspectRatio: m.aspect_ratio,
    coverImage: m.cover_image,
    download: m.download ?? [],
    iso8601Length: m.iso8601_length,
    length: m.length,
    thumbnails: m.thumbnails,
  };
}

/** A video as biggo_api models it. */
export function toVideo(v: wire.BigGoVideo): BigGoVideo {
  return {
    access: v.access,
    atUserid: v.at_userid,
    createdAt: v.created_at,
    description: v.description,
    hasProduct: v.hasProduct,
    isEdited: v.is_edited,
    isFollow: v.is_follow,
    isLike: v.is_like,
    isMyvideo: v.is_myvideo,
    isPrivate: v.is_private,
    isVerifyEcomm: v.isVerifyEComm,
    isVerifyUser: v.isVerifyUser,
    likeList: v.like_list,
    limit: v.limit,
    meta: v.meta ? meta(v.meta) : undefined,
    name: v.name,
    productCount: v.product_count,
    productList: v.product_list?.map(product),
    profileImage: v.profileimg,
    status: {
      processStatus: v.status.process_status,
      processStatusKw: v.status.process_status_kw,
      processing: v.status.processing,
    },
    strDatetime: v.str_datetime,
    timestamp: Math.floor(v.timestamp.getTime() / 1000),
    title: v.title,
    url: v.url,
    userid: v.userid,
    videoCommentCount: v.video_comment_count,
    videoId: v.video_id,
    videoLikeCount: v.video_like_count,
    viewCount: v.view_count,
  };
}

function toUserInfo(u: wire.VideoUserInfo): VideoUserInfo {
  return {
    allLikeCount: u.all_like_count,
    atUserid: u.at_userid,
    description: u.description,
    followCount: u.follow_count,
    followerCount: u.follower_count,
    isFollow: u.is_follow,
    isMyvideo: u.is_myvideo,
    isVerifyEcomm: u.isVerifyEComm,
    isVerifyUser: u.isVerifyUser,
    name: u.name,
    personalUrl: u.personal_url,
    profileimg: u.profileimg,
    userid: u.userid,
  };
}

export function toVideoResponse(r: wire.VideoResponse): VideoResponse {
  return { result: r.result, size: r.size, user: toUserInfo(r.user), video: r.video.map(toVideo) };
}

export function toUserVideoResponse(r: wire.UserVideoResponse): UserVideoResponse {
  return {
    result: r.result,
    userVideo: { data: r.user_video.data.map(toVideo), size: r.user_video.size },
  };
}

export function toPermissionResponse(r: wire.VideoPermissionResponse): VideoPermissionResponse {
  return { result: r.result, atUserid: r.at_userid, region: r.region, userid: r.userid };
}

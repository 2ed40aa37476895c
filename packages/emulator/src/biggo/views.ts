/**
 * Wire shapes of spec B5: every key biggo_api's pydantic models require, `access`/`limit` as integers kept
 * in sync, `process_status` queued then 13, and `meta.download` `[]` until processing completes.
 */
import type { BgCtx, BgProduct, BgUser, BgVideo } from './model.js';
import { isProcessed } from './model.js';

/** `2023-03-01T00:00:00.0000`: BigGo's own timestamp format (no zone, four fraction digits). */
function bigGoTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}.0000`;
}

function productView(origin: string, product: BgProduct, index: number): Record<string, unknown> {
  const price = 100 + (Number.parseInt(product.oid, 10) % 900 || index * 7);
  return {
    image: `${origin}/static/product/${product.oid}.jpg`,
    price,
    symbol: 'NT$',
    title: `Product ${product.oid}`,
    currency: 'TWD',
    discount: [],
    gallery_count: 1,
    gallery_images: [`${origin}/static/product/${product.oid}-1.jpg`],
    hasShop: true,
    hasStorePage: false,
    history_id: `${product.nindex}-${product.oid}`,
    id: `${product.nindex}-${product.oid}`,
    index: product.nindex,
    isAD: false,
    is_adult: false,
    isMultipleProduct: false,
    isNotFound: false,
    isOffline: false,
    more: false,
    online_notify: false,
    origimage: `${origin}/static/product/${product.oid}-orig.jpg`,
    original_price: price,
    original_symbol: 'NT$',
    price_diff_real: 0,
    provide: product.nindex,
    purl: `${origin}/redirect/${product.nindex}/${product.oid}`,
    subscribe: false,
    type: 'product',
    url: `${origin}/product/${product.nindex}/${product.oid}`,
    'seller-credit': 5,
  };
}

/** A `BigGoVideo` as `viewer` sees it. */
export function videoView(
  ctx: BgCtx,
  origin: string,
  video: BgVideo,
  viewer: BgUser,
): Record<string, unknown> {
  const owner = ctx.state.users[video.userid]!;
  const done = isProcessed(ctx, video);
  // Roughly 1 s per 50 kB keeps the demo's lengths plausible without decoding anything.
  const length = Math.max(1, Math.round(video.size / 50_000));
  return {
    video_id: video.video_id,
    access: video.access,
    limit: video.access,
    at_userid: owner.at_userid,
    userid: owner.userid,
    name: owner.name,
    profileimg: `${origin}/static/profile/${owner.userid}.jpg`,
    created_at: bigGoTimestamp(video.uploadedAt),
    timestamp: Math.floor(video.uploadedAt / 1000),
    str_datetime: new Date(video.uploadedAt).toISOString().slice(0, 10),
    url: `${origin}/video/${video.video_id}`,
    title: video.title,
    description: video.description,
    hasProduct: video.product_list.length > 0,
    product_count: video.product_list.length,
    is_edited: video.edited,
    is_like: false,
    is_myvideo: video.userid === viewer.userid,
    is_follow: false,
    isVerifyEComm: false,
    isVerifyUser: true,
    is_private: video.access === 1,
    status: {
      process_status: done ? 13 : ctx.options.queuedStatus,
      process_status_kw: done ? ['complete'] : ['queued'],
      processing: !done,
    },
    video_comment_count: 0,
    video_like_count: 0,
    view_count: video.views,
    like_list: [],
    meta: {
      cover_image: `${origin}/static/cover/${video.video_id}.jpg`,
      iso8601_length: `PT${length}S`,
      length,
      thumbnails: [`${origin}/static/thumb/${video.video_id}-${video.thumbnail_time}.jpg`],
      download: done ? { mp4: `${origin}/media/${video.video_id}.mp4` } : [],
      aspect_ratio: '16:9',
    },
    product_list: video.product_list.map((p, i) => productView(origin, p, i)),
  };
}

/** A `VideoUserInfo` of `user` as `viewer` sees it. */
export function userInfoView(origin: string, user: BgUser, viewer: BgUser): Record<string, unknown> {
  return {
    all_like_count: 0,
    at_userid: user.at_userid,
    description: user.description,
    follow_count: 0,
    follower_count: 0,
    isVerifyEComm: false,
    isVerifyUser: true,
    is_follow: false,
    is_myvideo: user.userid === viewer.userid,
    name: user.name,
    personal_url: `${origin}/user/${user.at_userid}`,
    profileimg: `${origin}/static/profile/${user.userid}.jpg`,
    userid: user.userid,
  };
}

/** Videos of `userid` that `viewer` may see (others' private ones are hidden), newest first. */
export function visibleVideos(ctx: BgCtx, userid: string, viewer: BgUser): BgVideo[] {
  return Object.values(ctx.state.videos)
    .filter((v) => v.userid === userid && (v.access !== 1 || userid === viewer.userid))
    .sort((a, b) => b.uploadedAt - a.uploadedAt || (a.video_id < b.video_id ? 1 : -1));
}

/** `user/{userid|self}/video/` (spec B4): a user's videos, 20 a page, newest first, `size` = the total. */
import type { EmulatorApp } from '../framework/index.js';
import { authenticate } from './auth.js';
import { ApiCode, apiFail, type BgCtx, isProcessed } from './model.js';
import { withAndWithoutSlash } from './videos.js';
import { userInfoView, videoView, visibleVideos } from './views.js';

export function userRoutes(app: EmulatorApp, ctx: BgCtx): void {
  const list = ctx.endpoint<'/api/v1/user/:userid/video'>('user_videos', (c) => {
    const viewer = authenticate(c, ctx);
    const asked = c.req.param('userid');
    const userid = asked === 'self' ? viewer.userid : asked;
    const owner = ctx.state.users[userid];
    if (!owner) apiFail(ApiCode.USER_NOT_EXIST, 'User does not exist');
    const p = c.req.query('p') ?? '1';
    const page = Number(p);
    if (!/^\d+$/.test(p) || page < 1) apiFail(ApiCode.VIDEO_PARAMETER_INVALID, 'p must be a page number ≥ 1');
    const tab = c.req.query('tab') ?? 'user_video';
    if (tab !== 'user_video' && tab !== 'like_video')
      apiFail(ApiCode.VIDEO_PARAMETER_INVALID, 'tab must be user_video or like_video');
    // Nobody likes anything in the emulator: the JS client's like_video tab is always empty.
    const videos = tab === 'like_video' ? [] : visibleVideos(ctx, userid, viewer);
    const per = ctx.options.perPage;
    const origin = ctx.origin(c);
    const data = videos.slice((page - 1) * per, page * per).map((v) => videoView(ctx, origin, v, viewer));
    const mine = userid === viewer.userid;
    return c.json({
      result: true,
      // The JS client's fuller shape (spec B4); Python reads only `user_video`.
      is_owner: mine,
      user: userInfoView(origin, owner, viewer),
      user_video: { data, size: videos.length },
      user_video_count: visibleVideos(ctx, userid, viewer).length,
      like_video_count: 0,
      follower_count: 0,
      follow_count: 0,
      all_like_count: 0,
      subscribe_count: 0,
      show_subscribe_product: false,
      show_subscribe_video: false,
      is_processing: mine && videos.some((v) => !isProcessed(ctx, v)),
    });
  });
  for (const path of withAndWithoutSlash('/api/v1/user/:userid/video')) app.get(path, list);
}

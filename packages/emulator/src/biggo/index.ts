import type { Context } from 'hono';
import {
  defineService,
  type EmulatorApp,
  type EmulatorContext,
  fail,
  readMultipart,
  type ServiceContext,
  serveBlob,
} from '../framework/index.js';

/** Unverified points of the BigGo spec (B8/B9), as options. */
export interface BigGoEmulatorOptions {
  /** Lifetime of access tokens, virtual seconds. */
  readonly tokenTtlSeconds: number;
  /** How long a video stays queued (process_status 0) before it is complete (13), virtual ms. */
  readonly processingMs: number;
  /** Videos per page of the user listings. */
  readonly perPage: number;
  /** A full update (POST) without title, description or access answers 1010 (the real rule is unknown). */
  readonly requireFullUpdate: boolean;
}

interface BgUser {
  userid: string;
  at_userid: string;
  name: string;
  description: string;
  region: string;
}

interface BgVideo {
  video_id: string;
  userid: string;
  title: string;
  description: string | null;
  access: number;
  thumbnail_time: number;
  product_list: Array<{ nindex: string; oid: string }>;
  uploadedAt: number;
  blobId: string;
  sha1: string;
  size: number;
  filename: string;
  fileSizeHeader: number | null;
  views: number;
}

interface BgState {
  clients: Record<string, { secret: string; userid: string }>;
  users: Record<string, BgUser>;
  tokens: Record<string, { userid: string; expires: number }>;
  videos: Record<string, BgVideo>;
}

type Ctx = ServiceContext<BgState, BigGoEmulatorOptions>;

const STATUS: Record<number, number> = {
  1: 405,
  2: 401,
  3: 401,
  4: 401,
  1001: 422,
  1002: 409,
  1003: 403,
  1004: 404,
  1005: 404,
  1006: 400,
  1007: 404,
  1008: 400,
  1009: 400,
  1010: 400,
};
const ACCESS: Record<string, number> = { public: 0, private: 1, unlisted: 2 };

/** Fails with a BigGo error code; the HTTP status follows the spec's suggested mapping (B5). */
function bigGoFail(code: number, message: string): never {
  fail(STATUS[code] ?? 400, String(code), message);
}

function authenticate(c: EmulatorContext, ctx: Ctx): BgUser {
  const token = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (!token) bigGoFail(2, 'Authorization is required');
  const issued = ctx.state.tokens[token];
  if (!issued) bigGoFail(3, 'JWT is invalid');
  if (issued.expires <= ctx.clock.now()) bigGoFail(4, 'JWT is expired');
  const user = ctx.state.users[issued.userid];
  if (!user) bigGoFail(1007, 'User does not exist');
  return user;
}

function accessOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value in ACCESS) return ACCESS[value];
  if (typeof value === 'number' && [0, 1, 2].includes(value)) return value;
  bigGoFail(1006, 'access must be 0, 1, 2 or public/private/unlisted');
}

function videoView(c: Context, ctx: Ctx, video: BgVideo, viewer: BgUser): Record<string, unknown> {
  const user = ctx.state.users[video.userid]!;
  const complete = ctx.clock.now() >= video.uploadedAt + ctx.options.processingMs;
  const origin = new URL(c.req.url).origin;
  const length = Math.max(1, Math.round(video.size / 50_000));
  const created = new Date(video.uploadedAt);
  return {
    video_id: video.video_id,
    access: video.access,
    limit: video.access,
    at_userid: user.at_userid,
    userid: user.userid,
    name: user.name,
    profileimg: `${origin}/static/profile/${user.userid}.jpg`,
    created_at: `${created.toISOString().slice(0, 19)}.0000`,
    timestamp: Math.floor(video.uploadedAt / 1000),
    str_datetime: created.toISOString().slice(0, 10),
    url: `${origin}/video/${video.video_id}`,
    title: video.title,
    description: video.description,
    hasProduct: video.product_list.length > 0,
    product_count: video.product_list.length,
    is_edited: video.title !== '',
    is_like: false,
    is_myvideo: video.userid === viewer.userid,
    is_follow: false,
    isVerifyEComm: false,
    isVerifyUser: true,
    is_private: video.access === 1,
    status: {
      process_status: complete ? 13 : 0,
      process_status_kw: complete ? ['complete'] : ['queued'],
      processing: !complete,
    },
    video_comment_count: 0,
    video_like_count: 0,
    view_count: video.views,
    like_list: [],
    meta: {
      cover_image: `${origin}/static/cover/${video.video_id}.jpg`,
      iso8601_length: `PT${length}S`,
      length,
      thumbnails: [`${origin}/static/thumb/${video.video_id}-0.jpg`],
      download: complete ? { mp4: `${origin}/media/${video.video_id}.mp4` } : [],
      aspect_ratio: '16:9',
    },
    product_list: video.product_list.map((p) => ({
      image: `${origin}/static/product/${p.oid}.jpg`,
      price: 10,
      symbol: '$',
      title: `Product ${p.oid}`,
    })),
  };
}

function userInfo(ctx: Ctx, user: BgUser, viewer: BgUser): Record<string, unknown> {
  const count = Object.values(ctx.state.videos).filter((v) => v.userid === user.userid).length;
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
    personal_url: '',
    profileimg: '',
    userid: user.userid,
    user_video_count: count,
  };
}

function ownVideo(ctx: Ctx, id: string, viewer: BgUser): BgVideo {
  const video = ctx.state.videos[id];
  if (!video) bigGoFail(1004, 'The video does not exist.');
  if (video.userid !== viewer.userid) bigGoFail(1003, 'The video belongs to another user.');
  return video;
}

function routes(app: EmulatorApp, ctx: Ctx): void {
  app.post(
    '/auth/v1/token',
    ctx.endpoint('token', async (c) => {
      const form = new URLSearchParams(await c.req.text());
      const basic = /^Basic\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (form.get('grant_type') === 'refresh_token') bigGoFail(1010, 'Refresh token does not exist');
      if (!basic) fail(400, '1001', 'Missing client credentials');
      const [clientId = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      const client = ctx.state.clients[clientId];
      if (!client) fail(401, '1003', 'App key does not exist');
      if (client.secret !== secret) fail(401, '1005', 'App key does not match');
      if (form.get('grant_type') !== 'client_credentials')
        fail(400, '1002', 'grant_type must be client_credentials');
      const token = `eyJ${Buffer.from(ctx.ids.hex(48), 'hex').toString('base64url')}`;
      ctx.state.tokens[token] = {
        userid: client.userid,
        expires: ctx.clock.now() + ctx.options.tokenTtlSeconds * 1000,
      };
      return c.json({ access_token: token, token_type: 'Bearer', expires_in: ctx.options.tokenTtlSeconds });
    }),
  );

  app.post(
    '/api/v1/video_auth/self',
    ctx.endpoint('has_permission', (c) => {
      const user = authenticate(c, ctx);
      return c.json({
        result: true,
        at_userid: user.at_userid,
        region: c.req.header('region') ?? user.region,
        userid: user.userid,
      });
    }),
  );

  const upload = ctx.endpoint('upload', async (c) => {
    const user = authenticate(c, ctx);
    let stored: { blobId: string; sha1: string; size: number; filename: string } | undefined;
    await readMultipart(c.req.raw, {
      onFile: async (field, stream, info) => {
        const blob = await ctx.blobs.put(stream);
        // Python names the part `video`, the JS client `file`: both are accepted (spec B7).
        if (field === 'video' || field === 'file')
          stored = { blobId: blob.id, sha1: blob.sha1 ?? '', size: blob.size, filename: info.filename };
        else await ctx.blobs.delete(blob.id);
        return field;
      },
    });
    if (!stored) bigGoFail(1010, 'A video part (video or file) is required');
    const duplicate = Object.values(ctx.state.videos).find(
      (v) => v.userid === user.userid && v.sha1 === stored!.sha1,
    );
    if (duplicate) {
      await ctx.blobs.delete(stored.blobId);
      // Both shapes, so every client reads it (spec B4: `error` and `error_type`).
      return c.json(
        { result: false, error: { code: 1002, message: 'The video already exists.' }, error_type: 2 },
        409,
      );
    }
    const header = c.req.header('file-size');
    const thumbnail = Number(c.req.header('x-bgo-thumbnail-ts') ?? 0);
    const video: BgVideo = {
      video_id: ctx.ids.hex(16),
      userid: user.userid,
      title: '',
      description: null,
      access: 1,
      thumbnail_time: Number.isFinite(thumbnail) ? thumbnail : 0,
      product_list: [],
      uploadedAt: ctx.clock.now(),
      blobId: stored.blobId,
      sha1: stored.sha1,
      size: stored.size,
      filename: stored.filename,
      fileSizeHeader: header === undefined ? null : Number(header),
      views: 0,
    };
    ctx.state.videos[video.video_id] = video;
    return c.json({ result: true, video_id: video.video_id });
  });
  app.post('/api/v1/video/', upload);
  app.post('/api/v1/video', upload);

  app.get(
    '/api/v1/video/:id',
    ctx.endpoint<'/api/v1/video/:id'>('get_video', (c) => {
      const viewer = authenticate(c, ctx);
      const video = ctx.state.videos[c.req.param('id')];
      if (!video || (video.access === 1 && video.userid !== viewer.userid))
        bigGoFail(1004, 'The video does not exist.');
      const owner = ctx.state.users[video.userid]!;
      return c.json({
        result: true,
        user: userInfo(ctx, owner, viewer),
        video: [videoView(c, ctx, video, viewer)],
        size: 1,
      });
    }),
  );

  const update = (partial: boolean) =>
    ctx.endpoint<'/api/v1/video/:id'>(partial ? 'partial_update' : 'update', async (c) => {
      const viewer = authenticate(c, ctx);
      const video = ownVideo(ctx, c.req.param('id'), viewer);
      let body: Record<string, unknown>;
      try {
        body = (await c.req.json()) as Record<string, unknown>;
      } catch {
        bigGoFail(1006, 'The body must be JSON');
      }
      if (!partial && ctx.options.requireFullUpdate) {
        const missing = ['title', 'description', 'access'].filter(
          (k) => body[k] === undefined || body[k] === null,
        );
        if (missing.length > 0) bigGoFail(1010, `Missing parameters: ${missing.join(', ')}`);
      }
      const access = accessOf(body.access);
      if (access !== undefined) video.access = access;
      if (typeof body.title === 'string') video.title = body.title;
      if (typeof body.description === 'string') video.description = body.description;
      if (typeof body.thumbnail_time === 'number') video.thumbnail_time = body.thumbnail_time;
      if (Array.isArray(body.product_list)) {
        if (body.product_list.length > 10) bigGoFail(1009, 'A video can carry at most 10 products.');
        video.product_list = body.product_list as BgVideo['product_list'];
      }
      return c.json(partial ? { result: true } : { result: true, data: [] });
    });
  app.post('/api/v1/video/:id', update(false));
  app.patch('/api/v1/video/:id', update(true));

  app.delete(
    '/api/v1/video/:id',
    ctx.endpoint<'/api/v1/video/:id'>('delete', async (c) => {
      const viewer = authenticate(c, ctx);
      const video = ownVideo(ctx, c.req.param('id'), viewer);
      delete ctx.state.videos[video.video_id];
      await ctx.blobs.delete(video.blobId);
      return c.json({ result: true });
    }),
  );

  const list = ctx.endpoint<'/api/v1/user/:userid/video'>('user_videos', (c) => {
    const viewer = authenticate(c, ctx);
    const userid = c.req.param('userid') === 'self' ? viewer.userid : c.req.param('userid');
    const owner = ctx.state.users[userid];
    if (!owner) bigGoFail(1007, 'User does not exist');
    const page = Number(c.req.query('p') ?? 1);
    if (!Number.isInteger(page) || page < 1) bigGoFail(1006, 'p must be a positive integer');
    const visible = Object.values(ctx.state.videos)
      .filter((v) => v.userid === userid && (v.access === 0 || userid === viewer.userid))
      .sort((a, b) => b.uploadedAt - a.uploadedAt || (a.video_id < b.video_id ? 1 : -1));
    const data = visible
      .slice((page - 1) * ctx.options.perPage, page * ctx.options.perPage)
      .map((v) => videoView(c, ctx, v, viewer));
    return c.json({
      result: true,
      is_owner: userid === viewer.userid,
      user: userInfo(ctx, owner, viewer),
      user_video: { data, size: visible.length },
      user_video_count: visible.length,
      is_processing: visible.some((v) => ctx.clock.now() < v.uploadedAt + ctx.options.processingMs),
    });
  });
  for (const path of ['/api/v1/user/:userid/video', '/api/v1/user/:userid/video/']) app.get(path, list);

  app.get(
    '/media/:file',
    ctx.endpoint<'/media/:file'>('media', (c) => {
      const video = ctx.state.videos[c.req.param('file').replace(/\.mp4$/, '')];
      if (!video) bigGoFail(1004, 'The video does not exist.');
      return serveBlob(c, ctx.blobs, video.blobId, { contentType: 'video/mp4' });
    }),
  );
}

/** The demo app's credentials, printed by `mediaferry emulator`. */
export const BIGGO_DEMO_CLIENT = { clientId: 'biggo-demo-client', clientSecret: 'biggo-demo-secret' };

/** BigGo video platform (spec gopro-biggo.md part B): OAuth2 client credentials, videos, user listings. */
export const biggoService = defineService<BgState, BigGoEmulatorOptions>({
  name: 'biggo',
  defaultOptions: { tokenTtlSeconds: 3600, processingMs: 5000, perPage: 20, requireFullUpdate: true },
  createState: () => ({
    clients: { [BIGGO_DEMO_CLIENT.clientId]: { secret: BIGGO_DEMO_CLIENT.clientSecret, userid: 'u1000' } },
    users: {
      u1000: {
        userid: 'u1000',
        at_userid: 'ferrystudio',
        name: 'Ferry Studio',
        description: 'Clips from the ferry',
        region: 'tw',
      },
      u2000: { userid: 'u2000', at_userid: 'harbour', name: 'Harbour TV', description: '', region: 'tw' },
    },
    tokens: {},
    videos: {},
  }),
  seeds: {
    /** Two users; the demo account has 45 videos (three pages of 20), the other a few. */
    async demo(ctx) {
      for (let i = 0; i < 50; i += 1) {
        const blob = await ctx.blobs.putGenerated(20_000 + i * 1000, `biggo-demo-${i}`);
        const id = ctx.ids.hex(16);
        ctx.state.videos[id] = {
          video_id: id,
          userid: i >= 45 ? 'u2000' : 'u1000',
          title: `Harbour clip ${i + 1}`,
          description: 'From the demo seed',
          access: i % 7 === 3 ? 2 : 0,
          thumbnail_time: 0,
          product_list: i % 10 === 0 ? [{ nindex: 'tw_pmall_rakuten', oid: String(1000 + i) }] : [],
          uploadedAt: ctx.clock.now() - (50 - i) * 3_600_000,
          blobId: blob.id,
          sha1: blob.sha1 ?? '',
          size: blob.size,
          filename: `clip${i + 1}.mp4`,
          fileSizeHeader: blob.size,
          views: 10 * i,
        };
      }
    },
  },
  credentials: () => ({ ...BIGGO_DEMO_CLIENT }),
  errorResponse(error, c) {
    const code = Number(error.code);
    return c.json(
      {
        result: false,
        error: { code: Number.isInteger(code) ? code : error.status, message: error.message },
      },
      error.status as 400,
    );
  },
  routes,
});

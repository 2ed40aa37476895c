/** `video_auth/self` and `video/…` (spec B4): permission, upload, get, full and partial update, delete. */
import {
  type EmulatorApp,
  type EmulatorContext,
  readMultipart,
  requestChunks,
  requestHasBody,
  serveBlob,
} from '../framework/index.js';
import { authenticate } from './auth.js';
import {
  ApiCode,
  accessOf,
  apiFail,
  type BgCtx,
  type BgProduct,
  type BgUser,
  type BgVideo,
  isProcessed,
} from './model.js';
import { userInfoView, videoView } from './views.js';

/** BigGo accepts its paths with or without the trailing slash (spec B8). */
export function withAndWithoutSlash(path: string): [string, string] {
  const bare = path.replace(/\/+$/, '');
  return [bare, `${bare}/`];
}

function ownVideo(ctx: BgCtx, id: string, viewer: BgUser): BgVideo {
  const video = ctx.state.videos[id];
  if (!video) apiFail(ApiCode.VIDEO_NOT_EXIST, 'The video does not exist.');
  if (video.userid !== viewer.userid)
    apiFail(ApiCode.VIDEO_DIFFERENT_USER, 'The video belongs to another user.');
  return video;
}

interface StoredPart {
  blobId: string;
  sha1: string;
  size: number;
  filename: string;
  field: string;
}

async function upload(c: EmulatorContext, ctx: BgCtx): Promise<Response> {
  const user = authenticate(c, ctx);
  let stored: StoredPart | undefined;
  const fileSize = c.req.header('file-size');
  const declared = fileSize === undefined ? null : Number(fileSize);
  // The video's declared size (else the body's): a large one is hashed (and written) on a worker thread, off
  // the event loop that parses the form. Only a hint: what is stored, and checked below, is what arrived.
  const sizeHint = declared ?? Number(c.req.header('content-length'));
  try {
    const body = requestHasBody(c) ? requestChunks(c) : null;
    await readMultipart(
      { contentType: c.req.header('content-type'), body },
      {
        onFile: async (field, stream, info) => {
          const video = field === 'video' || field === 'file';
          const blob = await ctx.blobs.put(
            stream,
            video && Number.isSafeInteger(sizeHint) ? { expectedSize: sizeHint } : {},
          );
          // Python names the part `video`, the JS client `file`: both are accepted (spec B7).
          if (video && !stored)
            stored = {
              blobId: blob.id,
              sha1: blob.sha1 ?? '',
              size: blob.size,
              filename: info.filename,
              field,
            };
          else await ctx.blobs.delete(blob.id);
          return field;
        },
      },
    );
  } catch (error) {
    // The video arrived whole, then the rest of the body did not (malformed, or the client went away).
    if (stored) await ctx.blobs.delete(stored.blobId);
    throw error;
  }
  if (!stored) apiFail(ApiCode.MISSING_PARAMETERS, 'A video file part (`video` or `file`) is required');
  const part = stored;
  const fail = async (code: number, message: string, errorType: number | undefined, status: number) => {
    await ctx.blobs.delete(part.blobId);
    const body: Record<string, unknown> = { result: false, error: { code, message } };
    // JS 0.5.2 reads `error_type`; Python only `error`: both, so every client understands (spec B4).
    if (ctx.options.uploadErrorType && errorType !== undefined) body.error_type = errorType;
    return c.json(body, status as 400);
  };
  if (ctx.options.checkFileSize && declared !== part.size)
    return fail(
      ApiCode.VIDEO_PARAMETER_INVALID,
      `File-Size ${fileSize} does not match ${part.size} bytes`,
      undefined,
      400,
    );
  if (part.size === 0)
    return fail(
      ApiCode.VIDEO_UPLOAD_TRANSCODE_ERROR,
      'The video cannot be transcoded.',
      1,
      ctx.options.transcodeErrorStatus,
    );
  const duplicate = Object.values(ctx.state.videos).some(
    (v) => v.userid === user.userid && v.sha1 === part.sha1,
  );
  if (duplicate)
    return fail(
      ApiCode.VIDEO_UPLOAD_VIDEO_EXIST,
      'The video already exists.',
      2,
      ctx.options.duplicateStatus,
    );
  const thumbnail = Number(c.req.header('x-bgo-thumbnail-ts') ?? 0);
  const video: BgVideo = {
    video_id: ctx.ids.hex(16),
    userid: user.userid,
    title: '',
    description: null,
    access: 1,
    thumbnail_time: Number.isInteger(thumbnail) && thumbnail >= 0 ? thumbnail : 0,
    product_list: [],
    uploadedAt: ctx.clock.now(),
    blobId: part.blobId,
    sha1: part.sha1,
    size: part.size,
    filename: part.filename,
    fileSizeHeader: declared,
    region: c.req.header('region') ?? null,
    part: part.field,
    edited: false,
    views: 0,
  };
  ctx.state.videos[video.video_id] = video;
  return c.json({ result: true, video_id: video.video_id });
}

function productsOf(value: unknown, max: number): BgProduct[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) apiFail(ApiCode.VIDEO_PARAMETER_INVALID, 'product_list must be a list');
  if (value.length > max)
    apiFail(ApiCode.VIDEO_UPLOAD_PRODUCT_LIST_OVER_LIMIT, `A video can carry at most ${max} products.`);
  return value.map((item: unknown) => {
    const p = item as Partial<BgProduct> | null;
    if (typeof p?.nindex !== 'string' || typeof p.oid !== 'string' || !p.nindex || !p.oid)
      apiFail(ApiCode.VIDEO_UPLOAD_PRODUCT_IS_NOT_EXIST, 'The product does not exist.');
    return { nindex: p.nindex, oid: p.oid };
  });
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') apiFail(ApiCode.VIDEO_PARAMETER_INVALID, `${key} must be a string`);
  return value;
}

async function update(c: EmulatorContext, ctx: BgCtx, id: string, full: boolean): Promise<Response> {
  const viewer = authenticate(c, ctx);
  const video = ownVideo(ctx, id, viewer);
  let body: Record<string, unknown>;
  try {
    body = (await c.req.json()) as Record<string, unknown>;
  } catch {
    apiFail(ApiCode.VIDEO_PARAMETER_INVALID, 'The body must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    apiFail(ApiCode.VIDEO_PARAMETER_INVALID, 'The body must be a JSON object');
  if (full && ctx.options.requireFullUpdate) {
    const missing = ['title', 'description', 'access'].filter(
      (k) => body[k] === undefined || body[k] === null,
    );
    if (missing.length > 0) apiFail(ApiCode.MISSING_PARAMETERS, `Missing parameters: ${missing.join(', ')}`);
  }
  // Everything is checked before anything changes: a rejected update leaves the video as it was.
  const access = accessOf(body.access);
  const title = optionalString(body, 'title');
  const description = optionalString(body, 'description');
  const products = productsOf(body.product_list, ctx.options.maxProducts);
  const thumbnail = body.thumbnail_time;
  if (
    thumbnail !== undefined &&
    thumbnail !== null &&
    !(Number.isInteger(thumbnail) && (thumbnail as number) >= 0)
  )
    apiFail(ApiCode.VIDEO_PARAMETER_INVALID, 'thumbnail_time must be whole milliseconds');
  if (access !== undefined) video.access = access;
  if (title !== undefined) video.title = title;
  if (description !== undefined) video.description = description;
  if (products !== undefined) video.product_list = products;
  if (typeof thumbnail === 'number') video.thumbnail_time = thumbnail;
  video.edited = true;
  return c.json(full ? { result: true, data: [] } : { result: true });
}

export function videoRoutes(app: EmulatorApp, ctx: BgCtx): void {
  const permission = ctx.endpoint('has_permission', (c) => {
    const user = authenticate(c, ctx);
    return c.json({
      result: true,
      at_userid: user.at_userid,
      // The region header scopes the answer when sent (Python sends it; JS never does).
      region: c.req.header('region') ?? user.region,
      userid: user.userid,
    });
  });
  for (const path of withAndWithoutSlash('/api/v1/video_auth/self')) app.post(path, permission);

  const create = ctx.endpoint('upload', (c) => upload(c, ctx));
  for (const path of withAndWithoutSlash('/api/v1/video')) app.post(path, create);

  const get = ctx.endpoint<'/api/v1/video/:id'>('get_video', (c) => {
    const viewer = authenticate(c, ctx);
    const video = ctx.state.videos[c.req.param('id')];
    // Someone else's private video does not exist, as far as this viewer can tell.
    if (!video || (video.access === 1 && video.userid !== viewer.userid))
      apiFail(ApiCode.VIDEO_NOT_EXIST, 'The video does not exist.');
    const origin = ctx.origin(c);
    return c.json({
      result: true,
      user: userInfoView(origin, ctx.state.users[video.userid]!, viewer),
      video: [videoView(ctx, origin, video, viewer)],
      size: 1,
    });
  });
  const post = ctx.endpoint<'/api/v1/video/:id'>('update', (c) => update(c, ctx, c.req.param('id'), true));
  const patch = ctx.endpoint<'/api/v1/video/:id'>('partial_update', (c) =>
    update(c, ctx, c.req.param('id'), false),
  );
  const remove = ctx.endpoint<'/api/v1/video/:id'>('delete', async (c) => {
    const viewer = authenticate(c, ctx);
    const video = ownVideo(ctx, c.req.param('id'), viewer);
    delete ctx.state.videos[video.video_id];
    await ctx.blobs.delete(video.blobId);
    return c.json({ result: true });
  });
  for (const path of withAndWithoutSlash('/api/v1/video/:id')) {
    app.get(path, get);
    app.post(path, post);
    app.patch(path, patch);
    app.delete(path, remove);
  }

  // The processed file, where `meta.download.mp4` points (a CDN in reality: no token needed).
  app.get(
    '/media/:file',
    ctx.endpoint<'/media/:file'>('media', (c) => {
      const video = ctx.state.videos[c.req.param('file').replace(/\.mp4$/, '')];
      if (!video || !isProcessed(ctx, video)) apiFail(ApiCode.VIDEO_NOT_EXIST, 'The video does not exist.');
      return serveBlob(c, ctx.blobs, video.blobId, { contentType: 'video/mp4' });
    }),
  );
}

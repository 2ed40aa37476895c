import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { signedUrl } from './cdn.js';
import type { GoproCtx, GoproMedia } from './model.js';

export const SEARCH_ACCEPT = 'application/vnd.gopro.jk.media.search+json; version=2.0.0';
export const MEDIA_ACCEPT = 'application/vnd.gopro.jk.media+json; version=2.0.0';

/** Keys the real API returns whatever `fields` asks for (gopro_api requires them). */
const ALWAYS = ['id', 'gopro_user_id', 'source_gumi', 'source_mgumi'] as const;

/** The cookie gopro_api sends, or (option) a Bearer token as other GoPro clients do; 401 otherwise. */
function authenticate(c: EmulatorContext, ctx: GoproCtx): void {
  const cookie = /(?:^|;\s*)gp_access_token=([^;]*)/.exec(c.req.header('cookie') ?? '')?.[1];
  const bearer = ctx.options.acceptBearer
    ? /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
    : undefined;
  const token = cookie ?? bearer;
  if (!token) fail(401, 'invalid_request', 'missing gp_access_token');
  if (!ctx.state.tokens.includes(decodeURIComponent(token)))
    fail(401, 'invalid_request', 'invalid or expired access token');
}

function checkAccept(c: EmulatorContext, ctx: GoproCtx, expected: string): void {
  if (!ctx.options.strictAccept) return;
  const accept = (c.req.header('accept') ?? '').replace(/\s+/g, '');
  if (accept !== expected.replace(/\s+/g, ''))
    fail(ctx.options.acceptMismatchStatus, 'not_acceptable', `expected Accept: ${expected}`);
}

function csv(value: string | undefined): string[] | undefined {
  if (value === undefined || value === '') return undefined;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Each side of `captured_range`, read leniently from its first 10 characters (gopro_api sends a double time part). */
function capturedRange(value: string | undefined): { start: string; end: string } | undefined {
  if (!value) return undefined;
  const [start = '', end = ''] = value.split(',');
  const day = (text: string, side: string) => {
    const date = text.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      fail(400, 'invalid_request', `captured_range ${side} is not a date: ${text}`);
    return date;
  };
  return { start: day(start, 'start'), end: day(end, 'end') };
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    fail(400, 'invalid_request', `${name} must be a positive integer`);
  return parsed;
}

function project(media: GoproMedia, fields: string[] | undefined): Record<string, unknown> {
  const record: Record<string, unknown> = { ...media };
  const keys = fields ?? [
    'id',
    'type',
    'filename',
    'file_extension',
    'captured_at',
    'file_size',
    'item_count',
    'width',
    'height',
  ];
  const out: Record<string, unknown> = {};
  for (const key of [...ALWAYS, ...keys]) {
    if (key in record && !['files', 'variations', 'sidecars', 'sprites'].includes(key))
      out[key] = record[key];
  }
  return out;
}

export function mediaRoutes(app: EmulatorApp, ctx: GoproCtx): void {
  app.get(
    '/media/search',
    ctx.endpoint('search', (c) => {
      authenticate(c, ctx);
      checkAccept(c, ctx, SEARCH_ACCEPT);
      const types = csv(c.req.query('type'));
      const states = csv(c.req.query('processing_states'));
      const fields = csv(c.req.query('fields'));
      const range = capturedRange(c.req.query('captured_range'));
      const page = positive(c.req.query('page'), 1, 'page');
      const perPage = Math.min(positive(c.req.query('per_page'), 30, 'per_page'), ctx.options.maxPerPage);
      const matching = Object.values(ctx.state.media)
        .filter((m) => !types || types.includes(m.type))
        .filter((m) => !states || states.includes(m.ready_to_view))
        .filter((m) => {
          if (!range) return true;
          const day = m.captured_at.slice(0, 10);
          return day >= range.start && (ctx.options.inclusiveEnd ? day <= range.end : day < range.end);
        })
        .sort((a, b) =>
          a.captured_at === b.captured_at ? a.id.localeCompare(b.id) : a.captured_at < b.captured_at ? 1 : -1,
        );
      const start = (page - 1) * perPage;
      return c.json({
        _embedded: {
          media: matching.slice(start, start + perPage).map((m) => project(m, fields)),
          errors: [],
        },
        _pages: {
          current_page: page,
          per_page: perPage,
          total_items: matching.length,
          total_pages: Math.ceil(matching.length / perPage),
        },
      });
    }),
  );

  app.get(
    '/media/:id/download',
    ctx.endpoint<'/media/:id/download'>('download', (c) => {
      authenticate(c, ctx);
      checkAccept(c, ctx, MEDIA_ACCEPT);
      const media = ctx.state.media[c.req.param('id')];
      if (!media) fail(404, 'not_found', 'media not found');
      const origin = ctx.origin(c);
      const links = (blobId: string) => ({
        url: signedUrl(ctx, origin, blobId, 'GET'),
        head: signedUrl(ctx, origin, blobId, 'HEAD'),
      });
      return c.json({
        filename: media.filename,
        _embedded: {
          files: media.files.map((f) => ({
            ...links(f.blobId),
            camera_position: f.cameraPosition,
            item_number: f.itemNumber,
            width: f.width,
            height: f.height,
            orientation: f.orientation ?? 1,
            available: f.available,
            transforms: null,
          })),
          variations: media.variations.map((v) => ({
            ...links(v.blobId),
            label: v.label,
            type: v.type,
            quality: v.quality,
            width: v.width,
            height: v.height,
            available: v.available,
            item_number: v.itemNumber,
            camera_position: v.cameraPosition,
            transforms: null,
          })),
          sprites: (media.sprites ?? []).map((s) => ({
            fps: s.fps,
            frame: { count: s.count, width: s.frameWidth, height: s.frameHeight },
            width: s.frameWidth * s.count,
            height: s.frameHeight,
            type: 'jpg',
            total_count: 1,
            heads: [signedUrl(ctx, origin, s.blobId, 'HEAD')],
            urls: [signedUrl(ctx, origin, s.blobId, 'GET')],
          })),
          sidecar_files: media.sidecars.map((s) => ({
            ...links(s.blobId),
            label: s.label,
            type: s.type,
            fps: s.fps,
            available: s.available,
            item_number: s.itemNumber,
          })),
        },
      });
    }),
  );

  app.get(
    '/media/:id',
    ctx.endpoint<'/media/:id'>('media', (c) => {
      authenticate(c, ctx);
      const media = ctx.state.media[c.req.param('id')];
      if (!media) fail(404, 'not_found', 'media not found');
      return c.json(project(media, Object.keys(media)));
    }),
  );
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EmulatorApp } from '../framework/index.js';
import { fail, serveBlob } from '../framework/index.js';
import type { GoproCtx } from './model.js';

function sign(key: string, blobId: string, expires: number, method: 'GET' | 'HEAD'): string {
  return createHmac('sha256', key).update(`${method}\n${blobId}\n${expires}`).digest('hex');
}

/**
 * A pre-signed CDN URL for a blob, valid until the virtual clock passes its expiry. `head` URLs are signed
 * for HEAD: like the real service, `url` and `head` are distinct signed links.
 */
export function signedUrl(ctx: GoproCtx, origin: string, blobId: string, method: 'GET' | 'HEAD'): string {
  const expires = Math.floor(ctx.clock.now() / 1000) + ctx.options.cdnUrlTtlSeconds;
  const url = new URL(`/cdn/${method === 'HEAD' ? 'h/' : ''}${blobId}`, origin);
  url.searchParams.set('expires', String(expires));
  url.searchParams.set('signature', sign(ctx.state.signingKey, blobId, expires, method));
  return url.toString();
}

const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  thm: 'image/jpeg',
  gpr: 'image/x-adobe-dng',
  mp4: 'video/mp4',
  lrv: 'video/mp4',
  360: 'video/mp4',
  wav: 'audio/wav',
  gpx: 'application/gpx+xml',
  zip: 'application/zip',
  mediainfo: 'application/json',
};

const typeOf = (extension: string | undefined) =>
  TYPES[(extension ?? '').toLowerCase()] ?? 'application/octet-stream';

/** The Content-Type of the asset behind a blob: a photo's files are JPEGs, a variation its `type`, … */
export function contentTypeOf(ctx: GoproCtx, blobId: string): string {
  for (const media of Object.values(ctx.state.media)) {
    if (media.files.some((f) => f.blobId === blobId)) return typeOf(media.file_extension);
    const variation = media.variations.find((v) => v.blobId === blobId);
    if (variation) return typeOf(variation.type);
    const sidecar = media.sidecars.find((s) => s.blobId === blobId);
    if (sidecar) return typeOf(sidecar.label === 'gpmf' ? 'mp4' : sidecar.type);
    if (media.sprites?.some((s) => s.blobId === blobId)) return 'image/jpeg';
  }
  return 'application/octet-stream';
}

/**
 * The CDN: no cookie, the signature is the credential. Range and HEAD like any object store. A link is
 * signed for one method (`url` GET, `head` HEAD); with `signedMethodOnly` off both answer GET and HEAD.
 */
export function cdnRoutes(app: EmulatorApp, ctx: GoproCtx): void {
  const serve = (method: 'GET' | 'HEAD') =>
    ctx.endpoint<'/cdn/:blob'>('cdn', (c) => {
      const blobId = c.req.param('blob');
      if (ctx.options.signedMethodOnly && c.req.method !== method)
        fail(403, 'AccessDenied', `this link is signed for ${method} only`);
      const expires = Number(c.req.query('expires'));
      const given = Buffer.from(c.req.query('signature') ?? '', 'hex');
      const expected = Buffer.from(sign(ctx.state.signingKey, blobId, expires, method), 'hex');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        fail(403, 'AccessDenied', 'signature does not match');
      if (!Number.isFinite(expires) || expires * 1000 < ctx.clock.now())
        fail(403, 'AccessDenied', 'request has expired');
      // A stable validator per blob, so a resumed download can send If-Range.
      return serveBlob(c, ctx.blobs, blobId, {
        contentType: contentTypeOf(ctx, blobId),
        etag: `"${blobId}"`,
      });
    });
  // Hono answers HEAD through the GET route (and drops the body); the request keeps its real method.
  app.get('/cdn/:blob', serve('GET'));
  app.get('/cdn/h/:blob', serve('HEAD'));
}

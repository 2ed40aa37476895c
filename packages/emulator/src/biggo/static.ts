/**
 * The public web pages and images BigGo's models link to (spec B5): `profileimg`, `meta.cover_image`,
 * `meta.thumbnails`, the video page `url`, `personal_url`, and a product's images and links. No token, as on
 * the real CDN and site; a client can follow every link a model carries.
 */
import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { ApiCode, apiFail, type BgCtx } from './model.js';

/** A 16×9 baseline JPEG (305 bytes): every image link serves it. */
const PLACEHOLDER_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAJABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABAIF/8QAFxAAAwEAAAAAAAAAAAAAAAAAAAMEYf/EABUBAQEAAAAAAAAAAAAAAAAAAAEE/8QAGBEAAwEBAAAAAAAAAAAAAAAAAAIDAQT/2gAMAwEAAhEDEQA/AMhc2ClzYWsUsXppNz1Y/9k=',
  'base64',
);

function image(c: EmulatorContext): Response {
  return c.body(new Uint8Array(PLACEHOLDER_JPEG), 200, {
    'content-type': 'image/jpeg',
    'cache-control': 'public, max-age=86400',
  });
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function page(c: EmulatorContext, title: string, body: string): Response {
  return c.html(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`,
  );
}

export function staticRoutes(app: EmulatorApp, ctx: BgCtx): void {
  // Images of every video exist (the owner's models link private ones too); the page of a private one says so.
  const videoOf = (file: string) => {
    const video = ctx.state.videos[file.replace(/(-\d+)?\.jpg$/, '')];
    if (!video) apiFail(ApiCode.VIDEO_NOT_EXIST, 'The video does not exist.');
    return video;
  };
  app.get(
    '/static/profile/:file',
    ctx.endpoint<'/static/profile/:file'>('profile_image', (c) => {
      if (!ctx.state.users[c.req.param('file').replace(/\.jpg$/, '')])
        apiFail(ApiCode.USER_NOT_EXIST, 'User does not exist');
      return image(c);
    }),
  );
  for (const kind of ['cover', 'thumb'])
    app.get(
      `/static/${kind}/:file`,
      ctx.endpoint<'/static/x/:file'>(`${kind}_image`, (c) => {
        videoOf(c.req.param('file'));
        return image(c);
      }),
    );
  app.get(
    '/static/product/:file',
    ctx.endpoint('product_image', (c) => image(c)),
  );
  app.get(
    '/video/:id',
    ctx.endpoint<'/video/:id'>('video_page', (c) => {
      const video = videoOf(c.req.param('id'));
      const origin = ctx.origin(c);
      if (video.access === 1) return page(c, 'Private video', '<p>This video is private.</p>');
      return page(
        c,
        video.title || 'BigGo video',
        `<h1>${escapeHtml(video.title)}</h1><p>${escapeHtml(video.description ?? '')}</p>` +
          `<video controls poster="${origin}/static/cover/${video.video_id}.jpg" src="${origin}/media/${video.video_id}.mp4"></video>`,
      );
    }),
  );
  app.get(
    '/user/:at',
    ctx.endpoint<'/user/:at'>('user_page', (c) => {
      const user = Object.values(ctx.state.users).find((u) => u.at_userid === c.req.param('at'));
      if (!user) apiFail(ApiCode.USER_NOT_EXIST, 'User does not exist');
      return page(c, user.name, `<h1>${escapeHtml(user.name)}</h1><p>${escapeHtml(user.description)}</p>`);
    }),
  );
  app.get(
    '/product/:store/:oid',
    ctx.endpoint<'/product/:store/:oid'>('product_page', (c) =>
      page(c, `Product ${c.req.param('oid')}`, `<h1>Product ${escapeHtml(c.req.param('oid'))}</h1>`),
    ),
  );
  // `purl`: the shop's redirect to the product.
  app.get(
    '/redirect/:store/:oid',
    ctx.endpoint<'/redirect/:store/:oid'>('product_redirect', (c) =>
      c.redirect(
        `/product/${encodeURIComponent(c.req.param('store'))}/${encodeURIComponent(c.req.param('oid'))}`,
        302,
      ),
    ),
  );
}

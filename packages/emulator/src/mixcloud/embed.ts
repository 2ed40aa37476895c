import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { viewer } from './auth.js';
import { jsonOrJsonp } from './respond.js';
import { cloudcastKey, type McCtx, storeKey } from './views.js';
import { canView } from './visibility.js';

function display(c: EmulatorContext): { width: number; height: number; color: string | undefined } {
  const number = (name: string, fallback: number) => {
    const value = c.req.query(name) ?? c.req.query(`max${name}`);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0)
      fail(400, 'InvalidParameterException', `${name} must be a positive integer`);
    return parsed;
  };
  const color = c.req.query('color');
  if (color !== undefined && !/^[0-9a-fA-F]{6}$/.test(color))
    fail(400, 'InvalidParameterException', 'color must be 6 hex digits, without #');
  return { width: number('width', 660), height: number('height', 180), color };
}

function iframe(key: string, d: ReturnType<typeof display>): string {
  const src = `https://www.mixcloud.com/widget/iframe/?feed=${encodeURIComponent(key)}${d.color ? `&color=${d.color}` : ''}${d.height <= 60 ? '&mini=1' : ''}`;
  return `<iframe width="${d.width}" height="${d.height}" src="${src}" frameborder="0"></iframe>`;
}

export function embedRoutes(app: EmulatorApp, ctx: McCtx): void {
  const embed = (json: boolean) =>
    ctx.endpoint<'/:user/:slug/x'>(json ? 'embed_json' : 'embed_html', (c) => {
      const key = storeKey(c.req.param('user'), c.req.param('slug'));
      const cc = ctx.state.cloudcasts[key];
      if (!cc || !canView(ctx, cc, viewer(c, ctx)))
        fail(404, 'ResourceNotFoundException', `No cloudcast found at ${key}`);
      const html = iframe(cloudcastKey(cc), display(c));
      if (!json) return c.body(html, 200, { 'content-type': 'text/html; charset=utf-8' });
      // JSONP-capable through `callback` (spec §2.9).
      return jsonOrJsonp(c, { html }, 'application/javascript; charset=utf-8');
    });
  for (const suffix of ['', '/']) {
    app.get(`/:user/:slug/embed-json${suffix}`, embed(true));
    app.get(`/:user/:slug/embed-html${suffix}`, embed(false));
  }

  const oembed = ctx.endpoint('oembed', (c) => {
    const target = c.req.query('url');
    if (!target) fail(400, 'InvalidParameterException', 'url is required');
    let path: string;
    try {
      path = decodeURIComponent(new URL(target).pathname);
    } catch {
      fail(400, 'InvalidParameterException', 'url must be an absolute URL');
    }
    const key = path.endsWith('/') ? path : `${path}/`;
    const cc = ctx.state.cloudcasts[key];
    if (!cc || !canView(ctx, cc, undefined))
      fail(404, 'ResourceNotFoundException', `No cloudcast found at ${key}`);
    const d = display(c);
    const user = ctx.state.users[cc.user];
    const body = {
      type: 'rich',
      version: '1.0',
      provider_name: 'Mixcloud',
      provider_url: 'https://www.mixcloud.com',
      title: cc.name,
      author_name: user?.name ?? cc.user,
      author_url: `https://www.mixcloud.com/${cc.user}/`,
      html: iframe(cloudcastKey(cc), d),
      width: d.width,
      height: d.height,
      image: `https://thumbnailer.mixcloud.com/unsafe/300x300/extaudio/${encodeURIComponent(`${cc.user}-${cc.slug}`)}.jpg`,
      description: cc.description,
    };
    if ((c.req.query('format') ?? 'json') === 'xml') {
      const xml = Object.entries(body)
        .map(
          ([k, v]) =>
            `<${k}>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</${k}>`,
        )
        .join('');
      return c.body(`<?xml version="1.0" encoding="utf-8"?><oembed>${xml}</oembed>`, 200, {
        'content-type': 'text/xml; charset=utf-8',
      });
    }
    return c.json(body);
  });
  app.get('/oembed', oembed);
  app.get('/oembed/', oembed);
}

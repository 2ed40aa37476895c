/**
 * Tags and cities (spec §2.2, §2.4): `/discover/<tag>/` (the keys of 2014–2019 data, aiomixcloud's
 * `discover()`), `/genres/<tag>/` (current docs), `…/city:<city>/` and `…/<tag>+city:<city>/`, each with its
 * `popular` and `latest` lists.
 */
import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { ranked, showEntries } from './lists.js';
import type { McCloudcast } from './model.js';
import { listResponse } from './paging.js';
import { readEndpoint } from './respond.js';
import { type McCtx, slugify, tagView, wantsMetadata } from './views.js';

interface Selector {
  readonly tag: string | undefined;
  readonly city: string | undefined;
}

/** `jazz`, `city:athens` or `jazz+city:athens`. */
function selectorOf(text: string): Selector {
  const plus = text.indexOf('+');
  const [tagPart, cityPart] =
    plus < 0
      ? text.startsWith('city:')
        ? ['', text]
        : [text, '']
      : [text.slice(0, plus), text.slice(plus + 1)];
  const tag = tagPart.toLowerCase();
  const city = cityPart.startsWith('city:') ? slugify(cityPart.slice(5)) : undefined;
  if (tag.includes(':') || (cityPart !== '' && !city) || (!tag && !city))
    fail(404, 'ResourceNotFoundException', `No tag or city ${text}`);
  return { tag: tag || undefined, city };
}

const titleCase = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function matching(ctx: McCtx, selector: Selector): McCloudcast[] {
  return Object.values(ctx.state.cloudcasts).filter(
    (cc) =>
      (!selector.tag || cc.tags.some((t) => t.toLowerCase() === selector.tag)) &&
      (!selector.city || slugify(ctx.state.users[cc.user]?.city ?? '') === selector.city),
  );
}

function selectorView(c: EmulatorContext, ctx: McCtx, selector: Selector) {
  const city = selector.city === undefined ? undefined : titleCase(selector.city.replace(/-/g, ' '));
  let view: Record<string, unknown>;
  if (selector.tag && !city) view = tagView(c, ctx, selector.tag);
  else {
    const key = `/genres/${selector.tag ? `${encodeURIComponent(selector.tag)}+` : ''}city:${encodeURIComponent(selector.city!)}/`;
    const name = selector.tag ? `${titleCase(selector.tag)} shows in ${city}` : `Shows from ${city}`;
    view = { key, url: `https://www.mixcloud.com${key}`, name, ...(wantsMetadata(c) ? { type: 'tag' } : {}) };
  }
  if (!wantsMetadata(c)) return view;
  const names = ctx.options.tagConnections
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) return view;
  const base = `${ctx.origin(c)}${view.key as string}`;
  return { ...view, metadata: { connections: Object.fromEntries(names.map((n) => [n, `${base}${n}/`])) } };
}

export function genreRoutes(app: EmulatorApp, ctx: McCtx): void {
  const read = readEndpoint(ctx);
  for (const root of ['discover', 'genres']) {
    app.get(
      `/${root}/:selector/`,
      read('tag', (c) => {
        const selector = selectorOf(c.req.param('selector') ?? '');
        return selectorView(c, ctx, selector);
      }),
    );
    app.get(
      `/${root}/:selector/:order/`,
      read('tag_list', (c) => {
        const text = c.req.param('selector') ?? '';
        const selector = selectorOf(text);
        const order = c.req.param('order');
        if (order !== 'popular' && order !== 'latest')
          fail(404, 'ResourceNotFoundException', `no ${order} list for tags`);
        const shows = matching(ctx, selector);
        if (order === 'latest')
          return listResponse(c, ctx, `Latest ${text} shows`, showEntries(c, ctx, shows));
        return listResponse(
          c,
          ctx,
          `Popular ${text} shows`,
          ranked(c, ctx, shows, (cc) => cc.play_count),
          'offset',
        );
      }),
    );
  }
}

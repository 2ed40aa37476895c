/** Read endpoints (spec §2.2–§2.7, §2.16): resources, global lists, search, `/me/` and `/`. */
import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { viewer } from './auth.js';
import { genreRoutes } from './genres.js';
import { cloudcastList, cloudcastOr404, ranked, showEntries, userList, userOr404 } from './lists.js';
import { type Entry, listResponse } from './paging.js';
import { readEndpoint } from './respond.js';
import {
  CLOUDCAST_CONNECTIONS,
  cloudcastDetail,
  type McCtx,
  tagView,
  userConnections,
  userDetail,
  userSummary,
} from './views.js';

/** A path parameter; routes guarantee it is there. */
const param = (c: EmulatorContext, name: string): string =>
  (c.req.param() as Record<string, string>)[name] ?? '';

function search(c: EmulatorContext, ctx: McCtx): Record<string, unknown> {
  const q = (c.req.query('q') ?? '').toLowerCase();
  const type = c.req.query('type') ?? 'cloudcast';
  if (!q) fail(400, 'InvalidParameterException', 'q is required');
  let entries: Entry[];
  if (type === 'cloudcast' || type === 'upload') {
    entries = showEntries(
      c,
      ctx,
      Object.values(ctx.state.cloudcasts).filter(
        (cc) => cc.name.toLowerCase().includes(q) || cc.tags.some((t) => t.toLowerCase().includes(q)),
      ),
    );
  } else if (type === 'user') {
    entries = Object.values(ctx.state.users)
      .filter((u) => u.username.toLowerCase().includes(q) || u.name.toLowerCase().includes(q))
      .map((u) => ({ at: u.created, id: u.username, view: userSummary(c, ctx, u) }));
  } else if (type === 'tag') {
    const tags = [...new Set(Object.values(ctx.state.cloudcasts).flatMap((cc) => cc.tags))].filter((t) =>
      t.toLowerCase().includes(q),
    );
    entries = tags.map((t, i) => ({ at: tags.length - i, id: t, view: tagView(c, ctx, t) }));
  } else fail(400, 'InvalidParameterException', 'type must be cloudcast, user or tag');
  return listResponse(c, ctx, `Search results for ${q}`, entries, 'offset');
}

export function readRoutes(app: EmulatorApp, ctx: McCtx): void {
  const read = readEndpoint(ctx);
  const shows = () => Object.values(ctx.state.cloudcasts);

  // The empty key answers an empty object (spec §2.16, aiomixcloud issue #3); a bad token is still refused.
  app.get(
    '/',
    read('root', (c) => {
      viewer(c, ctx);
      return {};
    }),
  );
  app.get(
    '/me/',
    read('me', (c) => {
      const me = viewer(c, ctx);
      if (!me)
        fail(
          ctx.options.oauthErrorStatus,
          'OAuthException',
          'An access_token is required to access this resource.',
        );
      if (ctx.options.meRedirects) return c.redirect(`/${me}/${new URL(c.req.url).search}`, 302);
      return userDetail(c, ctx, userOr404(ctx, me), me);
    }),
  );
  app.get(
    '/popular/',
    read('popular', (c) =>
      listResponse(
        c,
        ctx,
        'Popular Cloudcasts',
        ranked(c, ctx, shows(), (cc) => cc.play_count),
        'offset',
      ),
    ),
  );
  app.get(
    '/popular/hot/',
    read('hot', (c) =>
      listResponse(
        c,
        ctx,
        'Hot Cloudcasts',
        ranked(c, ctx, shows(), (cc) => cc.play_count / (cc.audio_length || 1)),
        'offset',
      ),
    ),
  );
  app.get(
    '/new/',
    read('new', (c) => listResponse(c, ctx, 'New Cloudcasts', showEntries(c, ctx, shows()))),
  );
  app.get(
    '/search/',
    read('search', (c) => search(c, ctx)),
  );
  genreRoutes(app, ctx);
  app.get(
    '/:user/',
    read('user', (c) => userDetail(c, ctx, userOr404(ctx, param(c, 'user')), viewer(c, ctx))),
  );
  app.get(
    '/:user/:second/',
    read('user_item', (c) => {
      const username = param(c, 'user');
      const second = param(c, 'second');
      const me = viewer(c, ctx);
      if (userConnections(ctx).includes(second)) return userList(c, ctx, username, second);
      return cloudcastDetail(c, ctx, cloudcastOr404(ctx, username, second, me));
    }),
  );
  app.get(
    '/:user/:slug/:connection/',
    read('cloudcast_list', (c) => {
      const connection = param(c, 'connection');
      if (!(CLOUDCAST_CONNECTIONS as readonly string[]).includes(connection))
        fail(404, 'ResourceNotFoundException', `unknown connection ${connection}`);
      const cc = cloudcastOr404(ctx, param(c, 'user'), param(c, 'slug'), viewer(c, ctx));
      return cloudcastList(c, ctx, cc, connection);
    }),
  );
}

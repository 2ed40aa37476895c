import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { rateLimit, viewer } from './auth.js';
import {
  CLOUDCAST_CONNECTIONS,
  cloudcastDetail,
  cloudcastKey,
  cloudcastSummary,
  commentView,
  type Entry,
  listResponse,
  type McCtx,
  tagView,
  USER_CONNECTIONS,
  userDetail,
  userKey,
  userSummary,
} from './views.js';

/** A path parameter; routes guarantee it is there. */
const param = (c: EmulatorContext, name: string): string =>
  (c.req.param() as Record<string, string>)[name] ?? '';

const possessive = (name: string) => `${name}'s`;

function publicCloudcasts(ctx: McCtx) {
  return Object.values(ctx.state.cloudcasts).filter((cc) => !cc.unlisted);
}

function userOr404(ctx: McCtx, username: string) {
  const user = ctx.state.users[username];
  if (!user) fail(404, 'ResourceNotFoundException', `No user found with username ${username}`);
  return user;
}

function cloudcastOr404(ctx: McCtx, username: string, slug: string) {
  const cc = ctx.state.cloudcasts[`/${username}/${slug}/`];
  if (!cc) fail(404, 'ResourceNotFoundException', `No cloudcast found at /${username}/${slug}/`);
  return cc;
}

function userList(
  c: EmulatorContext,
  ctx: McCtx,
  username: string,
  connection: string,
): Record<string, unknown> {
  const s = ctx.state;
  const user = userOr404(ctx, username);
  const cloudcastEntry = (key: string, at: number): Entry[] => {
    const cc = s.cloudcasts[key];
    return cc ? [{ at, view: cloudcastSummary(c, ctx, cc) }] : [];
  };
  const userEntry = (name: string, at: number): Entry[] => {
    const other = s.users[name];
    return other ? [{ at, view: userSummary(c, ctx, other) }] : [];
  };
  switch (connection) {
    case 'cloudcasts':
      return listResponse(
        c,
        ctx,
        `${possessive(user.name)} Cloudcasts`,
        publicCloudcasts(ctx)
          .filter((cc) => cc.user === username)
          .map((cc) => ({ at: cc.created, view: cloudcastSummary(c, ctx, cc) })),
      );
    case 'favorites':
      return listResponse(
        c,
        ctx,
        `${possessive(user.name)} favorites`,
        s.favorites.filter((f) => f.from === username).flatMap((f) => cloudcastEntry(f.to, f.at)),
      );
    case 'listens':
      return listResponse(
        c,
        ctx,
        `${possessive(user.name)} listens`,
        s.listens.filter((f) => f.from === username).flatMap((f) => cloudcastEntry(f.to, f.at)),
      );
    case 'followers':
      return listResponse(
        c,
        ctx,
        `${possessive(user.name)} followers`,
        s.follows.filter((f) => f.to === username).flatMap((f) => userEntry(f.from, f.at)),
      );
    case 'following':
      return listResponse(
        c,
        ctx,
        `${user.name} is following`,
        s.follows.filter((f) => f.from === username).flatMap((f) => userEntry(f.to, f.at)),
      );
    case 'comments':
      return listResponse(
        c,
        ctx,
        `Comments on ${possessive(user.name)} profile`,
        s.comments
          .filter((m) => m.on === userKey(username))
          .map((m) => ({ at: m.at, view: commentView(c, ctx, m) })),
      );
    case 'feed':
      return listResponse(
        c,
        ctx,
        `${possessive(user.name)} feed`,
        publicCloudcasts(ctx)
          .filter((cc) => cc.user === username)
          .map((cc) => ({
            at: cc.created,
            view: {
              from: userSummary(c, ctx, user),
              title: 'uploaded',
              url: `https://www.mixcloud.com${cloudcastKey(cc)}`,
              key: `/${username}/feed/${cc.created}/`,
              created_time: `${new Date(cc.created).toISOString().slice(0, 19)}Z`,
              type: 'upload',
              cloudcasts: [cloudcastSummary(c, ctx, cc)],
            },
          })),
      );
    default:
      return listResponse(c, ctx, `${possessive(user.name)} playlists`, []);
  }
}

function cloudcastList(
  c: EmulatorContext,
  ctx: McCtx,
  username: string,
  slug: string,
  connection: string,
): Record<string, unknown> {
  const s = ctx.state;
  const cc = cloudcastOr404(ctx, username, slug);
  const key = cloudcastKey(cc);
  const users = (relations: typeof s.favorites) =>
    relations
      .filter((r) => r.to === key)
      .flatMap((r) => (s.users[r.from] ? [{ at: r.at, view: userSummary(c, ctx, s.users[r.from]!) }] : []));
  switch (connection) {
    case 'favorites':
      return listResponse(c, ctx, `Favorites of ${cc.name}`, users(s.favorites));
    case 'listeners':
      return listResponse(c, ctx, `Listeners of ${cc.name}`, users(s.listens));
    case 'comments':
      return listResponse(
        c,
        ctx,
        `Comments on ${cc.name}`,
        s.comments.filter((m) => m.on === key).map((m) => ({ at: m.at, view: commentView(c, ctx, m) })),
      );
    default:
      return listResponse(
        c,
        ctx,
        `Similar to ${cc.name}`,
        publicCloudcasts(ctx)
          .filter((other) => other !== cc && other.tags.some((t) => cc.tags.includes(t)))
          .map((other) => ({ at: other.created, view: cloudcastSummary(c, ctx, other) })),
        'offset',
      );
  }
}

export function readRoutes(app: EmulatorApp, ctx: McCtx): void {
  const read = (name: string, handler: (c: EmulatorContext) => Record<string, unknown> | Response) =>
    ctx.endpoint(name, (c) => {
      rateLimit(c, ctx);
      const result = handler(c);
      if (result instanceof Response) return result;
      // JSONP (spec §2.1): `callback=fn` wraps the JSON.
      const callback = c.req.query('callback');
      if (callback && /^[A-Za-z_$][\w$.]*$/.test(callback))
        return c.body(`${callback}(${JSON.stringify(result)})`, 200, {
          'content-type': 'application/javascript',
        });
      return c.json(result);
    });

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
        publicCloudcasts(ctx)
          .sort((a, b) => b.play_count - a.play_count)
          .map((cc, i, all) => ({ at: all.length - i, view: cloudcastSummary(c, ctx, cc) })),
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
        publicCloudcasts(ctx)
          .sort((a, b) => b.play_count / (b.audio_length || 1) - a.play_count / (a.audio_length || 1))
          .map((cc, i, all) => ({ at: all.length - i, view: cloudcastSummary(c, ctx, cc) })),
        'offset',
      ),
    ),
  );
  app.get(
    '/new/',
    read('new', (c) =>
      listResponse(
        c,
        ctx,
        'New Cloudcasts',
        publicCloudcasts(ctx).map((cc) => ({ at: cc.created, view: cloudcastSummary(c, ctx, cc) })),
      ),
    ),
  );
  app.get(
    '/search/',
    read('search', (c) => {
      const q = (c.req.query('q') ?? '').toLowerCase();
      const type = c.req.query('type') ?? 'cloudcast';
      if (!q) fail(400, 'InvalidParameterException', 'q is required');
      let entries: Entry[];
      if (type === 'cloudcast' || type === 'upload') {
        entries = publicCloudcasts(ctx)
          .filter(
            (cc) => cc.name.toLowerCase().includes(q) || cc.tags.some((t) => t.toLowerCase().includes(q)),
          )
          .map((cc) => ({ at: cc.created, view: cloudcastSummary(c, ctx, cc) }));
      } else if (type === 'user') {
        entries = Object.values(ctx.state.users)
          .filter((u) => u.username.toLowerCase().includes(q) || u.name.toLowerCase().includes(q))
          .map((u) => ({ at: u.created, view: userSummary(c, ctx, u) }));
      } else if (type === 'tag') {
        const tags = [...new Set(Object.values(ctx.state.cloudcasts).flatMap((cc) => cc.tags))].filter((t) =>
          t.toLowerCase().includes(q),
        );
        entries = tags.map((t, i) => ({ at: tags.length - i, view: tagView(c, t) }));
      } else fail(400, 'InvalidParameterException', 'type must be cloudcast, user or tag');
      return listResponse(c, ctx, `Search results for ${q}`, entries, 'offset');
    }),
  );
  app.get(
    '/discover/:tag/',
    read('tag', (c) => {
      const view = tagView(c, param(c, 'tag'));
      if (c.req.query('metadata') !== '1') return view;
      const origin = ctx.origin(c);
      return {
        ...view,
        metadata: {
          connections: {
            popular: `${origin}${view.key as string}popular/`,
            latest: `${origin}${view.key as string}latest/`,
          },
        },
      };
    }),
  );
  app.get(
    '/discover/:tag/:order/',
    read('tag_list', (c) => {
      const tag = param(c, 'tag').toLowerCase();
      const order = param(c, 'order');
      if (order !== 'popular' && order !== 'latest')
        fail(404, 'ResourceNotFoundException', `no ${order} list for tags`);
      const matching = publicCloudcasts(ctx).filter((cc) => cc.tags.some((t) => t.toLowerCase() === tag));
      if (order === 'latest')
        return listResponse(
          c,
          ctx,
          `Latest ${tag} shows`,
          matching.map((cc) => ({ at: cc.created, view: cloudcastSummary(c, ctx, cc) })),
        );
      return listResponse(
        c,
        ctx,
        `Popular ${tag} shows`,
        matching
          .sort((a, b) => b.play_count - a.play_count)
          .map((cc, i, all) => ({ at: all.length - i, view: cloudcastSummary(c, ctx, cc) })),
        'offset',
      );
    }),
  );
  app.get(
    '/:user/',
    read('user', (c) => userDetail(c, ctx, userOr404(ctx, param(c, 'user')), viewer(c, ctx))),
  );
  app.get(
    '/:user/:second/',
    read('user_item', (c) => {
      const username = param(c, 'user');
      const second = param(c, 'second');
      if ((USER_CONNECTIONS as readonly string[]).includes(second)) return userList(c, ctx, username, second);
      viewer(c, ctx);
      return cloudcastDetail(c, ctx, cloudcastOr404(ctx, username, second));
    }),
  );
  app.get(
    '/:user/:slug/:connection/',
    read('cloudcast_list', (c) => {
      const connection = param(c, 'connection');
      if (!(CLOUDCAST_CONNECTIONS as readonly string[]).includes(connection))
        fail(404, 'ResourceNotFoundException', `unknown connection ${connection}`);
      return cloudcastList(c, ctx, param(c, 'user'), param(c, 'slug'), connection);
    }),
  );
}

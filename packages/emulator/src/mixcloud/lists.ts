/** The connections of a user and of a show (spec §2.4): each a date-ordered list of §2.5. */
import type { EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import type { McCloudcast, McRelation } from './model.js';
import { type Entry, listResponse } from './paging.js';
import { cloudcastSummary, commentView, type McCtx, storeKey, userKey, userSummary } from './views.js';
import { canView, isAvailable, isListed, listTime } from './visibility.js';

const possessive = (name: string) => `${name}'s`;

export function userOr404(ctx: McCtx, username: string) {
  const user = ctx.state.users[username];
  if (!user) fail(404, 'ResourceNotFoundException', `No user found with username ${username}`);
  return user;
}

/** A show the viewer may see: scheduled shows and drafts are a 404 to everyone but their owner. */
export function cloudcastOr404(ctx: McCtx, username: string, slug: string, viewer: string | undefined) {
  const cc = ctx.state.cloudcasts[storeKey(username, slug)];
  if (!cc || !canView(ctx, cc, viewer))
    fail(404, 'ResourceNotFoundException', `No cloudcast found at /${username}/${slug}/`);
  return cc;
}

/** Listed shows as list entries, in the order they went public. */
export function showEntries(c: EmulatorContext, ctx: McCtx, shows: McCloudcast[]): Entry[] {
  return shows
    .filter((cc) => isListed(ctx, cc))
    .map((cc) => ({ at: listTime(cc), id: storeKey(cc.user, cc.slug), view: cloudcastSummary(c, ctx, cc) }));
}

export function userList(
  c: EmulatorContext,
  ctx: McCtx,
  username: string,
  connection: string,
): Record<string, unknown> {
  const s = ctx.state;
  const user = userOr404(ctx, username);
  const shows = (relations: McRelation[]): Entry[] =>
    relations
      .filter((r) => r.from === username)
      .flatMap((r) => {
        const cc = s.cloudcasts[r.to];
        return cc && isAvailable(ctx, cc) ? [{ at: r.at, id: r.to, view: cloudcastSummary(c, ctx, cc) }] : [];
      });
  const users = (relations: McRelation[], side: 'from' | 'to'): Entry[] =>
    relations.flatMap((r) => {
      const other = s.users[r[side]];
      return other ? [{ at: r.at, id: other.username, view: userSummary(c, ctx, other) }] : [];
    });
  const mine = Object.values(s.cloudcasts).filter((cc) => cc.user === username);
  switch (connection) {
    case 'cloudcasts':
      return listResponse(c, ctx, `${possessive(user.name)} Cloudcasts`, showEntries(c, ctx, mine));
    case 'favorites':
      return listResponse(c, ctx, `${possessive(user.name)} favorites`, shows(s.favorites));
    case 'listens':
      return listResponse(c, ctx, `${possessive(user.name)} listens`, shows(s.listens));
    case 'listen-later':
      return listResponse(c, ctx, `${possessive(user.name)} listen later`, shows(s.listenLater));
    case 'followers':
      return listResponse(
        c,
        ctx,
        `${possessive(user.name)} followers`,
        users(
          s.follows.filter((f) => f.to === username),
          'from',
        ),
      );
    case 'following':
      return listResponse(
        c,
        ctx,
        `${user.name} is following`,
        users(
          s.follows.filter((f) => f.from === username),
          'to',
        ),
      );
    case 'comments':
      return listResponse(
        c,
        ctx,
        `Comments on ${possessive(user.name)} profile`,
        s.comments
          .filter((m) => m.on === `/${username}/`)
          .map((m) => ({ at: m.at, id: m.id, view: commentView(c, ctx, m) })),
      );
    case 'feed':
      return listResponse(
        c,
        ctx,
        `${possessive(user.name)} feed`,
        showEntries(c, ctx, mine).map((entry) => ({
          ...entry,
          view: {
            from: userSummary(c, ctx, user),
            title: 'uploaded',
            url: entry.view.url,
            key: `${userKey(username)}feed/${entry.at}/`,
            created_time: `${new Date(entry.at).toISOString().slice(0, 19)}Z`,
            type: 'upload',
            cloudcasts: [entry.view],
          },
        })),
      );
    default:
      return listResponse(c, ctx, `${possessive(user.name)} playlists`, []);
  }
}

export function cloudcastList(
  c: EmulatorContext,
  ctx: McCtx,
  cc: McCloudcast,
  connection: string,
): Record<string, unknown> {
  const s = ctx.state;
  const key = storeKey(cc.user, cc.slug);
  const users = (relations: McRelation[]): Entry[] =>
    relations
      .filter((r) => r.to === key)
      .flatMap((r) => {
        const user = s.users[r.from];
        return user ? [{ at: r.at, id: user.username, view: userSummary(c, ctx, user) }] : [];
      });
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
        s.comments
          .filter((m) => m.on === key)
          .map((m) => ({ at: m.at, id: m.id, view: commentView(c, ctx, m) })),
      );
    default:
      return listResponse(
        c,
        ctx,
        `Similar to ${cc.name}`,
        showEntries(
          c,
          ctx,
          Object.values(s.cloudcasts).filter(
            (other) => other !== cc && other.tags.some((t) => cc.tags.includes(t)),
          ),
        ),
        'offset',
      );
  }
}

/** Shows ranked (most played first), as entries of an offset-paged list. */
export function ranked(
  c: EmulatorContext,
  ctx: McCtx,
  shows: McCloudcast[],
  score: (cc: McCloudcast) => number,
) {
  return showEntries(c, ctx, shows)
    .map((entry) => ({ entry, score: score(ctx.state.cloudcasts[entry.id]!) }))
    .sort((a, b) => b.score - a.score || (a.entry.id < b.entry.id ? -1 : 1))
    .map(({ entry }, i, all) => ({ ...entry, at: all.length - i }));
}

import type { EmulatorContext, ServiceContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import type { McCloudcast, McComment, McState, McUser } from './model.js';
import type { MixcloudEmulatorOptions } from './options.js';

export type McCtx = ServiceContext<McState, MixcloudEmulatorOptions>;

export const USER_CONNECTIONS = [
  'cloudcasts',
  'comments',
  'favorites',
  'feed',
  'followers',
  'following',
  'listens',
  'playlists',
] as const;
export const CLOUDCAST_CONNECTIONS = ['favorites', 'listeners', 'comments', 'similar'] as const;

/** Mixcloud writes dates as `YYYY-MM-DDTHH:MM:SSZ`. */
export const isoSeconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

const SIZES = [
  'small',
  'thumbnail',
  'medium_mobile',
  'medium',
  'large',
  '320wx320h',
  'extra_large',
  '640wx640h',
];
const PIXELS: Record<string, string> = {
  small: '25x25',
  thumbnail: '50x50',
  medium_mobile: '80x80',
  medium: '100x100',
  large: '300x300',
  '320wx320h': '320x320',
  extra_large: '600x600',
  '640wx640h': '640x640',
};

function pictures(kind: string, path: string, extra: string[] = []): Record<string, string> {
  return Object.fromEntries(
    [...SIZES, ...extra].map((size) => [
      size,
      `https://thumbnailer.mixcloud.com/unsafe/${PIXELS[size] ?? size.replace('wx', 'x').replace('h', '')}/${kind}/${path}`,
    ]),
  );
}

/** Whether the caller asked for `type` and `metadata` (aiomixcloud always does). */
export const wantsMetadata = (c: EmulatorContext) => c.req.query('metadata') === '1';

function typed<T extends Record<string, unknown>>(c: EmulatorContext, object: T, type: string): T {
  return wantsMetadata(c) ? { ...object, type } : object;
}

export function userKey(username: string): string {
  return `/${username}/`;
}

export function userSummary(c: EmulatorContext, _ctx: McCtx, user: McUser): Record<string, unknown> {
  return typed(
    c,
    {
      key: userKey(user.username),
      url: `https://www.mixcloud.com/${user.username}/`,
      name: user.name,
      username: user.username,
      pictures: pictures('profile', `${user.username}.jpg`),
    },
    'user',
  );
}

export function userDetail(
  c: EmulatorContext,
  ctx: McCtx,
  user: McUser,
  viewer: string | undefined,
): Record<string, unknown> {
  const s = ctx.state;
  const base: Record<string, unknown> = {
    ...userSummary(c, ctx, user),
    biog: user.biog,
    created_time: isoSeconds(user.created),
    updated_time: isoSeconds(user.created),
    follower_count: s.follows.filter((f) => f.to === user.username).length,
    following_count: s.follows.filter((f) => f.from === user.username).length,
    cloudcast_count: Object.values(s.cloudcasts).filter((cc) => cc.user === user.username && !cc.unlisted)
      .length,
    favorite_count: s.favorites.filter((f) => f.from === user.username).length,
    listen_count: s.listens.filter((f) => f.from === user.username).length,
    is_pro: user.is_pro,
    is_premium: false,
    city: user.city,
    country: user.country,
    cover_pictures: { '835wx120h': '', '1113wx160h': '', '1670wx240h': '' },
    picture_primary_color: '020202',
  };
  if (viewer !== undefined)
    base.following = s.follows.some((f) => f.from === viewer && f.to === user.username);
  return withConnections(c, ctx, base, userKey(user.username), USER_CONNECTIONS);
}

export function tagView(c: EmulatorContext, tag: string): Record<string, unknown> {
  const slug = tag.toLowerCase();
  return typed(
    c,
    {
      key: `/discover/${slug}/`,
      url: `https://www.mixcloud.com/discover/${slug}/`,
      name: `${tag.charAt(0).toUpperCase()}${tag.slice(1)} shows`,
    },
    'tag',
  );
}

export function cloudcastKey(cc: McCloudcast): string {
  return `/${cc.user}/${cc.slug}/`;
}

export function cloudcastSummary(c: EmulatorContext, ctx: McCtx, cc: McCloudcast): Record<string, unknown> {
  const s = ctx.state;
  const key = cloudcastKey(cc);
  const user = s.users[cc.user];
  return typed(
    c,
    {
      key,
      url: `https://www.mixcloud.com${key}`,
      name: cc.name,
      tags: cc.tags.map((t) => tagView(c, t)),
      created_time: isoSeconds(cc.created),
      updated_time: isoSeconds(cc.updated),
      play_count: cc.play_count,
      favorite_count: s.favorites.filter((f) => f.to === key).length,
      comment_count: s.comments.filter((m) => m.on === key).length,
      listener_count: s.listens.filter((l) => l.to === key).length,
      repost_count: s.reposts.filter((r) => r.to === key).length,
      pictures: pictures('extaudio', `${cc.user}-${cc.slug}.jpg`, ['768wx768h', '1024wx1024h']),
      slug: cc.slug,
      user: user ? userSummary(c, ctx, user) : null,
      audio_length: cc.audio_length,
    },
    'cloudcast',
  );
}

export function cloudcastDetail(c: EmulatorContext, ctx: McCtx, cc: McCloudcast): Record<string, unknown> {
  const base = {
    ...cloudcastSummary(c, ctx, cc),
    description: cc.description,
    sections: cc.sections.map((s) => sectionView(s)),
    picture_primary_color: '121212',
  };
  return withConnections(c, ctx, base, cloudcastKey(cc), CLOUDCAST_CONNECTIONS);
}

function sectionView(section: McCloudcast['sections'][number]): Record<string, unknown> {
  if (section.chapter !== undefined)
    return { chapter: section.chapter, start_time: section.start_time, section_type: 'chapter' };
  return {
    track: { name: section.song, artist: { name: section.artist } },
    start_time: section.start_time,
    section_type: 'track',
  };
}

export function commentView(c: EmulatorContext, ctx: McCtx, comment: McComment): Record<string, unknown> {
  const user = ctx.state.users[comment.user];
  return typed(
    c,
    {
      comment: comment.comment,
      submit_date: isoSeconds(comment.at),
      user: user ? userSummary(c, ctx, user) : null,
      key: `/comments/cr/${comment.id}/`,
      url: `https://www.mixcloud.com/comments/cr/${comment.id}/`,
    },
    'comment',
  );
}

function withConnections(
  c: EmulatorContext,
  ctx: McCtx,
  base: Record<string, unknown>,
  key: string,
  names: readonly string[],
): Record<string, unknown> {
  if (!wantsMetadata(c)) return base;
  const origin = ctx.origin(c);
  return {
    ...base,
    metadata: { connections: Object.fromEntries(names.map((name) => [name, `${origin}${key}${name}/`])) },
  };
}

/** `since`/`until`: UNIX seconds or `YYYY-MM-DD HH:MM:SS` UTC (spec §2.5). */
export function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})Z?$/.exec(value);
  const ms = match ? Date.parse(`${match[1]}T${match[2]}Z`) : Number.NaN;
  if (Number.isNaN(ms))
    fail(400, 'InvalidParameterException', `${name} must be UNIX seconds or YYYY-MM-DD HH:MM:SS`);
  return ms;
}

const linkTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** An entry of a list: the object, and the time it was added to this list (its paging key). */
export interface Entry {
  readonly at: number;
  readonly view: Record<string, unknown>;
}

/**
 * A Mixcloud list (spec §2.5): newest first, paged by date unless `offset` is given (or the list only pages by
 * offset); links keep the other query parameters, sorted; absent directions are omitted; an empty list has no
 * `paging`.
 */
export function listResponse(
  c: EmulatorContext,
  ctx: McCtx,
  name: string,
  entries: Entry[],
  mode: 'date' | 'offset' = 'date',
): Record<string, unknown> {
  const url = new URL(c.req.url);
  const query = url.searchParams;
  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1)
    fail(400, 'InvalidParameterException', 'limit must be a positive integer');
  const size = Math.min(limit, ctx.options.maxLimit);
  const sorted = [...entries].sort((a, b) => b.at - a.at);
  const link = (changes: Record<string, string | undefined>) => {
    const params = new Map<string, string>();
    for (const [key, value] of query) params.set(key, value);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) params.delete(key);
      else params.set(key, value);
    }
    const search = new URLSearchParams(
      [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ).toString();
    return `${ctx.origin(c)}${url.pathname}?${search}`;
  };
  let page: Entry[];
  const paging: Record<string, string> = {};
  if (mode === 'offset' || query.has('offset')) {
    const offset = Number(query.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0)
      fail(400, 'InvalidParameterException', 'offset must be an integer ≥ 0');
    page = sorted.slice(offset, offset + size);
    if (offset > 0)
      paging.previous = link({ offset: String(Math.max(0, offset - size)), limit: String(size) });
    if (offset + size < sorted.length)
      paging.next = link({ offset: String(offset + size), limit: String(size) });
  } else {
    const since = parseTime(query.get('since') ?? undefined, 'since');
    const until = parseTime(query.get('until') ?? undefined, 'until');
    const window = sorted.filter(
      (e) => (until === undefined || e.at < until) && (since === undefined || e.at > since),
    );
    // Paging forward from `since` reads the oldest entries after it, shown newest first.
    page = since !== undefined && until === undefined ? window.slice(-size) : window.slice(0, size);
    const last = page.at(-1);
    const first = page[0];
    if (first) paging.previous = link({ since: linkTime(first.at), until: undefined, limit: String(size) });
    if (last && sorted.some((e) => e.at < last.at))
      paging.next = link({ until: linkTime(last.at), since: undefined, limit: String(size) });
  }
  const body: Record<string, unknown> = { data: page.map((e) => e.view) };
  if (page.length > 0) body.paging = paging;
  body.name = name;
  return body;
}

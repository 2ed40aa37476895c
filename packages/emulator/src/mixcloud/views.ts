import { createHash } from 'node:crypto';
import type { EmulatorContext, ServiceContext } from '../framework/index.js';
import type { McCloudcast, McComment, McSection, McState, McUser } from './model.js';
import type { MixcloudEmulatorOptions } from './options.js';
import { isListed } from './visibility.js';

/** What the Mixcloud emulator's routes and seeds work on: its state, options, clock and blobs. */
export type McCtx = ServiceContext<McState, MixcloudEmulatorOptions>;

const USER_CONNECTIONS = [
  'cloudcasts',
  'comments',
  'favorites',
  'feed',
  'followers',
  'following',
  'listens',
  'playlists',
] as const;
/** A user's connections; older data also had `listen-later` (an option, spec §2.4). */
export function userConnections(ctx: McCtx): readonly string[] {
  return ctx.options.listenLaterConnection ? [...USER_CONNECTIONS, 'listen-later'] : USER_CONNECTIONS;
}

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
  return `/${encodeURIComponent(username)}/`;
}

/** A show's key in the state and in relations: the slug as letters (`/ferry/καλημέρα-mix/`). */
export function storeKey(user: string, slug: string): string {
  return `/${user}/${slug}/`;
}

/** A show's key on the wire: non-ASCII slugs percent-encoded, as real keys are (spec §2.2). */
export function cloudcastKey(cc: McCloudcast): string {
  return `/${encodeURIComponent(cc.user)}/${encodeURIComponent(cc.slug)}/`;
}

export function userSummary(c: EmulatorContext, _ctx: McCtx, user: McUser): Record<string, unknown> {
  return typed(
    c,
    {
      key: userKey(user.username),
      url: `https://www.mixcloud.com${userKey(user.username)}`,
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
    cloudcast_count: Object.values(s.cloudcasts).filter(
      (cc) => cc.user === user.username && isListed(ctx, cc),
    ).length,
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
  return withConnections(c, ctx, base, userKey(user.username), userConnections(ctx));
}

/** A tag (`Jazz shows`), keyed under /discover/ or /genres/ as the options say (spec §2.2). */
export function tagView(c: EmulatorContext, ctx: McCtx, tag: string): Record<string, unknown> {
  const key = `/${ctx.options.tagKeyPrefix}/${encodeURIComponent(tag.toLowerCase())}/`;
  return typed(
    c,
    {
      key,
      url: `https://www.mixcloud.com${key}`,
      name: `${tag.charAt(0).toUpperCase()}${tag.slice(1)} shows`,
    },
    'tag',
  );
}

export function cloudcastSummary(c: EmulatorContext, ctx: McCtx, cc: McCloudcast): Record<string, unknown> {
  const s = ctx.state;
  const key = storeKey(cc.user, cc.slug);
  const user = s.users[cc.user];
  return typed(
    c,
    {
      key: cloudcastKey(cc),
      url: `https://www.mixcloud.com${cloudcastKey(cc)}`,
      name: cc.name,
      tags: cc.tags.map((t) => tagView(c, ctx, t)),
      created_time: isoSeconds(cc.created),
      updated_time: isoSeconds(cc.updated),
      play_count: cc.play_count,
      favorite_count: s.favorites.filter((f) => f.to === key).length,
      comment_count: s.comments.filter((m) => m.on === key).length,
      listener_count: s.listens.filter((l) => l.to === key).length,
      repost_count: s.reposts.filter((r) => r.to === key).length,
      pictures: pictures('extaudio', `${encodeURIComponent(`${cc.user}-${cc.slug}`)}.jpg`, [
        '768wx768h',
        '1024wx1024h',
      ]),
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
    sections: cc.sections.map((section, index) => sectionView(section, index)),
    picture_primary_color: '121212',
  };
  return withConnections(c, ctx, base, cloudcastKey(cc), CLOUDCAST_CONNECTIONS);
}

/** A slug as Mixcloud makes them (spec part 3.8): letters and digits of any script, runs of the rest → `-`. */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '') || 'untitled'
  );
}

/** A linked object of a track section: `{name, key, url, slug}` (the 2014 shape, spec §2.3). */
function linked(prefix: string, name: string): Record<string, string> {
  const slug = slugify(name);
  const key = `${prefix}${encodeURIComponent(slug)}/`;
  return { name, key, url: `https://www.mixcloud.com${key}`, slug };
}

/** Sections carry their 1-based `position`; tracks link their track and artist (spec §2.3). */
function sectionView(section: McSection, index: number): Record<string, unknown> {
  const position = index + 1;
  if (section.chapter !== undefined)
    return { chapter: section.chapter, position, start_time: section.start_time, section_type: 'chapter' };
  const artist = linked('/artist/', section.artist ?? '');
  const track = linked(`/track/${encodeURIComponent(artist.slug!)}/`, section.song ?? '');
  return {
    track: { ...track, artist },
    position,
    start_time: section.start_time,
    section_type: 'track',
  };
}

/**
 * `/comments/cr/<a>/<b>/<id>/` (spec §2.2, the aiomixcloud fixture's `/comments/cr/214/78/c8952637/`). What
 * `a` and `b` count is unknown; here they are stable numbers derived from what the comment is on.
 */
function commentKey(comment: McComment): string {
  const digest = createHash('sha1').update(comment.on).digest();
  return `/comments/cr/${digest.readUInt16BE(0) % 1000}/${digest.readUInt8(2)}/${comment.id}/`;
}

export function commentView(c: EmulatorContext, ctx: McCtx, comment: McComment): Record<string, unknown> {
  const user = ctx.state.users[comment.user];
  return typed(
    c,
    {
      comment: comment.comment,
      submit_date: isoSeconds(comment.at),
      user: user ? userSummary(c, ctx, user) : null,
      key: commentKey(comment),
      url: `https://www.mixcloud.com${commentKey(comment)}`,
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

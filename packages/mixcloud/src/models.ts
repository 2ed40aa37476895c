/**
 * What the Mixcloud API returns, typed by kind: {@link User}, {@link Cloudcast}, {@link Tag}, {@link Comment},
 * with guards. Schemas keep unknown fields, turn dates into `Date`, read `null` as absent, and refuse an object
 * without the fields that make it what it is (a `ResponseValidationError`).
 *
 * @module
 */
import { isoDate } from '@mediaferry/core';
import { z } from 'zod';

/** An optional field that Mixcloud may also send as `null`: typed `T | undefined`. */
const maybe = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((value): z.output<T> | undefined => value ?? undefined)
    .optional();

const count = maybe(z.number());
const text = maybe(z.string());

/** Picture URLs by size name (`small`, `thumbnail`, `large`, `640wx640h`…). */
export type Pictures = Readonly<Record<string, string>>;
const picturesSchema = maybe(z.record(z.string(), z.string()));

/** `metadata.connections`: connection name → absolute API URL (given with `metadata=1`, on detail objects). */
export interface Metadata {
  readonly connections?: Readonly<Record<string, string>> | undefined;
  readonly [extra: string]: unknown;
}
const metadataSchema = maybe(z.looseObject({ connections: maybe(z.record(z.string(), z.string())) }));

const common = {
  /** The object's path, with its slashes: `/bob/`, `/bob/a-mix/`. */
  key: z.string(),
  /** Its page on mixcloud.com. */
  url: z.string(),
  metadata: metadataSchema,
};

export const tagSchema: z.ZodType<Tag> = z.looseObject({
  type: z.literal('tag').default('tag'),
  ...common,
  name: z.string(),
});

/** A tag (`/discover/jazz/`, "Jazz shows"). */
export interface Tag {
  readonly type: 'tag';
  readonly key: string;
  readonly url: string;
  readonly name: string;
  readonly metadata?: Metadata | undefined;
  readonly [extra: string]: unknown;
}

export const userSchema: z.ZodType<User> = z.looseObject({
  type: z.literal('user').default('user'),
  ...common,
  name: z.string(),
  username: z.string(),
  pictures: picturesSchema,
  biog: text,
  created_time: maybe(isoDate),
  updated_time: maybe(isoDate),
  follower_count: count,
  following_count: count,
  cloudcast_count: count,
  favorite_count: count,
  listen_count: count,
  is_pro: maybe(z.boolean()),
  is_premium: maybe(z.boolean()),
  city: text,
  country: text,
  following: maybe(z.boolean()),
});

/** A user. Lists give `key`, `url`, `name`, `username`, `pictures`; `users.get` gives the rest too. */
export interface User {
  readonly type: 'user';
  readonly key: string;
  readonly url: string;
  readonly name: string;
  readonly username: string;
  readonly pictures?: Pictures | undefined;
  readonly biog?: string | undefined;
  readonly created_time?: Date | undefined;
  readonly updated_time?: Date | undefined;
  readonly follower_count?: number | undefined;
  readonly following_count?: number | undefined;
  readonly cloudcast_count?: number | undefined;
  readonly favorite_count?: number | undefined;
  readonly listen_count?: number | undefined;
  readonly is_pro?: boolean | undefined;
  readonly is_premium?: boolean | undefined;
  readonly city?: string | undefined;
  readonly country?: string | undefined;
  /** With a token: whether you follow this user. */
  readonly following?: boolean | undefined;
  readonly metadata?: Metadata | undefined;
  readonly [extra: string]: unknown;
}

/** A section of a show's tracklist: a chapter, or a track (its shape varies across the API's history). */
export interface ShowSection {
  readonly chapter?: string | undefined;
  readonly start_time?: number | undefined;
  readonly position?: number | undefined;
  readonly section_type?: string | undefined;
  readonly [extra: string]: unknown;
}
const showSectionSchema = z.looseObject({
  chapter: text,
  start_time: count,
  position: count,
  section_type: text,
});

export const cloudcastSchema: z.ZodType<Cloudcast> = z.looseObject({
  type: z.literal('cloudcast').default('cloudcast'),
  ...common,
  name: z.string(),
  slug: z.string(),
  user: maybe(userSchema),
  tags: z
    .array(tagSchema)
    .nullish()
    .transform((tags) => tags ?? []),
  created_time: maybe(isoDate),
  updated_time: maybe(isoDate),
  play_count: count,
  favorite_count: count,
  comment_count: count,
  listener_count: count,
  repost_count: count,
  /** Seconds. */
  audio_length: count,
  pictures: picturesSchema,
  description: text,
  sections: maybe(z.array(showSectionSchema)),
});

/** A show. Lists give a summary; `cloudcasts.get` adds `description`, `sections` and `metadata`. */
export interface Cloudcast {
  readonly type: 'cloudcast';
  readonly key: string;
  readonly url: string;
  readonly name: string;
  readonly slug: string;
  readonly user?: User | undefined;
  readonly tags: readonly Tag[];
  readonly created_time?: Date | undefined;
  readonly updated_time?: Date | undefined;
  readonly play_count?: number | undefined;
  readonly favorite_count?: number | undefined;
  readonly comment_count?: number | undefined;
  readonly listener_count?: number | undefined;
  readonly repost_count?: number | undefined;
  /** Seconds. */
  readonly audio_length?: number | undefined;
  readonly pictures?: Pictures | undefined;
  readonly description?: string | undefined;
  readonly sections?: readonly ShowSection[] | undefined;
  readonly metadata?: Metadata | undefined;
  readonly [extra: string]: unknown;
}

export const commentSchema: z.ZodType<Comment> = z.looseObject({
  type: z.literal('comment').default('comment'),
  ...common,
  comment: z.string(),
  submit_date: maybe(isoDate),
  user: maybe(userSchema),
});

/** A comment on a show or on a profile. */
export interface Comment {
  readonly type: 'comment';
  readonly key: string;
  readonly url: string;
  readonly comment: string;
  readonly submit_date?: Date | undefined;
  readonly user?: User | undefined;
  readonly metadata?: Metadata | undefined;
  readonly [extra: string]: unknown;
}

/** Any other object the API has (feed items, playlists…): its `type` and `key`, the rest as sent. */
export interface OtherObject {
  readonly type: string;
  readonly key?: string | undefined;
  readonly metadata?: Metadata | undefined;
  readonly [extra: string]: unknown;
}
const otherSchema: z.ZodType<OtherObject> = z.looseObject({
  type: z.string(),
  key: text,
  metadata: metadataSchema,
});

/** Whatever a key leads to (`objects.get`): narrow it with {@link isUser}, {@link isCloudcast}… */
export type MixcloudObject = User | Cloudcast | Tag | Comment | OtherObject;

const KNOWN = { user: userSchema, cloudcast: cloudcastSchema, tag: tagSchema, comment: commentSchema };

/** Reads an object by its `type`: a known kind must be complete; an unknown kind is kept as sent. */
export const mixcloudObjectSchema: z.ZodType<MixcloudObject> = z
  .looseObject({ type: z.string() })
  .transform((value, ctx): MixcloudObject => {
    const schema: z.ZodType<MixcloudObject> =
      value.type in KNOWN ? KNOWN[value.type as keyof typeof KNOWN] : otherSchema;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });

const isKind =
  <T extends MixcloudObject>(type: T['type']) =>
  (value: unknown): value is T =>
    typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;

export const isUser = isKind<User>('user');
export const isCloudcast = isKind<Cloudcast>('cloudcast');
export const isTag = isKind<Tag>('tag');
export const isComment = isKind<Comment>('comment');

/** The answer of an action, an upload or an edit. */
export interface ActionResult {
  readonly success: boolean;
  readonly message: string;
  /** Uploads: the new show's key. */
  readonly key?: string | undefined;
  readonly [extra: string]: unknown;
}

const actionResultSchema = z.looseObject({ success: z.boolean(), message: z.string(), key: text });

/** `{result: {…}}` (the result given bare is accepted too). */
export const actionAnswerSchema: z.ZodType<ActionResult> = z.union([
  z.looseObject({ result: actionResultSchema }).transform((body) => body.result),
  actionResultSchema,
]);

/** The widget as JSON (`embeds.json`). */
export interface EmbedJson {
  readonly html: string;
  readonly [extra: string]: unknown;
}
export const embedJsonSchema: z.ZodType<EmbedJson> = z.looseObject({ html: z.string() });

/** An oEmbed answer (type `rich`). */
export interface OEmbed {
  readonly type: string;
  readonly html: string;
  readonly title?: string | undefined;
  readonly author_name?: string | undefined;
  readonly author_url?: string | undefined;
  readonly provider_name?: string | undefined;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly [extra: string]: unknown;
}
export const oembedSchema: z.ZodType<OEmbed> = z.looseObject({
  type: z.string().default('rich'),
  html: z.string(),
  title: text,
  author_name: text,
  author_url: text,
  provider_name: text,
  width: count,
  height: count,
});

/** The token the OAuth code bought. */
export interface OAuthToken {
  readonly accessToken: string;
}
export const tokenAnswerSchema: z.ZodType<OAuthToken> = z
  .looseObject({ access_token: z.string().min(1) })
  .transform((body) => ({ accessToken: body.access_token }));

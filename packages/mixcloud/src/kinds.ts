/**
 * The kinds of Mixcloud objects the API documents (spec §2.3), as types over {@link Resource.data}, with
 * guards. Unknown kinds stay plain Resources: the API grows, the client does not break.
 */
import type { Resource } from './models.js';

export interface Pictures {
  readonly [size: string]: string;
}

export interface UserData {
  readonly type: 'user';
  readonly key: string;
  readonly url: string;
  readonly name: string;
  readonly username: string;
  readonly pictures?: Pictures;
  readonly biog?: string;
  readonly created_time?: Date;
  readonly updated_time?: Date;
  readonly follower_count?: number;
  readonly following_count?: number;
  readonly cloudcast_count?: number;
  readonly favorite_count?: number;
  readonly listen_count?: number;
  readonly is_pro?: boolean;
  readonly is_premium?: boolean;
  readonly city?: string;
  readonly country?: string;
  /** Present with a token: whether you follow this user. */
  readonly following?: boolean;
  readonly [extra: string]: unknown;
}

export interface TagData {
  readonly type: 'tag';
  readonly key: string;
  readonly url: string;
  readonly name: string;
  readonly [extra: string]: unknown;
}

export interface CloudcastData {
  readonly type: 'cloudcast';
  readonly key: string;
  readonly url: string;
  readonly name: string;
  readonly slug: string;
  readonly tags: readonly TagData[];
  readonly created_time: Date;
  readonly updated_time: Date;
  readonly play_count: number;
  readonly favorite_count: number;
  readonly comment_count: number;
  readonly listener_count: number;
  readonly repost_count: number;
  /** Seconds. */
  readonly audio_length: number;
  readonly pictures?: Pictures;
  readonly user?: UserData;
  /** Detail only (after `load()`). */
  readonly description?: string;
  readonly sections?: readonly Record<string, unknown>[];
  readonly [extra: string]: unknown;
}

export interface CommentData {
  readonly type: 'comment';
  readonly key: string;
  readonly url: string;
  readonly comment: string;
  readonly submit_date: Date;
  readonly user?: UserData;
  readonly [extra: string]: unknown;
}

export type UserResource = Resource & { readonly data: UserData };
export type CloudcastResource = Resource & { readonly data: CloudcastData };
export type TagResource = Resource & { readonly data: TagData };
export type CommentResource = Resource & { readonly data: CommentData };

export const isUser = (value: unknown): value is UserResource => isKind(value, 'user');
export const isCloudcast = (value: unknown): value is CloudcastResource => isKind(value, 'cloudcast');
export const isTag = (value: unknown): value is TagResource => isKind(value, 'tag');
export const isComment = (value: unknown): value is CommentResource => isKind(value, 'comment');

function isKind(value: unknown, type: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === type &&
    'data' in value
  );
}

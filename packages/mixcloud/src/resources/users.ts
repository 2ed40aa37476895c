/**
 * `mixcloud.users`: profiles, their lists, and following.
 *
 * @module
 */
import type { APIPromise, CallOptions, Paginator } from '@mediaferry/core';
import { deferred, getJson, type MixcloudContext, requireToken } from '../http.js';
import { userPath } from '../keys.js';
import { type ListParams, listOf, type PageCursor } from '../listing.js';
import {
  type ActionResult,
  type Cloudcast,
  type Comment,
  cloudcastSchema,
  commentSchema,
  type User,
  userSchema,
} from '../models.js';
import { act } from './actions.js';

/** Users: `get`, `me`, their lists (each a paginator), `follow`/`unfollow`. */
export class Users {
  readonly #context: MixcloudContext;

  /** @hidden Mounted by `MixcloudClient`. */
  constructor(context: MixcloudContext) {
    this.#context = context;
  }

  /** A user's profile (counts, biography, `metadata.connections`…). */
  get(username: string, options?: CallOptions): APIPromise<User> {
    return deferred(() => getJson(this.#context, userPath(username), userSchema, 'user', options));
  }

  /** The token's owner. Needs a token. */
  me(options?: CallOptions): APIPromise<User> {
    return deferred(() => {
      requireToken(this.#context, 'users.me');
      return getJson(this.#context, '/me/', userSchema, 'me', options);
    });
  }

  /** The user's shows, newest first. */
  cloudcasts(username: string, params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return this.#list(username, 'cloudcasts', cloudcastSchema, params, options);
  }

  /** The shows the user favorited. */
  favorites(username: string, params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return this.#list(username, 'favorites', cloudcastSchema, params, options);
  }

  /** The shows the user listened to. */
  listens(username: string, params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return this.#list(username, 'listens', cloudcastSchema, params, options);
  }

  /** Who follows the user. */
  followers(username: string, params?: ListParams, options?: CallOptions): Paginator<User, PageCursor> {
    return this.#list(username, 'followers', userSchema, params, options);
  }

  /** Whom the user follows. */
  following(username: string, params?: ListParams, options?: CallOptions): Paginator<User, PageCursor> {
    return this.#list(username, 'following', userSchema, params, options);
  }

  /** Comments on the user's profile. */
  comments(username: string, params?: ListParams, options?: CallOptions): Paginator<Comment, PageCursor> {
    return this.#list(username, 'comments', commentSchema, params, options);
  }

  /** Follows the user. Needs a token. */
  follow(username: string, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => userPath(username), 'follow', 'POST', options);
  }

  /** Stops following the user. Needs a token. */
  unfollow(username: string, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => userPath(username), 'follow', 'DELETE', options);
  }

  #list<T>(
    username: string,
    connection: string,
    schema: import('zod').ZodType<T>,
    params?: ListParams,
    options?: CallOptions,
  ): Paginator<T, PageCursor> {
    const path = `${userPath(username)}${connection}/`;
    return listOf(this.#context, path, schema, `user_${connection}`, params, options);
  }
}

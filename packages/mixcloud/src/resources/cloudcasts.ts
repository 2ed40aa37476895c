/**
 * `mixcloud.cloudcasts`: shows, their lists, actions on them, upload and edit.
 *
 * @module
 */
import type { APIPromise, CallOptions, Paginator, Transfer, TransferOptions } from '@mediaferry/core';
import type { ZodType } from 'zod';
import { deferred, getJson, type MixcloudContext, prepared, requireToken } from '../http.js';
import { type CloudcastRef, cloudcastPath } from '../keys.js';
import { type ListParams, listOf, type PageCursor } from '../listing.js';
import {
  type ActionResult,
  actionAnswerSchema,
  type Cloudcast,
  type Comment,
  cloudcastSchema,
  commentSchema,
  type User,
  userSchema,
} from '../models.js';
import { act } from './actions.js';
import { type EditParams, editRequest, type UploadParams, uploadShow } from './upload.js';

/** Shows: `get`, `upload`, `edit`, the actions, and their lists. */
export class Cloudcasts {
  readonly #context: MixcloudContext;

  /** @hidden Mounted by `MixcloudClient`. */
  constructor(context: MixcloudContext) {
    this.#context = context;
  }

  /** A show, with its description, sections and `metadata.connections`. */
  get(ref: CloudcastRef, options?: CallOptions): APIPromise<Cloudcast> {
    return deferred(() => getJson(this.#context, cloudcastPath(ref), cloudcastSchema, 'cloudcast', options));
  }

  /**
   * Uploads a show: one multipart POST, the mp3 streamed from its source (a string is a path), with its
   * fields. Resolves with the new show's key. Progress is monotonic across retries; `abort()` stops it.
   */
  upload(params: UploadParams, options?: TransferOptions): Transfer<ActionResult> {
    return uploadShow(this.#context, params, options);
  }

  /** Changes a show's fields. Tags, sections and hosts given replace the old ones. Needs a token. */
  edit(params: EditParams, options?: CallOptions): APIPromise<ActionResult> {
    return prepared(async () => {
      const request = await editRequest(params, options);
      requireToken(this.#context, 'cloudcasts.edit');
      return this.#context.http.call({ ...request, schema: actionAnswerSchema }).withResponse();
    });
  }

  /** Favorites the show. Needs a token. */
  favorite(ref: CloudcastRef, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => cloudcastPath(ref), 'favorite', 'POST', options);
  }

  unfavorite(ref: CloudcastRef, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => cloudcastPath(ref), 'favorite', 'DELETE', options);
  }

  /** Reposts the show. Needs a token. */
  repost(ref: CloudcastRef, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => cloudcastPath(ref), 'repost', 'POST', options);
  }

  unrepost(ref: CloudcastRef, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => cloudcastPath(ref), 'repost', 'DELETE', options);
  }

  /** Adds the show to your listen-later list. Needs a token. */
  listenLater(ref: CloudcastRef, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => cloudcastPath(ref), 'listen-later', 'POST', options);
  }

  unlistenLater(ref: CloudcastRef, options?: CallOptions): APIPromise<ActionResult> {
    return act(this.#context, () => cloudcastPath(ref), 'listen-later', 'DELETE', options);
  }

  /** Comments on the show. */
  comments(ref: CloudcastRef, params?: ListParams, options?: CallOptions): Paginator<Comment, PageCursor> {
    return this.#list(ref, 'comments', commentSchema, params, options);
  }

  /** Who favorited the show. */
  favorites(ref: CloudcastRef, params?: ListParams, options?: CallOptions): Paginator<User, PageCursor> {
    return this.#list(ref, 'favorites', userSchema, params, options);
  }

  /** Who listened to the show. */
  listeners(ref: CloudcastRef, params?: ListParams, options?: CallOptions): Paginator<User, PageCursor> {
    return this.#list(ref, 'listeners', userSchema, params, options);
  }

  /** Shows like this one. */
  similar(ref: CloudcastRef, params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return this.#list(ref, 'similar', cloudcastSchema, params, options);
  }

  #list<T>(
    ref: CloudcastRef,
    connection: string,
    schema: ZodType<T>,
    params?: ListParams,
    options?: CallOptions,
  ): Paginator<T, PageCursor> {
    return listOf(
      this.#context,
      `${cloudcastPath(ref)}${connection}/`,
      schema,
      `cloudcast_${connection}`,
      params,
      options,
    );
  }
}

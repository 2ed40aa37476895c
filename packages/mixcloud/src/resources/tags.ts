/**
 * `mixcloud.tags` and `mixcloud.discover`: tags and the site-wide lists.
 *
 * @module
 */
import { type APIPromise, type CallOptions, InvalidInputError, type Paginator } from '@mediaferry/core';
import { deferred, getJson, type MixcloudContext } from '../http.js';
import { keySegments } from '../keys.js';
import { type ListParams, listOf, type PageCursor } from '../listing.js';
import { type Cloudcast, cloudcastSchema, type Tag, tagSchema } from '../models.js';

/**
 * A tag's path: a tag name (`jazz` → `/discover/jazz/`, the keys aiomixcloud and most data use) or a tag's
 * key as the API gave it (`/discover/jazz/`, `/genres/jazz/`).
 */
function tagPath(tag: string): string {
  const segments = keySegments(tag, 'tag');
  if (segments.length === 1) return `/discover/${encodeURIComponent(segments[0] ?? '')}/`;
  if (segments.length === 2 && (segments[0] === 'discover' || segments[0] === 'genres'))
    return `/${segments.map(encodeURIComponent).join('/')}/`;
  throw new InvalidInputError('tag', `"${tag}" is not a tag: expected a name or /discover/<tag>/`);
}

/** Tags: `get`, and their `popular` and `latest` shows. */
export class Tags {
  readonly #context: MixcloudContext;

  /** @hidden Mounted by `MixcloudClient`. */
  constructor(context: MixcloudContext) {
    this.#context = context;
  }

  /** A tag (`jazz` → "Jazz shows"). */
  get(tag: string, options?: CallOptions): APIPromise<Tag> {
    return deferred(() => getJson(this.#context, tagPath(tag), tagSchema, 'tag', options));
  }

  /** The tag's most popular shows. */
  popular(tag: string, params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return listOf(this.#context, `${tagPath(tag)}popular/`, cloudcastSchema, 'tag_popular', params, options);
  }

  /** The tag's newest shows. */
  latest(tag: string, params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return listOf(this.#context, `${tagPath(tag)}latest/`, cloudcastSchema, 'tag_latest', params, options);
  }
}

/** The site-wide lists. */
export class Discover {
  readonly #context: MixcloudContext;

  /** @hidden Mounted by `MixcloudClient`. */
  constructor(context: MixcloudContext) {
    this.#context = context;
  }

  /** The most popular shows. */
  popular(params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return listOf(this.#context, '/popular/', cloudcastSchema, 'popular', params, options);
  }

  /** The shows rising fastest. */
  hot(params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return listOf(this.#context, '/popular/hot/', cloudcastSchema, 'hot', params, options);
  }

  /** The newest shows. */
  new(params?: ListParams, options?: CallOptions): Paginator<Cloudcast, PageCursor> {
    return listOf(this.#context, '/new/', cloudcastSchema, 'new', params, options);
  }
}

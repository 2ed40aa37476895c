/**
 * `mixcloud.objects`: anything by its key, for the objects the typed resources do not name (feeds, playlists,
 * cities, a kind the API adds tomorrow). Results are {@link MixcloudObject}s: narrow them with the guards.
 *
 * @module
 */
import type { APIPromise, CallOptions, Paginator } from '@mediaferry/core';
import { z } from 'zod';
import { deferred, getJson, type MixcloudContext } from '../http.js';
import { keyPath } from '../keys.js';
import { type ListPage, type ListParams, listOf, type PageCursor, pageSchema } from '../listing.js';
import { type MixcloudObject, mixcloudObjectSchema } from '../models.js';

/** What a key names: an object, or (for a list) its first page. Narrow it with `if (found.list)`. */
export type Found =
  | { readonly object: MixcloudObject; readonly list?: undefined }
  | { readonly list: ListPage<MixcloudObject>; readonly object?: undefined };

const foundSchema: z.ZodType<Found> = z.union([
  pageSchema(mixcloudObjectSchema).transform((list) => ({ list })),
  mixcloudObjectSchema.transform((object) => ({ object })),
]);

/** Any object or list by its key. */
export class Objects {
  readonly #context: MixcloudContext;

  /** @hidden Mounted by `MixcloudClient`. */
  constructor(context: MixcloudContext) {
    this.#context = context;
  }

  /** The object at `key` (`'bob'`, `'bob/a-mix'`, `'/discover/jazz/'`, `'bob/playlists/x'`…). */
  get(key: string, options?: CallOptions): APIPromise<MixcloudObject> {
    return deferred(() => getJson(this.#context, keyPath(key), mixcloudObjectSchema, 'object', options));
  }

  /** Whatever `key` names, in one request: an object, or the first page of a list (a CLI's `get`). */
  find(key: string, options?: CallOptions): APIPromise<Found> {
    return deferred(() => getJson(this.#context, keyPath(key), foundSchema, 'find', options));
  }

  /** The list at `key` (`'bob/feed'`, `'bob/playlists'`…), every page. */
  list(key: string, params?: ListParams, options?: CallOptions): Paginator<MixcloudObject, PageCursor> {
    return listOf(this.#context, keyPath(key), mixcloudObjectSchema, 'list', params, options);
  }
}

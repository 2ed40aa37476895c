/**
 * The types the models and the `Mixcloud` class share (kept apart so the two files do not import each
 * other's values).
 *
 * @module
 */
import type { CallOptions, QueryValue } from '@mediaferry/core';
import type { Resource, ResourceList } from './resources.js';

/** `Resource`'s options (the seed's keyword arguments). */
export interface ResourceOptions {
  /** Whether the whole object was downloaded (its detail page). Default false. */
  readonly full?: boolean | undefined;
  /** Whether connection methods are made (when full). Default true. */
  readonly createConnections?: boolean | undefined;
  readonly mixcloud: MixcloudLike;
}

/** A class for resources (`resourceClass`): `Resource` or a subclass. */
export type ResourceClass = new (data: Record<string, unknown>, options: ResourceOptions) => Resource;

/** A class for resource lists (`resourceListClass`): `ResourceList` or a subclass. */
export type ResourceListClass = new (
  data: Record<string, unknown>,
  options: { readonly mixcloud: MixcloudLike },
) => ResourceList;

/** `get`'s options (the seed's keyword arguments, and a call's options). */
export interface GetOptions extends CallOptions {
  /** True (default): `url` is a key under the API root; false: an absolute URL (paging, connections). */
  readonly relative?: boolean | undefined;
  /** Whether a resource gets its connection methods. Default true. */
  readonly createConnections?: boolean | undefined;
  /** Query parameters (the seed's `**params`). */
  readonly params?: Readonly<Record<string, QueryValue>> | undefined;
}

/** What the models need of the `Mixcloud` object they belong to. */
export interface MixcloudLike {
  readonly resourceClass: ResourceClass;
  readonly resourceListClass: ResourceListClass;
  get(url: string, options?: GetOptions): Promise<unknown>;
}

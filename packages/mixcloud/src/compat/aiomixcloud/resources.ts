/**
 * aiomixcloud's `Resource` and `ResourceList`. A resource is an `AccessDict` with a `type`: once full (its
 * detail page loaded), each of its `metadata.connections` is a method (`bob.followers({ limit: 5 })`, `-`
 * written `_`), and it mirrors the targeting methods of its `Mixcloud` (`bob.follow()`, `mix.embedHtml()`),
 * its key bound as their first argument. A resource list is an `AccessDict` whose `data` item is the list:
 * indexing falls back to it, iterating and `length` go over it, `next()`/`previous()` page.
 *
 * @module
 */
import { inspect } from 'node:util';
import { type CallOptions, type ListingOptions, Paginator, ResponseValidationError } from '@mediaferry/core';
import { AccessDict, AccessList, LOOKUP, STATE, wrap } from './access.js';
import { isTargeting, type Pagination, paginationParams } from './decorators.js';
import type { MixcloudLike, ResourceOptions } from './model-types.js';

type Connection = (options?: Pagination & CallOptions) => Promise<unknown>;

interface ResourceState {
  data: Record<string, unknown>;
  readonly mixcloud: MixcloudLike;
  full: boolean;
  connections: Map<string, Connection>;
}

/** `metadata.connections` as methods, `-` written `_`; each takes the paginated arguments. */
function connectionsOf(resource: Resource): Map<string, Connection> {
  const state = resource[STATE] as ResourceState;
  const metadata = state.data.metadata;
  const urls =
    metadata && typeof metadata === 'object'
      ? (metadata as { connections?: unknown }).connections
      : undefined;
  const methods = new Map<string, Connection>();
  if (!urls || typeof urls !== 'object') return methods;
  for (const [name, url] of Object.entries(urls)) {
    if (typeof url !== 'string') continue;
    methods.set(name.replace(/-/g, '_'), (options = {}) => {
      const { params, extra } = paginationParams(options);
      return state.mixcloud.get(url, { ...extra, relative: false, params: { ...params } });
    });
  }
  return methods;
}

/** A Mixcloud object (user, cloudcast, tag, comment, or any other kind). */
export class Resource extends AccessDict {
  constructor(data: Record<string, unknown>, options: ResourceOptions) {
    super(data, options);
    const state: ResourceState = {
      data: this.data,
      mixcloud: options.mixcloud,
      full: options.full ?? false,
      connections: new Map(),
    };
    Object.defineProperty(this, STATE, { value: state, writable: true, configurable: true });
    if (state.full && (options.createConnections ?? true)) state.connections = connectionsOf(this);
  }

  /** Whether the whole object has been downloaded (its detail page), rather than a list's summary of it. */
  get full(): boolean {
    return (this[STATE] as ResourceState).full;
  }

  /** @hidden */
  override [LOOKUP](name: string): unknown {
    const state = this[STATE] as ResourceState;
    const connection = state.connections.get(name);
    if (connection) return connection;
    if (Object.hasOwn(state.data, name)) return wrap(state.mixcloud, state.data[name]);
    // The seed's targeting: a method of the Mixcloud object, with this resource's key first.
    const method: unknown = Reflect.get(state.mixcloud, name);
    if (isTargeting(method))
      return (...args: unknown[]) => method.call(state.mixcloud, String(state.data.key), ...args);
    return undefined;
  }

  /**
   * Downloads the whole object (its detail page) unless it is full already (or `force`), merges it in and
   * makes its connection methods. Returns this resource, for chaining.
   */
  async load(options: CallOptions & { readonly force?: boolean | undefined } = {}): Promise<this> {
    const { force = false, ...call } = options;
    const state = this[STATE] as ResourceState;
    if (state.full && !force) return this;
    const fresh = await state.mixcloud.get(String(state.data.key), { ...call, createConnections: false });
    const data = fresh instanceof AccessDict ? fresh.data : {};
    if ('error' in data) return this;
    state.data = Object.assign(state.data, data);
    state.connections = connectionsOf(this);
    state.full = true;
    return this;
  }

  /** `<Resource: User '/bob/'>`. */
  override toString(): string {
    const type = String(this.data.type)
      .replace(/_/g, ' ')
      .replace(/\b\w/g, (c) => c.toUpperCase());
    return `<Resource: ${type} '${String(this.data.key)}'>`;
  }

  override [inspect.custom](): string {
    return this.toString();
  }
}

/** The `paging.next`/`paging.previous` link of a page, or undefined; anything but an http(s) URL is refused. */
function pagingLink(page: ResourceList, where: 'next' | 'previous'): string | undefined {
  const paging = page.data.paging;
  if (!paging || typeof paging !== 'object') return undefined;
  const link = (paging as Record<string, unknown>)[where];
  if (link === undefined || link === null) return undefined;
  if (typeof link === 'string' && /^https?:\/\/\S+$/i.test(link)) return link;
  throw new ResponseValidationError(`mixcloud list: paging.${where} is not an http(s) URL`, [
    { path: `paging.${where}`, message: 'not an absolute http(s) URL' },
  ]);
}

/** The items of a page's `data`, as an `AccessList`. */
function itemsOf(page: ResourceList): AccessList {
  const list = page.data.data;
  return new AccessList(Array.isArray(list) ? list : [], { mixcloud: page.mixcloud });
}

/** A page of a list: its `data` items, `paging` links and `name`. */
export class ResourceList extends AccessDict implements Iterable<unknown> {
  /** @hidden */
  override [LOOKUP](name: string): unknown {
    if (Object.hasOwn(this.data, name)) return wrap(this.mixcloud, this.data[name]);
    return itemsOf(this)[name];
  }

  /** Items of `data` by index or key (the list's own items, such as `name`, first). */
  override item(key: string | number): unknown {
    if (typeof key === 'string' && Object.hasOwn(this.data, key)) return wrap(this.mixcloud, this.data[key]);
    return itemsOf(this).item(key);
  }

  /** How many items this page has. */
  get length(): number {
    return itemsOf(this).length;
  }

  override [Symbol.iterator](): Iterator<unknown> {
    return itemsOf(this)[Symbol.iterator]();
  }

  /** The next page (a `ResourceList`), or undefined on the last one. */
  async next(options: CallOptions = {}): Promise<unknown> {
    const link = pagingLink(this, 'next');
    return link === undefined ? undefined : this.mixcloud.get(link, { ...options, relative: false });
  }

  /** The previous page, or undefined on the first one. */
  async previous(options: CallOptions = {}): Promise<unknown> {
    const link = pagingLink(this, 'previous');
    return link === undefined ? undefined : this.mixcloud.get(link, { ...options, relative: false });
  }

  /**
   * Every item of this page and of the following ones, fetched as the loop reaches them (not in the seed). A
   * `next` link seen before, or a list past `maxPages`/`maxItems`, is a `PaginationError`, never a silent end.
   */
  all(options: CallOptions & ListingOptions = {}): Paginator<unknown, string> {
    const { maxPages, maxItems, ...call } = options;
    return new Paginator<unknown, string>(
      '',
      async (cursor, signal) => {
        const page =
          cursor === '' ? this : await this.mixcloud.get(cursor, { ...call, signal, relative: false });
        if (!(page instanceof ResourceList))
          throw new ResponseValidationError(
            'mixcloud list: a paging.next link led to something else than a list',
            [{ path: 'paging.next', message: 'not a list' }],
          );
        return { items: [...page], next: pagingLink(page, 'next') ?? null };
      },
      { signal: call.signal, maxPages, maxItems },
    );
  }

  /** `<ResourceList "Bob's followers">`. */
  override toString(): string {
    return typeof this.data.name === 'string' ? `<ResourceList "${this.data.name}">` : '<ResourceList>';
  }

  override [inspect.custom](): string {
    return this.toString();
  }
}

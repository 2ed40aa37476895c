/**
 * aiomixcloud's models, schema-agnostic by design: any object with a `type` is a {@link Resource}; a body
 * with `data` is a {@link ResourceList}. Connections come from `metadata.connections`.
 */
import { type CallOptions, InvalidInputError, type ListingOptions } from '@mediaferry/core';
import { type Pagination, pagesOf, pagingLink } from './pagination.js';

/** What models need from the client (kept narrow so the two files do not import each other's classes). */
export interface MixcloudLike {
  get(
    url: string,
    options?: {
      relative?: boolean;
      createConnections?: boolean;
      params?: Record<string, string | number>;
    } & CallOptions,
  ): Promise<Resource | ResourceList | Record<string, unknown>>;
  getList(url: string, pagination?: Pagination, options?: CallOptions): Promise<ResourceList>;
  readonly targeting: Readonly<Record<string, (key: string, ...args: never[]) => Promise<unknown>>>;
}

/** `/x/` form of a key: a missing leading or trailing slash is added (aiomixcloud's AccessList rule). */
export function normalizeKey(key: string): string {
  return `/${key.replace(/^\/+|\/+$/g, '')}/`;
}

export type Json = Record<string, unknown>;

/** Wraps nested values: objects with a `type` become Resources. */
function wrap(client: MixcloudLike, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => wrap(client, item));
  if (
    value &&
    typeof value === 'object' &&
    !(value instanceof Date) &&
    typeof (value as Json).type === 'string'
  )
    return new Resource(client, value as Json, false, false);
  return value;
}

/** A Mixcloud object (user, cloudcast, tag, comment…). */
export class Resource {
  #data: Json;
  #full: boolean;
  readonly #client: MixcloudLike;

  constructor(client: MixcloudLike, data: Json, full: boolean, createConnections = true) {
    this.#client = client;
    this.#data = data;
    this.#full = full && createConnections;
  }

  /** The raw JSON (dates revived). */
  get data(): Json {
    return this.#data;
  }

  get type(): string {
    return String(this.#data.type);
  }

  get key(): string {
    return String(this.#data.key ?? '');
  }

  /** Whether this is a detail object (with connections) rather than a list item. */
  get full(): boolean {
    return this.#full;
  }

  /** A field; nested objects with a `type` come back as Resources. */
  get(field: string): unknown {
    return wrap(this.#client, this.#data[field]);
  }

  /** Names of the connections (`cloudcasts`, `followers`, `listen_later`…), `-` written `_`. */
  get connections(): string[] {
    if (!this.#full) return [];
    return Object.keys(this.#connectionUrls()).map((name) => name.replace(/-/g, '_'));
  }

  #connectionUrls(): Record<string, string> {
    return (
      ((this.#data.metadata as Json | undefined)?.connections as Record<string, string> | undefined) ?? {}
    );
  }

  /** Follows a connection, e.g. `bob.connection('followers', { limit: 50 })`. */
  connection(name: string, pagination: Pagination = {}, options: CallOptions = {}): Promise<ResourceList> {
    // A resource of a kind this library has never heard of works the same: its connections are data.
    const urls = this.#connectionUrls();
    const url = urls[name] ?? urls[name.replace(/_/g, '-')];
    if (!this.#full || url === undefined)
      throw new InvalidInputError(
        'name',
        `${this.type} ${this.key} has no connection ${name}${this.#full ? '' : ' (load() it first)'}`,
      );
    if (typeof url !== 'string')
      throw new InvalidInputError('name', `connection ${name} of ${this.key} is not a URL`);
    // The link came from the server: the client sends the token with it only if it is the API's own origin.
    return this.#client.getList(url, pagination, options);
  }

  /** Typed shortcuts for the usual connections. */
  cloudcasts = (pagination?: Pagination, options?: CallOptions) =>
    this.connection('cloudcasts', pagination, options);
  followers = (pagination?: Pagination, options?: CallOptions) =>
    this.connection('followers', pagination, options);
  following = (pagination?: Pagination, options?: CallOptions) =>
    this.connection('following', pagination, options);
  favorites = (pagination?: Pagination, options?: CallOptions) =>
    this.connection('favorites', pagination, options);
  comments = (pagination?: Pagination, options?: CallOptions) =>
    this.connection('comments', pagination, options);
  listens = (pagination?: Pagination, options?: CallOptions) =>
    this.connection('listens', pagination, options);

  /** Fetches the full object (with description, connections…) unless already full; returns this. */
  async load(options: CallOptions & { force?: boolean } = {}): Promise<this> {
    const { force = false, ...call } = options;
    if (this.#full && !force) return this;
    const fresh = await this.#client.get(this.key, { ...call, createConnections: false });
    this.#data = { ...this.#data, ...(fresh instanceof Resource ? fresh.data : (fresh as Json)) };
    this.#full = true;
    return this;
  }

  /** A targeting method of the client (follow, favorite, embedJson, edit…) bound to this resource's key. */
  act<K extends string>(method: K, ...args: unknown[]): Promise<unknown> {
    const fn = this.#client.targeting[method];
    if (!fn) throw new InvalidInputError('method', `no targeting method ${method}`);
    return (fn as (key: string, ...rest: unknown[]) => Promise<unknown>)(this.key, ...args);
  }

  toString(): string {
    const type = this.type.replace(/_/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
    return `<Resource: ${type} '${this.key}'>`;
  }

  toJSON(): Json {
    return this.#data;
  }
}

/** A page of a list, with `next()`/`previous()` and lookup by index or key. */
export class ResourceList implements Iterable<unknown> {
  readonly #client: MixcloudLike;
  readonly #data: Json;

  constructor(client: MixcloudLike, data: Json) {
    this.#client = client;
    this.#data = data;
  }

  /** The raw body (`data`, `paging`, `name`). */
  get data(): Json {
    return this.#data;
  }

  get name(): string | undefined {
    return typeof this.#data.name === 'string' ? this.#data.name : undefined;
  }

  /** The items, wrapped. */
  get items(): unknown[] {
    return this.#rows().map((item) => wrap(this.#client, item));
  }

  get length(): number {
    return this.#rows().length;
  }

  #rows(): unknown[] {
    return Array.isArray(this.#data.data) ? this.#data.data : [];
  }

  [Symbol.iterator](): Iterator<unknown> {
    return this.items[Symbol.iterator]();
  }

  /** By index (`at(1)`), or by key (`at('user/slug')`, slashes optional). */
  at(index: number | string): unknown {
    const items = this.items;
    if (typeof index === 'number') {
      if (!Number.isInteger(index) || index < 0 || index >= items.length)
        throw new InvalidInputError('index', `${index} is out of range (${items.length} items)`);
      return items[index];
    }
    const key = normalizeKey(index);
    const found = items.find((item) => item instanceof Resource && item.key === key);
    if (!found) throw new InvalidInputError('index', `no item with key ${key}`);
    return found;
  }

  async #page(where: 'next' | 'previous', options: CallOptions): Promise<ResourceList | undefined> {
    const url = pagingLink(this, where);
    return url === undefined ? undefined : this.#client.getList(url, {}, options);
  }

  /** The next page, or undefined on the last one. */
  next(options: CallOptions = {}): Promise<ResourceList | undefined> {
    return this.#page('next', options);
  }

  previous(options: CallOptions = {}): Promise<ResourceList | undefined> {
    return this.#page('previous', options);
  }

  /**
   * Every item of this page and the following ones (fetched as the iteration reaches them). A `next` link
   * seen before, or a list past `maxPages`/`maxItems`, throws `PaginationError` instead of looping.
   */
  async *all(options: CallOptions & ListingOptions = {}): AsyncGenerator<unknown> {
    const { maxPages, maxItems, ...call } = options;
    yield* pagesOf(
      '',
      (url, signal) => this.#client.getList(url, {}, { ...call, signal }),
      { signal: call.signal, maxPages, maxItems },
      this,
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this.all();
  }

  toString(): string {
    return this.name ? `<ResourceList "${this.name}">` : '<ResourceList>';
  }
}

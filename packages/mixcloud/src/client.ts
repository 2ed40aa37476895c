import {
  appendQuery,
  BaseClient,
  type CallOptions,
  type ClientOptions,
  delayFor,
  InvalidInputError,
  type ListingOptions,
  type MultipartPart,
  type Paginator,
  type ProgressListener,
  QueryTokenAuth,
  type ServiceProfile,
  type TransferOptions,
  toBodySource,
  type UploadSource,
} from '@mediaferry/core';
import { type DateInput, formatDatetime } from './datetime.js';
import { MixcloudError, parseMixcloudError } from './errors.js';
import { type Json, type MixcloudLike, normalizeKey, Resource, ResourceList } from './models.js';
import { type Pagination, pagesOf, paginationQuery } from './pagination.js';
import {
  type ActionResult,
  actionAnswerSchema,
  jsonObjectSchema,
  oembedSchema,
  revive,
} from './responses.js';

export const API_ROOT = 'https://api.mixcloud.com';
export const MIXCLOUD_ROOT = 'https://www.mixcloud.com';
export const OEMBED_ROOT = 'https://www.mixcloud.com/oembed';
export const MP3_MAX_SIZE = 4_294_967_296;
export const PICTURE_MAX_SIZE = 10_485_760;
export const DESCRIPTION_MAX_SIZE = 1000;
export const TAG_MAX_COUNT = 5;

const profile: ServiceProfile = {
  name: 'mixcloud',
  userAgent: 'mediaferry-mixcloud/0.1.0',
  parseError: parseMixcloudError,
  // Mixcloud's rule, not HTTP's: a body with `error` is an error whatever the status.
  successBodyError: (body) =>
    body && typeof body === 'object' && 'error' in body ? parseMixcloudError(body) : undefined,
  createError: (init) => {
    const error = new MixcloudError(init);
    // Mixcloud signals rate limits with 403; they are rate limits all the same.
    if (init.code === 'RateLimitException') error.addKind('RateLimitError');
    return error;
  },
  // A rate limit says how long to wait: wait (bounded by the core, like every wait), then try again; a 403
  // is otherwise final.
  retryHook: (context, fallback) => {
    const error = context.error;
    if (error instanceof MixcloudError && error.code === 'RateLimitException')
      return delayFor(error, context.attempt, context.options, 'rate limited');
    return fallback;
  },
  // Tokens do not expire on a schedule; an invalid one cannot be refreshed.
  isAuthRejection: () => false,
};

export interface MixcloudOptions extends ClientOptions {
  /**
   * Default true: errors throw {@link MixcloudError}. False keeps aiomixcloud's default: an error comes back as
   * its body (`{error: {type, message}}`) instead of throwing.
   */
  readonly raiseExceptions?: boolean;
  readonly apiRoot?: string;
  readonly accessToken?: string;
  readonly mixcloudRoot?: string;
  readonly oembedRoot?: string;
}

/** Widget display options (aiomixcloud's `displayed`). */
export interface Display {
  readonly width?: number;
  readonly height?: number;
  /** 6 hex digits, no `#`. */
  readonly color?: string;
}

export interface Section {
  readonly chapter?: string;
  readonly artist?: string;
  readonly song?: string;
  /** Seconds from the start. */
  readonly start_time?: number;
}

export interface UploadFields {
  readonly picture?: UploadSource;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly publishDate?: DateInput;
  readonly disableComments?: boolean;
  readonly hideStats?: boolean;
  readonly unlisted?: boolean;
  readonly sections?: readonly Section[];
}

const trimKey = (key: string) => key.replace(/^\/+|\/+$/g, '');

/**
 * Mixcloud API client (aiomixcloud parity): resources and lists, connections, discover/popular/hot/new/search,
 * actions, upload and edit, embeds and oEmbed. Errors throw {@link MixcloudError} (with `retryAfterMs` on rate
 * limits); the access token travels as `access_token` and is redacted from every log and error.
 */
export class Mixcloud implements MixcloudLike {
  readonly #http: BaseClient;
  readonly #apiRoot: string;
  readonly #mixcloudRoot: string;
  readonly #oembedRoot: string;
  readonly #accessToken: string | undefined;
  readonly #raise: boolean;

  /** With `raiseExceptions: false`, a service error is returned as its body instead of thrown. */
  async #maybe<T>(call: Promise<T>): Promise<T> {
    if (this.#raise) return call;
    try {
      return await call;
    } catch (error) {
      if (error instanceof MixcloudError && error.body && typeof error.body === 'object')
        return error.body as T;
      throw error;
    }
  }

  constructor(options: MixcloudOptions = {}) {
    const {
      apiRoot = API_ROOT,
      accessToken,
      mixcloudRoot = MIXCLOUD_ROOT,
      oembedRoot = OEMBED_ROOT,
      raiseExceptions = true,
      ...clientOptions
    } = options;
    this.#raise = raiseExceptions;
    this.#apiRoot = apiRoot.replace(/\/+$/, '');
    this.#mixcloudRoot = mixcloudRoot.replace(/\/+$/, '');
    this.#oembedRoot = oembedRoot.replace(/\/+$/, '');
    this.#accessToken = accessToken;
    this.#http = new BaseClient(
      { baseUrl: this.#apiRoot, ...clientOptions },
      profile,
      accessToken ? new QueryTokenAuth('access_token', accessToken) : undefined,
    );
  }

  /** Nothing to release; kept for aiomixcloud parity and `await using`. */
  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {}

  #personal(): void {
    if (!this.#accessToken) throw new InvalidInputError('accessToken', 'access_token must be set');
  }

  /** An API path for a key, always with the trailing slash Mixcloud redirects to. */
  #path(key: string): string {
    const trimmed = trimKey(key);
    return trimmed === '' ? '/' : `/${trimmed}/`;
  }

  /**
   * Any API object or list: relative keys (`'bob'`, `'bob/cloudcasts'`) or absolute URLs (paging and
   * connection links). Always asks for `metadata=1`. The access token goes to the API origin only: an
   * absolute URL elsewhere (a link a server handed out) is fetched without it.
   */
  async get(
    url: string,
    options: {
      relative?: boolean;
      createConnections?: boolean;
      params?: Record<string, string | number>;
    } & CallOptions = {},
  ): Promise<Resource | ResourceList | Json> {
    const { relative = true, createConnections = true, params = {}, ...call } = options;
    if (!relative && !/^https?:\/\//i.test(url))
      throw new InvalidInputError('url', 'must be an absolute http(s) URL when relative is false');
    const body = await this.#maybe(
      this.#http.request({
        ...call,
        path: relative ? this.#path(url) : url,
        endpoint: 'get',
        query: { ...params, metadata: 1 },
        schema: jsonObjectSchema,
      }),
    );
    const data = revive(body, 'get');
    if (Array.isArray(data.data)) return new ResourceList(this, data);
    if (typeof data.type === 'string') return new Resource(this, data, true, createConnections);
    return data;
  }

  /** Like {@link get}, for lists. */
  async getList(url: string, pagination: Pagination = {}, options: CallOptions = {}): Promise<ResourceList> {
    const result = await this.get(url, {
      ...options,
      relative: !/^https?:\/\//.test(url),
      params: paginationQuery(pagination) as Record<string, number>,
    });
    if (!(result instanceof ResourceList)) throw new InvalidInputError('url', `${url} is not a list`);
    return result;
  }

  /**
   * Every item of a list, page after page (following `paging.next`). A `next` link seen before (a loop) or a
   * list past `maxPages`/`maxItems` throws `PaginationError`, never a silent end.
   */
  listAll(
    url: string,
    pagination: Pagination = {},
    options: CallOptions & ListingOptions = {},
  ): Paginator<unknown, string> {
    const { maxPages, maxItems, ...call } = options;
    // The first page by its absolute URL, so a server linking back to it is seen as the loop it is.
    const first = /^https?:\/\//i.test(url)
      ? url
      : appendQuery(new URL(`${this.#apiRoot}${this.#path(url)}`), paginationQuery(pagination)).toString();
    return pagesOf(
      first,
      (next, signal) =>
        next === first
          ? this.getList(url, pagination, { ...call, signal })
          : this.getList(next, {}, { ...call, signal }),
      { signal: call.signal, maxPages, maxItems },
    );
  }

  /** The token owner. */
  async me(options: CallOptions = {}): Promise<Resource> {
    this.#personal();
    return (await this.get('me', options)) as Resource;
  }

  /** A tag (`/discover/<tag>/`). */
  async discover(tag: string, options: CallOptions = {}): Promise<Resource> {
    if (!tag) throw new InvalidInputError('tag', 'must not be empty');
    return (await this.get(`discover/${encodeURIComponent(tag)}`, options)) as Resource;
  }

  popular(pagination: Pagination = {}, options: CallOptions = {}): Promise<ResourceList> {
    return this.getList('popular', pagination, options);
  }

  hot(pagination: Pagination = {}, options: CallOptions = {}): Promise<ResourceList> {
    return this.getList('popular/hot', pagination, options);
  }

  /** aiomixcloud's `new()`. */
  new(pagination: Pagination = {}, options: CallOptions = {}): Promise<ResourceList> {
    return this.getList('new', pagination, options);
  }

  /** `type`: `cloudcast` (default), `user` or `tag`. */
  async search(
    query: string,
    options: Pagination & CallOptions & { type?: 'cloudcast' | 'user' | 'tag' } = {},
  ): Promise<ResourceList> {
    if (!query) throw new InvalidInputError('query', 'must not be empty');
    const { type = 'cloudcast', offset, limit, since, until, page, perPage, ...call } = options;
    const pagination = Object.fromEntries(
      Object.entries({ offset, limit, since, until, page, perPage }).filter(([, v]) => v !== undefined),
    ) as Pagination;
    const result = await this.get('search', {
      ...call,
      params: { q: query, type, ...(paginationQuery(pagination) as Record<string, number>) },
    });
    return result as ResourceList;
  }

  async #action(
    key: string,
    action: string,
    method: 'POST' | 'DELETE',
    options: CallOptions,
  ): Promise<ActionResult> {
    this.#personal();
    const body = await this.#maybe(
      this.#http.request({
        ...options,
        method,
        path: `${this.#path(key)}${action}/`,
        endpoint: action,
        schema: actionAnswerSchema,
      }),
    );
    return body;
  }

  follow = (user: string, options: CallOptions = {}) => this.#action(user, 'follow', 'POST', options);
  unfollow = (user: string, options: CallOptions = {}) => this.#action(user, 'follow', 'DELETE', options);
  favorite = (cloudcast: string, options: CallOptions = {}) =>
    this.#action(cloudcast, 'favorite', 'POST', options);
  unfavorite = (cloudcast: string, options: CallOptions = {}) =>
    this.#action(cloudcast, 'favorite', 'DELETE', options);
  repost = (cloudcast: string, options: CallOptions = {}) =>
    this.#action(cloudcast, 'repost', 'POST', options);
  unrepost = (cloudcast: string, options: CallOptions = {}) =>
    this.#action(cloudcast, 'repost', 'DELETE', options);
  listenLater = (cloudcast: string, options: CallOptions = {}) =>
    this.#action(cloudcast, 'listen-later', 'POST', options);
  unlistenLater = (cloudcast: string, options: CallOptions = {}) =>
    this.#action(cloudcast, 'listen-later', 'DELETE', options);

  #display(display: Display): Record<string, number | string> {
    const out: Record<string, number | string> = {};
    for (const field of ['width', 'height'] as const) {
      const value = display[field];
      if (value === undefined) continue;
      if (!Number.isInteger(value) || value <= 0)
        throw new InvalidInputError(field, 'must be a positive integer');
      out[field] = value;
    }
    if (display.color !== undefined) {
      if (!/^[0-9a-fA-F]{6}$/.test(display.color))
        throw new InvalidInputError('color', 'must be 6 hex digits, without #');
      out.color = display.color;
    }
    return out;
  }

  /** The widget as JSON (`{html}`). */
  async embedJson(cloudcast: string, display: Display & CallOptions = {}): Promise<Json> {
    const { width, height, color, ...call } = display;
    return this.#http.request({
      ...call,
      path: `/${trimKey(cloudcast)}/embed-json/`,
      endpoint: 'embed-json',
      auth: false,
      query: this.#display({ width, height, color } as Display),
      schema: oembedSchema,
    });
  }

  /** The widget as HTML (read with the client's body cap). */
  async embedHtml(cloudcast: string, display: Display & CallOptions = {}): Promise<string> {
    const { width, height, color, ...call } = display;
    return this.#http.text({
      ...call,
      path: `/${trimKey(cloudcast)}/embed-html/`,
      endpoint: 'embed-html',
      auth: false,
      query: this.#display({ width, height, color } as Display),
    });
  }

  /** oEmbed of a cloudcast: parsed JSON, or the XML text with `format: 'xml'`. */
  async oembed(
    cloudcast: string,
    options: Display & CallOptions & { format?: 'json' | 'xml' } = {},
  ): Promise<Json | string> {
    const { format = 'json', width, height, color, ...call } = options;
    const query = {
      format,
      ...this.#display({ width, height, color } as Display),
      url: `${this.#mixcloudRoot}/${trimKey(cloudcast)}/`,
    };
    const request = {
      ...call,
      path: `${this.#oembedRoot}/`,
      endpoint: 'oembed',
      auth: false as const,
      query,
    };
    if (format === 'xml') return this.#http.text(request);
    return this.#http.request({ ...request, schema: oembedSchema });
  }

  async #fields(fields: UploadFields & { name?: string | undefined }): Promise<MultipartPart[]> {
    const parts: MultipartPart[] = [];
    if (fields.name !== undefined) parts.push({ name: 'name', value: fields.name });
    if (fields.description !== undefined) {
      if ([...fields.description].length > DESCRIPTION_MAX_SIZE)
        throw new InvalidInputError(
          'description',
          `description size must be ${DESCRIPTION_MAX_SIZE} characters at most`,
        );
    }
    if (fields.tags !== undefined && fields.tags.length > TAG_MAX_COUNT)
      throw new InvalidInputError('tags', `an upload must have ${TAG_MAX_COUNT} tags at most`);
    fields.sections?.forEach((section, index) => {
      const keys = Object.keys(section);
      const unknown = keys.filter((k) => !['chapter', 'artist', 'song', 'start_time'].includes(k));
      if (unknown.length > 0)
        throw new InvalidInputError(
          `sections[${index}]`,
          `unknown field ${unknown.join(', ')} (chapter, artist, song, start_time)`,
        );
      if (section.chapter === undefined && (section.artist === undefined || section.song === undefined)) {
        throw new InvalidInputError(
          `sections[${index}]`,
          'a section is a chapter, or a track with both artist and song',
        );
      }
      if (
        section.start_time !== undefined &&
        (!Number.isInteger(section.start_time) || section.start_time < 0)
      ) {
        throw new InvalidInputError(`sections[${index}].start_time`, 'must be whole seconds ≥ 0');
      }
    });
    if (fields.picture !== undefined) {
      const picture = await toBodySource(fields.picture, { field: 'picture' });
      if (picture.size !== undefined && picture.size > PICTURE_MAX_SIZE)
        throw new InvalidInputError('picture', `picture file size must be ${PICTURE_MAX_SIZE} bytes at most`);
      parts.push({ name: 'picture', filename: 'picture.jpg', contentType: 'image/jpeg', source: picture });
    }
    if (fields.description !== undefined) parts.push({ name: 'description', value: fields.description });
    if (fields.publishDate !== undefined)
      parts.push({ name: 'publish_date', value: formatDatetime(fields.publishDate, 'publishDate') });
    // Booleans go as "1": aiohttp could not serialise Python's True into multipart (spec §1.2).
    if (fields.disableComments) parts.push({ name: 'disable_comments', value: '1' });
    if (fields.hideStats) parts.push({ name: 'hide_stats', value: '1' });
    if (fields.unlisted) parts.push({ name: 'unlisted', value: '1' });
    for (const [i, tag] of (fields.tags ?? []).entries()) parts.push({ name: `tags-${i}-tag`, value: tag });
    fields.sections?.forEach((section, i) => {
      for (const [key, value] of Object.entries(section))
        if (value !== undefined) parts.push({ name: `sections-${i}-${key}`, value: String(value) });
    });
    return parts;
  }

  /** Uploads a show: the mp3 streams (never read whole), with metadata, tags and sections, in one multipart POST. */
  async upload(
    mp3: UploadSource,
    name: string,
    fields: UploadFields & TransferOptions & { filename?: string; onProgress?: ProgressListener } = {},
  ): Promise<ActionResult> {
    if (!name) throw new InvalidInputError('name', 'is required');
    const {
      signal,
      timeout,
      transferTimeout,
      maxRetries,
      filename = 'upload.mp3',
      onProgress,
      ...upload
    } = fields;
    const audio = await toBodySource(mp3, { field: 'mp3' });
    if (audio.size !== undefined && audio.size > MP3_MAX_SIZE)
      throw new InvalidInputError('mp3', `mp3 file size must be ${MP3_MAX_SIZE} bytes at most`);
    const rest = await this.#fields(upload);
    this.#personal();
    const parts: MultipartPart[] = [
      { name: 'name', value: name },
      { name: 'mp3', filename, contentType: 'audio/mpeg', source: audio },
      ...rest,
    ];
    return this.#maybe(
      this.#http.request({
        signal,
        timeout,
        transferTimeout,
        maxRetries,
        method: 'POST',
        path: '/upload/',
        endpoint: 'upload',
        body: { multipart: parts },
        schema: actionAnswerSchema,
        ...(onProgress ? { onUploadProgress: onProgress } : {}),
      }),
    );
  }

  /** Edits a show (`key` is `user/slug`, or a bare slug of the token owner). Tags and sections replace the old ones. */
  async edit(
    key: string,
    fields: UploadFields & CallOptions & { name?: string } = {},
  ): Promise<ActionResult> {
    const { signal, timeout, maxRetries, ...edit } = fields;
    const parts = await this.#fields(edit);
    this.#personal();
    const full = trimKey(key).includes('/')
      ? trimKey(key)
      : `${trimKey((await this.me({ signal })).key)}/${trimKey(key)}`;
    return this.#maybe(
      this.#http.request({
        signal,
        timeout,
        maxRetries,
        method: 'POST',
        path: `/upload/${full}/edit/`,
        endpoint: 'edit',
        body: { multipart: parts },
        schema: actionAnswerSchema,
      }),
    );
  }

  /** Methods a {@link Resource} can call with its own key (aiomixcloud's `@targeting`). */
  get targeting(): MixcloudLike['targeting'] {
    return {
      follow: this.follow,
      unfollow: this.unfollow,
      favorite: this.favorite,
      unfavorite: this.unfavorite,
      repost: this.repost,
      unrepost: this.unrepost,
      listenLater: this.listenLater,
      unlistenLater: this.unlistenLater,
      embedJson: (key: string) => this.embedJson(key),
      embedHtml: (key: string) => this.embedHtml(key),
      oembed: (key: string) => this.oembed(key),
      edit: (key: string, fields?: UploadFields & { name?: string }) => this.edit(key, fields),
    } as MixcloudLike['targeting'];
  }
}

export type { ActionResult };
export { normalizeKey };

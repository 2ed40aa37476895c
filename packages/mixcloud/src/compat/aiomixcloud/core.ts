/**
 * aiomixcloud's `Mixcloud`, on the new API's transport (a `MixcloudClient`: one transport, its retries, time
 * limits, redaction and origin rules). As in the seed: errors come back as dicts unless `raiseExceptions`, the
 * body is decoded by a pluggable decoder and read into pluggable resource classes, a key is a URL segment.
 *
 * @module
 */
import {
  type CallOptions,
  type ClientOptions,
  InvalidInputError,
  type RequestOptions,
  type TransferOptions,
} from '@mediaferry/core';
import { contextOf, MixcloudClient } from '../../client.js';
import { API_ROOT, callOptions, MIXCLOUD_ROOT, type MixcloudContext, OEMBED_ROOT } from '../../http.js';
import { keyPath } from '../../keys.js';
import { fetchable } from '../../listing.js';
import { type ActionName, actionRequest } from '../../resources/actions.js';
import { embedRequest, oembedRequest } from '../../resources/embeds.js';
import { editRequest, uploadBody, uploadRequest } from '../../resources/upload.js';
import type { FileInput } from '../../show-fields.js';
import type { AccessDict } from './access.js';
import { Answers, type Result } from './answers.js';
import {
  type Display,
  displayed,
  type Pagination,
  paginated,
  personal,
  targeting,
  type UploadFields,
  uploading,
} from './decorators.js';
import { type JsonDecoder, MixcloudJSONDecoder } from './json.js';
import type { GetOptions, ResourceClass, ResourceListClass } from './model-types.js';
import { Resource, ResourceList } from './resources.js';

/** `Mixcloud`'s options (the seed's keyword arguments, camelCased, and the transport's). */
export interface MixcloudOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The API root (the seed's first argument; may be given here instead). */
  readonly apiRoot?: string | undefined;
  /** The OAuth access token (no environment fallback, as in the seed). */
  readonly accessToken?: string | undefined;
  readonly mixcloudRoot?: string | undefined;
  readonly oembedRoot?: string | undefined;
  /** Decodes every answer (default {@link MixcloudJSONDecoder}). */
  readonly jsonDecoderClass?: (new () => JsonDecoder) | undefined;
  readonly resourceClass?: ResourceClass | undefined;
  readonly resourceListClass?: ResourceListClass | undefined;
  /** Default false: an error comes back as its dict (`{error: {type, message}}`); true throws `MixcloudError`. */
  readonly raiseExceptions?: boolean | undefined;
  /** A `MixcloudClient` whose transport to share (the seed's `session`); `close()` closes it too. */
  readonly session?: MixcloudClient | undefined;
}

/** Asynchronous Mixcloud API handler (aiomixcloud's `Mixcloud`). */
export class Mixcloud {
  /** Default API root. */
  static apiRoot = API_ROOT;
  /** Default Mixcloud root. */
  static mixcloudRoot = MIXCLOUD_ROOT;
  /** Default oEmbed root. */
  static oembedRoot = OEMBED_ROOT;
  /** Default decoder class. */
  static jsonDecoderClass: new () => JsonDecoder = MixcloudJSONDecoder;
  /** Default resource class. */
  static resourceClass: ResourceClass = Resource;
  /** Default resource list class. */
  static resourceListClass: ResourceListClass = ResourceList;

  /** Whether an error answer throws `MixcloudError` (else it comes back as its dict). */
  readonly raiseExceptions: boolean;
  readonly resourceClass: ResourceClass;
  readonly resourceListClass: ResourceListClass;
  readonly #decoderClass: new () => JsonDecoder;
  #client: MixcloudClient;
  #accessToken: string | undefined;
  readonly #answers: Answers;

  constructor(apiRoot?: string | MixcloudOptions, options: MixcloudOptions = {}) {
    const given = typeof apiRoot === 'object' && apiRoot !== null ? apiRoot : options;
    const root = typeof apiRoot === 'string' ? apiRoot : (given.apiRoot ?? Mixcloud.apiRoot);
    const {
      apiRoot: _root,
      accessToken,
      mixcloudRoot = Mixcloud.mixcloudRoot,
      oembedRoot = Mixcloud.oembedRoot,
      jsonDecoderClass = Mixcloud.jsonDecoderClass,
      resourceClass = Mixcloud.resourceClass,
      resourceListClass = Mixcloud.resourceListClass,
      raiseExceptions = false,
      session,
      ...transport
    } = given;
    this.raiseExceptions = raiseExceptions;
    this.resourceClass = resourceClass;
    this.resourceListClass = resourceListClass;
    this.#decoderClass = jsonDecoderClass;
    this.#accessToken = accessToken;
    const clientOptions = {
      ...transport,
      baseUrl: root,
      accessToken: accessToken ?? null,
      siteUrl: mixcloudRoot,
      oembedUrl: oembedRoot,
    };
    this.#client = session ? session.withOptions(clientOptions) : new MixcloudClient(clientOptions);
    this.#answers = new Answers({
      mixcloud: this,
      raiseExceptions,
      decoder: () => new this.#decoderClass(),
      http: () => this.#context.http,
    });
  }

  /** The OAuth access token; setting it applies to the calls that follow. */
  get accessToken(): string | undefined {
    return this.#accessToken;
  }

  set accessToken(token: string | undefined) {
    this.#accessToken = token ?? undefined;
    this.#client = this.#client.withOptions({ accessToken: token ?? null });
  }

  /** The new API's client this object sends its requests through. */
  get session(): MixcloudClient {
    return this.#client;
  }

  get #context(): MixcloudContext {
    return contextOf(this.#client);
  }

  /** Closes the session (even one given as `session`, as the seed does). */
  async close(): Promise<void> {
    await this.#client.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * A GET of the API (always with `metadata=1` and, to the API's origin only, the token): a `Resource`, a
   * `ResourceList`, or an `AccessDict` (an error, or nothing). `relative: false` takes an absolute URL.
   */
  async get(url: string, options: GetOptions = {}): Promise<Result> {
    const { relative = true, createConnections = true, params = {}, ...call } = options;
    let path: string;
    if (relative)
      path = typeof url === 'string' && url.replace(/^\/+|\/+$/g, '') === '' ? '/' : keyPath(url, 'url');
    else if (typeof url === 'string' && /^https?:\/\/\S+$/i.test(url)) path = fetchable(this.#context, url);
    else throw new InvalidInputError('url', 'must be an absolute http(s) URL when relative is false');
    const answer = await this.#answers.send({
      ...callOptions(call),
      path,
      endpoint: 'get',
      query: { ...params, metadata: 1 },
    });
    return this.#answers.result(answer, createConnections);
  }

  // The seed's `@personal` calls: the token is checked first ('access_token must be set').
  static readonly #me = personal(async function (this: Mixcloud, options: CallOptions) {
    return this.get('me', options);
  });

  static readonly #act = personal(async function (
    this: Mixcloud,
    key: string,
    action: ActionName,
    method: 'POST' | 'DELETE',
    call: CallOptions,
  ) {
    return this.#answers.native(
      await this.#answers.send(actionRequest(keyPath(key, 'key'), action, method, call)),
    );
  });

  static readonly #post = personal(async function (
    this: Mixcloud,
    request: RequestOptions | (() => Promise<RequestOptions>),
  ) {
    const ready = typeof request === 'function' ? await request() : request;
    return this.#answers.native(await this.#answers.send(ready));
  });

  /** The user the access token belongs to. */
  async me(options: CallOptions = {}): Promise<Result> {
    return Mixcloud.#me.call(this, options);
  }

  /** A tag (`/discover/<tag>/`). */
  async discover(tag: string, options: CallOptions = {}): Promise<Result> {
    if (typeof tag !== 'string' || tag === '') throw new InvalidInputError('tag', 'must not be empty');
    return this.get(`discover/${tag}`, options);
  }

  /** Popular shows (paginated: offset, limit, since, until, or page and perPage). */
  async popular(options?: Pagination & CallOptions): Promise<Result> {
    return paginated<CallOptions, Promise<Result>>((params, call) =>
      this.get('popular', { ...call, params: { ...params } }),
    )(options);
  }

  /** Hot shows (paginated). */
  async hot(options?: Pagination & CallOptions): Promise<Result> {
    return paginated<CallOptions, Promise<Result>>((params, call) =>
      this.get('popular/hot', { ...call, params: { ...params } }),
    )(options);
  }

  /** New shows (paginated). */
  async new(options?: Pagination & CallOptions): Promise<Result> {
    return paginated<CallOptions, Promise<Result>>((params, call) =>
      this.get('new', { ...call, params: { ...params } }),
    )(options);
  }

  /** Searches `type` (`cloudcast` by default, `user`, `tag`) for `query` (paginated). */
  async search(
    query: string,
    options?: Pagination & CallOptions & { readonly type?: string | undefined },
  ): Promise<Result> {
    return paginated<CallOptions & { readonly type?: string | undefined }, Promise<Result>>(
      ({ ...params }, extra) => {
        const { type = 'cloudcast', ...call } = extra;
        return this.get('search', { ...call, params: { q: query, type, ...params } });
      },
    )(options);
  }

  #action(
    key: string,
    action: ActionName,
    method: 'POST' | 'DELETE',
    call: CallOptions,
  ): Promise<AccessDict> {
    return Mixcloud.#act.call(this, key, action, method, call);
  }

  /** Follows `user`. */
  async follow(user: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(user, 'follow', 'POST', options);
  }

  async unfollow(user: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(user, 'follow', 'DELETE', options);
  }

  async favorite(cloudcast: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(cloudcast, 'favorite', 'POST', options);
  }

  async unfavorite(cloudcast: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(cloudcast, 'favorite', 'DELETE', options);
  }

  async repost(cloudcast: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(cloudcast, 'repost', 'POST', options);
  }

  async unrepost(cloudcast: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(cloudcast, 'repost', 'DELETE', options);
  }

  /** Adds `cloudcast` to the "listen later" list. */
  async listenLater(cloudcast: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(cloudcast, 'listen-later', 'POST', options);
  }

  async unlistenLater(cloudcast: string, options: CallOptions = {}): Promise<AccessDict> {
    return this.#action(cloudcast, 'listen-later', 'DELETE', options);
  }

  async #embed(
    cloudcast: string,
    kind: 'json' | 'html',
    options?: Display & CallOptions,
  ): Promise<AccessDict | string> {
    return displayed(async ({ format: _format, ...display }, call) =>
      this.#answers.proper(await this.#answers.send(embedRequest(cloudcast, kind, display, call))),
    )(options);
  }

  /** The widget of `cloudcast` as JSON (a dict with `html`). */
  async embedJson(
    cloudcast: string,
    options?: Omit<Display, 'format'> & CallOptions,
  ): Promise<AccessDict | string> {
    return this.#embed(cloudcast, 'json', options);
  }

  /** The widget of `cloudcast` as HTML text. */
  async embedHtml(
    cloudcast: string,
    options?: Omit<Display, 'format'> & CallOptions,
  ): Promise<AccessDict | string> {
    return this.#embed(cloudcast, 'html', options);
  }

  /** oEmbed of the page of `key` (`format: 'xml'` gives the XML text). */
  async oembed(key: string, options?: Display & CallOptions): Promise<AccessDict | string> {
    return displayed(async (params, call) =>
      this.#answers.proper(await this.#answers.send(oembedRequest(this.#context, key, params, call))),
    )(options);
  }

  /** Uploads the mp3 at `mp3` (a path; or bytes, a Blob, a stream) as a show named `name`. */
  async upload(
    mp3: FileInput,
    name: string,
    options?: UploadFields & TransferOptions & { readonly filename?: string | undefined },
  ): Promise<AccessDict> {
    return uploading<TransferOptions & { readonly filename?: string | undefined }, AccessDict>(
      async (params, extra) => {
        const { filename, ...call } = extra;
        return this.#upload(mp3, name, params, filename, call);
      },
    )(options);
  }

  async #upload(
    mp3: FileInput,
    name: string,
    params: Parameters<Parameters<typeof uploading>[0]>[0],
    filename: string | undefined,
    call: TransferOptions,
  ): Promise<AccessDict> {
    // The token is checked before the mp3 is opened, as the seed's `@personal` runs before its size check.
    return Mixcloud.#post.call(this, async () =>
      uploadRequest(await uploadBody({ mp3, name, filename, ...params }), call),
    );
  }

  /** Edits the upload `key` (`user/slug`, or a slug of the token's owner). */
  async edit(
    key: string,
    options?: UploadFields & CallOptions & { readonly name?: string | undefined },
  ): Promise<AccessDict> {
    return uploading<CallOptions & { readonly name?: string | undefined }, AccessDict>(
      async (params, extra) => {
        const { name, ...call } = extra;
        return this.#edit(key, name, params, call);
      },
    )(options);
  }

  async #edit(
    key: string,
    name: string | undefined,
    params: Parameters<Parameters<typeof uploading>[0]>[0],
    call: CallOptions,
  ): Promise<AccessDict> {
    let full = String(key).replace(/^\/+|\/+$/g, '');
    if (!full.includes('/')) {
      const me = await this.me({ signal: call.signal });
      full = `${String(me.data.key ?? '').replace(/^\/+|\/+$/g, '')}/${full}`;
    }
    const request = await editRequest(
      { cloudcast: full, ...(name === undefined ? {} : { name }), ...params },
      call,
    );
    return Mixcloud.#post.call(this, request);
  }
}

// The methods a Resource mirrors (the seed's `@targeting`).
for (const name of [
  'follow',
  'unfollow',
  'favorite',
  'unfavorite',
  'repost',
  'unrepost',
  'listenLater',
  'unlistenLater',
  'embedJson',
  'embedHtml',
  'oembed',
  'edit',
] as const)
  targeting(Mixcloud.prototype[name]);

/**
 * `MixcloudClient`: construction (host and token from options or the environment) and its resources.
 *
 * @module
 */
import {
  type APIPromise,
  BaseClient,
  type CallOptions,
  type ClientOptions,
  ConstructionSeed,
  type CredentialSetting,
  InvalidInputError,
  type Paginator,
  QueryTokenAuth,
  resolveSettings,
} from '@mediaferry/core';
import type { ZodType } from 'zod';
import {
  API_ROOT,
  MIXCLOUD_ROOT,
  type MixcloudContext,
  type MixcloudRoots,
  mixcloudProfile,
  OAUTH_ROOT,
  OEMBED_ROOT,
} from './http.js';
import type { CloudcastRef } from './keys.js';
import { type ListParams, listOf, type PageCursor } from './listing.js';
import {
  type Cloudcast,
  cloudcastSchema,
  type OEmbed,
  type Tag,
  tagSchema,
  type User,
  userSchema,
} from './models.js';
import { Cloudcasts } from './resources/cloudcasts.js';
import { Embeds, type OEmbedParams, oembed } from './resources/embeds.js';
import { OAuth } from './resources/oauth.js';
import { Objects } from './resources/objects.js';
import { Discover, Tags } from './resources/tags.js';
import { Users } from './resources/users.js';

export interface MixcloudClientOptions extends ClientOptions {
  /**
   * The API root. Default: `MEDIAFERRY_MIXCLOUD_URL`, else https://api.mixcloud.com. Any other root (a
   * `mediaferry emulator`) also serves the site, oEmbed and OAuth unless `siteUrl`, `oembedUrl`, `oauthUrl` say
   * otherwise.
   */
  readonly baseUrl?: string;
  /**
   * The token calls that act for a user need (`me`, actions, upload, edit). Default:
   * `MIXCLOUD_ACCESS_TOKEN`. Public reads work without one; `null` means none, whatever the environment says.
   */
  readonly accessToken?: string | null | undefined;
  /** The app's client id, for `oauth` (default `MIXCLOUD_CLIENT_ID`). */
  readonly clientId?: string | undefined;
  /** The app's client secret, for `oauth.exchange` (default `MIXCLOUD_CLIENT_SECRET`). */
  readonly clientSecret?: string | undefined;
  /** mixcloud.com, whose pages oEmbed describes. */
  readonly siteUrl?: string | undefined;
  /** The oEmbed endpoint. */
  readonly oembedUrl?: string | undefined;
  /** The OAuth root (`…/authorize`, `…/access_token`). */
  readonly oauthUrl?: string | undefined;
}

/** Search parameters; `type` chooses what is searched and what the items are. */
export interface SearchParams extends ListParams {
  readonly query: string;
  /** `cloudcast` (default), `user` or `tag`. */
  readonly type?: 'cloudcast' | 'user' | 'tag' | undefined;
}

/** The transport a client made by {@link MixcloudClient.withOptions} derives its own from. */
const inherited = new ConstructionSeed<BaseClient>();

/** Each client's shared state, for the aiomixcloud entry point built on it (not exported by the package). */
const contexts = new WeakMap<MixcloudClient, MixcloudContext>();

/** The transport and roots of `client`: the aiomixcloud entry point sends its requests through them. */
export function contextOf(client: MixcloudClient): MixcloudContext {
  const context = contexts.get(client);
  if (!context) throw new InvalidInputError('session', 'must be a MixcloudClient');
  return context;
}

function rootOption(value: string | undefined, field: string, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (!/^https?:\/\/[^\s/]/i.test(value))
    throw new InvalidInputError(field, 'must be an absolute http(s) URL');
  return value.replace(/\/+$/, '');
}

/**
 * The Mixcloud API: `users`, `cloudcasts`, `tags`, `discover`, `search`, `embeds`, `oembed`, `oauth`, and
 * `objects` for anything else. Every call returns an `APIPromise`, every list is a `Paginator`, uploads are
 * `Transfer`s; errors are `MixcloudError`s (with `type`), bad input an `InvalidInputError` before any request.
 * The token travels as `access_token` to the API's own origin only, and never appears in logs or errors.
 */
export class MixcloudClient {
  readonly users: Users;
  readonly cloudcasts: Cloudcasts;
  readonly tags: Tags;
  readonly discover: Discover;
  readonly embeds: Embeds;
  readonly oauth: OAuth;
  readonly objects: Objects;
  /** Where the client sends each kind of request. */
  readonly roots: MixcloudRoots;
  readonly #options: MixcloudClientOptions;
  readonly #context: MixcloudContext;

  constructor(options: MixcloudClientOptions = {}) {
    const parent = inherited.take();
    const { accessToken, clientId, clientSecret, siteUrl, oembedUrl, oauthUrl, ...transport } = options;
    const credentials: CredentialSetting[] = [
      ...(accessToken === null
        ? []
        : [{ option: 'accessToken', env: 'MIXCLOUD_ACCESS_TOKEN', required: false }]),
      { option: 'clientId', env: 'MIXCLOUD_CLIENT_ID', required: false },
      { option: 'clientSecret', env: 'MIXCLOUD_CLIENT_SECRET', required: false },
    ];
    const settings = resolveSettings(
      { service: 'mixcloud', defaultBaseUrl: API_ROOT, credentials },
      { baseUrl: options.baseUrl, accessToken: accessToken ?? undefined, clientId, clientSecret },
    );
    // Another root than the real API (an emulator) serves the site, oEmbed and OAuth too.
    const own = settings.baseUrl.replace(/\/+$/, '') !== API_ROOT;
    this.roots = {
      api: settings.baseUrl,
      site: rootOption(siteUrl, 'siteUrl', own ? settings.baseUrl : MIXCLOUD_ROOT),
      oembed: rootOption(oembedUrl, 'oembedUrl', own ? `${settings.baseUrl}/oembed` : OEMBED_ROOT),
      oauth: rootOption(oauthUrl, 'oauthUrl', own ? `${settings.baseUrl}/oauth` : OAUTH_ROOT),
    };
    const token = settings.credentials.accessToken;
    const auth = token ? new QueryTokenAuth('access_token', token) : undefined;
    const clientOptions = { ...transport, baseUrl: settings.baseUrl };
    const http = parent
      ? parent.derive(clientOptions, auth ?? null)
      : new BaseClient(clientOptions, mixcloudProfile, auth);
    const secret = settings.credentials.clientSecret;
    if (secret) http.redactor.addSecretSource(() => [secret]);
    this.#options = options;
    this.#context = {
      http,
      roots: this.roots,
      hasToken: token !== undefined,
      clientId: settings.credentials.clientId,
      clientSecret: secret,
    };
    contexts.set(this, this.#context);
    this.users = new Users(this.#context);
    this.cloudcasts = new Cloudcasts(this.#context);
    this.tags = new Tags(this.#context);
    this.discover = new Discover(this.#context);
    this.embeds = new Embeds(this.#context);
    this.oauth = new OAuth(this.#context);
    this.objects = new Objects(this.#context);
  }

  /** Whether calls that act for a user can be made (a token was given or found in the environment). */
  get hasAccessToken(): boolean {
    return this.#context.hasToken;
  }

  /** Searches shows (default), users or tags; the items are typed by `type`. */
  search(
    params: SearchParams & { readonly type?: 'cloudcast' },
    options?: CallOptions,
  ): Paginator<Cloudcast, PageCursor>;
  search(
    params: SearchParams & { readonly type: 'user' },
    options?: CallOptions,
  ): Paginator<User, PageCursor>;
  search(params: SearchParams & { readonly type: 'tag' }, options?: CallOptions): Paginator<Tag, PageCursor>;
  search(params: SearchParams, options?: CallOptions): Paginator<Cloudcast | User | Tag, PageCursor>;
  search(params: SearchParams, options?: CallOptions): Paginator<Cloudcast | User | Tag, PageCursor> {
    const { query, type = 'cloudcast', ...list } = params ?? {};
    if (typeof query !== 'string' || query.trim() === '')
      throw new InvalidInputError('query', 'must not be empty');
    const schemas: Record<string, ZodType<Cloudcast | User | Tag>> = {
      cloudcast: cloudcastSchema,
      user: userSchema,
      tag: tagSchema,
    };
    const schema = schemas[type];
    if (!schema) throw new InvalidInputError('type', 'must be cloudcast, user or tag');
    return listOf(this.#context, '/search/', schema, 'search', list, options, { q: query, type });
  }

  /** oEmbed of a show (a key, a show, or a mixcloud.com URL). `format: 'xml'` gives the XML text. */
  oembed(
    target: CloudcastRef,
    params?: OEmbedParams & { readonly format?: 'json' },
    options?: CallOptions,
  ): APIPromise<OEmbed>;
  oembed(
    target: CloudcastRef,
    params: OEmbedParams & { readonly format: 'xml' },
    options?: CallOptions,
  ): APIPromise<string>;
  oembed(target: CloudcastRef, params?: OEmbedParams, options?: CallOptions): APIPromise<OEmbed | string>;
  oembed(target: CloudcastRef, params?: OEmbedParams, options?: CallOptions): APIPromise<OEmbed | string> {
    return oembed(this.#context, target, params, options);
  }

  /**
   * A client with some options changed (`timeout`, `accessToken`…), sharing this one's transport and
   * lifetime: closing either closes both.
   */
  withOptions(options: Partial<MixcloudClientOptions>): MixcloudClient {
    return inherited.with(this.#context.http, () => new MixcloudClient({ ...this.#options, ...options }));
  }

  /** Ends the client: calls and uploads in flight are aborted, later calls refused (`AbortError`). */
  async close(): Promise<void> {
    this.#context.http.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * The BigGo client: construction (host and credentials from options or the environment), the resources
 * mounted on it, and its lifecycle.
 *
 * @module
 */
import {
  BaseClient,
  ClientCredentialsAuth,
  type ClientOptions,
  InvalidInputError,
  type OAuth2Token,
  resolveSettings,
} from '@mediaferry/core';
import type { Agent } from 'undici';
import { Account } from './account.js';
import { BigGoContext, Lifecycle } from './context.js';
import { bigGoProfile } from './errors.js';
import { type Identity, registerInternals, sameIdentity, takeSeed, withSeed } from './internal.js';
import { insecureAgent } from './tls.js';
import { Videos } from './videos.js';

/** The real BigGo API. */
export const BIGGO_BASE_URL = 'https://api.biggo.com';

/** Options of {@link BigGoClient}: core's client options, the credentials, and BigGo's own. */
export interface BigGoClientOptions extends ClientOptions {
  /** API root. Default: `MEDIAFERRY_BIGGO_URL`, else {@link BIGGO_BASE_URL}. */
  readonly baseUrl?: string;
  /** Default: `BIGGO_CLIENT_ID`. */
  readonly clientId?: string;
  /** Default: `BIGGO_CLIENT_SECRET`. */
  readonly clientSecret?: string;
  /** Sent as the `region` header on API calls (not on the token call), e.g. `tw`. */
  readonly region?: string;
  /** TLS verification; `false` must be asked for explicitly (self-signed test hosts). Default true. */
  readonly verifySsl?: boolean;
  /** Called with every new token (to cache it across runs, say). */
  readonly onTokenUpdate?: (token: OAuth2Token) => void;
}

const SETTINGS = {
  service: 'biggo',
  defaultBaseUrl: BIGGO_BASE_URL,
  credentials: [
    { option: 'clientId', env: 'BIGGO_CLIENT_ID' },
    { option: 'clientSecret', env: 'BIGGO_CLIENT_SECRET' },
  ],
} as const;

/**
 * A BigGo client. Credentials are exchanged for a token on the first call and renewed inside the client
 * (before expiry, and once when the server calls the token expired; single-flight), so the resources,
 * paginators and transfers a caller holds keep working.
 *
 * ```ts
 * await using biggo = new BigGoClient(); // BIGGO_CLIENT_ID, BIGGO_CLIENT_SECRET, MEDIAFERRY_BIGGO_URL
 * const video = await biggo.videos.publish('./clip.mp4', { title: 'Harbour' }).done();
 * ```
 */
export class BigGoClient {
  /** Videos: list, get, upload, publish, update, delete, wait for processing, download. */
  readonly videos: Videos;
  /** The account behind the credentials. */
  readonly account: Account;
  /** The API root in use. */
  readonly baseUrl: string;
  readonly #options: BigGoClientOptions;
  readonly #identity: Identity;
  readonly #auth: ClientCredentialsAuth;
  readonly #agent: Agent | undefined;
  readonly #lifecycle = new Lifecycle();

  /** Throws `InvalidInputError` naming the option and the variable when a credential is missing. */
  constructor(options: BigGoClientOptions = {}) {
    const seed = takeSeed();
    const settings = resolveSettings(SETTINGS, { ...options });
    const { clientId = '', clientSecret = '' } = settings.credentials;
    const {
      clientId: _id,
      clientSecret: _secret,
      region,
      verifySsl = true,
      onTokenUpdate,
      ...clientOptions
    } = options;
    if (region !== undefined && (typeof region !== 'string' || region === ''))
      throw new InvalidInputError('region', 'must be a non-empty string');
    if (typeof verifySsl !== 'boolean') throw new InvalidInputError('verifySsl', 'must be true or false');
    if (!verifySsl && (clientOptions.fetch || clientOptions.fetchOptions?.dispatcher))
      throw new InvalidInputError(
        'verifySsl',
        'false cannot apply to your own fetch or dispatcher: turn TLS verification off in them instead',
      );
    const identity: Identity = { baseUrl: settings.baseUrl, clientId, clientSecret };
    const auth =
      seed?.auth ??
      new ClientCredentialsAuth({
        tokenUrl: seed?.tokenUrl ?? `${settings.baseUrl}/auth/v1/token`,
        refreshUrl: seed?.refreshUrl,
        clientId,
        clientSecret,
        skewMs: 30_000,
        ...(onTokenUpdate ? { onTokenUpdate } : {}),
      });
    this.#agent = verifySsl ? undefined : insecureAgent();
    const fetchOptions = this.#agent
      ? { ...clientOptions.fetchOptions, dispatcher: this.#agent }
      : clientOptions.fetchOptions;
    const http = new BaseClient(
      { ...clientOptions, baseUrl: settings.baseUrl, ...(fetchOptions ? { fetchOptions } : {}) },
      bigGoProfile,
      auth,
    );
    const ctx = new BigGoContext(http, region, this.#lifecycle);
    this.baseUrl = settings.baseUrl;
    this.#options = { ...options, baseUrl: settings.baseUrl, clientId, clientSecret };
    this.#identity = identity;
    this.#auth = auth;
    this.videos = new Videos(ctx);
    this.account = new Account(ctx);
    registerInternals(this, { ctx, http, auth, identity });
  }

  /**
   * A client with some options changed (`timeout`, `maxRetries`, `region`…) sharing this one's token;
   * other credentials or another host get their own.
   */
  withOptions(options: BigGoClientOptions): BigGoClient {
    const merged = { ...this.#options, ...options };
    const identity = {
      baseUrl: merged.baseUrl ?? this.baseUrl,
      clientId: merged.clientId ?? '',
      clientSecret: merged.clientSecret ?? '',
    };
    const auth = sameIdentity(identity, this.#identity) ? this.#auth : undefined;
    return withSeed({ auth }, () => new BigGoClient(merged));
  }

  /**
   * Ends the calls and transfers in flight (they reject with `AbortError`), refuses new ones, and closes
   * the sockets this client opened (with `verifySsl: false`). Idempotent.
   */
  async close(): Promise<void> {
    if (this.#lifecycle.closed) return;
    this.#lifecycle.close();
    await this.#agent?.destroy();
  }

  /** `await using biggo = new BigGoClient()` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

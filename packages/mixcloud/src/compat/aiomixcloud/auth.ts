/**
 * aiomixcloud's `MixcloudOAuth`, on the new API's `oauth` resource: `authorizationUrl` to send the user to,
 * `accessToken(code)` to trade the code they come back with. A failed trade throws `MixcloudOAuthError` or
 * returns undefined (the seed's None), as `raiseExceptions` (or the `mixcloud` object's) says.
 *
 * @module
 */
import { ApiError, type ClientOptions, InvalidInputError, ResponseValidationError } from '@mediaferry/core';
import { MixcloudClient } from '../../client.js';
import { API_ROOT, OAUTH_ROOT } from '../../http.js';
import { encodeLikeYarl } from '../../resources/oauth.js';
import type { Mixcloud } from './core.js';
import { initOf, MixcloudOAuthError } from './exceptions.js';

/** `MixcloudOAuth`'s options (the seed's keyword arguments, and the transport's when it has no `mixcloud`). */
export interface MixcloudOAuthOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** The OAuth root (the seed's first argument; may be given here instead). */
  readonly oauthRoot?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  readonly redirectUri?: string | undefined;
  /** Whether a failed trade throws. Default: as the `mixcloud` object says, else false. */
  readonly raiseExceptions?: boolean | undefined;
  /** The `Mixcloud` object whose session sends the request (else a temporary one is used and closed). */
  readonly mixcloud?: Mixcloud | undefined;
}

/** Mixcloud OAuth authorization (aiomixcloud's `MixcloudOAuth`). */
export class MixcloudOAuth {
  /** Default OAuth root. */
  static oauthRoot = OAUTH_ROOT;

  /** Client ID, provided by Mixcloud. */
  clientId: string | undefined;
  /** Client secret, provided by Mixcloud. */
  clientSecret: string | undefined;
  /** Redirect URI, chosen by the developer. */
  redirectUri: string | undefined;
  /** The `Mixcloud` object whose session makes the request. */
  mixcloud: Mixcloud | undefined;
  readonly #root: string;
  readonly #raise: boolean | undefined;
  readonly #transport: Omit<ClientOptions, 'baseUrl'>;

  constructor(oauthRoot?: string | MixcloudOAuthOptions, options: MixcloudOAuthOptions = {}) {
    const given = typeof oauthRoot === 'object' && oauthRoot !== null ? oauthRoot : options;
    const root = typeof oauthRoot === 'string' ? oauthRoot : (given.oauthRoot ?? MixcloudOAuth.oauthRoot);
    const {
      oauthRoot: _root,
      clientId,
      clientSecret,
      redirectUri,
      raiseExceptions,
      mixcloud,
      ...transport
    } = given;
    this.#root = root.replace(/\/+$/, '');
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.redirectUri = redirectUri;
    this.#raise = raiseExceptions;
    this.mixcloud = mixcloud;
    this.#transport = transport;
  }

  #check(): { clientId: string; redirectUri: string } {
    if (!this.clientId) throw new InvalidInputError('clientId', 'client_id must be set');
    if (!this.redirectUri) throw new InvalidInputError('redirectUri', 'redirect_uri must be set');
    return { clientId: this.clientId, redirectUri: this.redirectUri };
  }

  /** Where to send the user: `<root>/authorize?client_id=…&redirect_uri=…`. */
  get authorizationUrl(): string {
    const { clientId, redirectUri } = this.#check();
    return `${this.#root}/authorize?client_id=${encodeLikeYarl(clientId)}&redirect_uri=${encodeLikeYarl(redirectUri)}`;
  }

  /** Whether a failed trade throws: this object's setting, else its `mixcloud`'s, else not. */
  get #raises(): boolean {
    return this.#raise ?? this.mixcloud?.raiseExceptions ?? false;
  }

  /** Trades an OAuth code for an access token; undefined when that fails and nothing says to throw. */
  async accessToken(code: string): Promise<string | undefined> {
    const { clientId, redirectUri } = this.#check();
    if (!this.clientSecret) throw new InvalidInputError('clientSecret', 'client_secret must be set');
    const options = { clientId, clientSecret: this.clientSecret, oauthUrl: this.#root };
    const client = this.mixcloud
      ? this.mixcloud.session.withOptions(options)
      : new MixcloudClient({ ...this.#transport, ...options, baseUrl: API_ROOT, accessToken: null });
    try {
      return (await client.oauth.exchange({ code, redirectUri })).accessToken;
    } catch (error) {
      if (!(error instanceof ApiError) && !(error instanceof ResponseValidationError)) throw error;
      if (!this.#raises) return undefined;
      if (error instanceof ApiError) throw new MixcloudOAuthError(initOf(error));
      throw new MixcloudOAuthError({ error: 'no access_token in the answer' });
    } finally {
      if (!this.mixcloud) await client.close();
    }
  }
}

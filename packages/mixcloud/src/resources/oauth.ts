/**
 * `mixcloud.oauth`: Mixcloud's browser flow. Send the user to {@link OAuth.authorizeUrl}; Mixcloud comes back
 * to `redirectUri?code=…`; {@link OAuth.exchange} trades the code (once) for an access token.
 *
 * @module
 */
import { type APIPromise, type CallOptions, InvalidInputError } from '@mediaferry/core';
import { OAUTH_TOKEN_ENDPOINT } from '../errors.js';
import { callOptions, deferred, type MixcloudContext } from '../http.js';
import { type OAuthToken, tokenAnswerSchema } from '../models.js';

/** Query encoding as aiomixcloud's (yarl) writes it: `:` `/` `?` `@` stay readable, a space is `+`. */
export function encodeLikeYarl(value: string): string {
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/%2F/gi, '/')
    .replace(/%3F/gi, '?')
    .replace(/%40/gi, '@')
    .replace(/%20/g, '+');
}

function required(value: string | undefined, option: string, variable: string): string {
  if (!value)
    throw new InvalidInputError(
      option,
      `is required for OAuth: pass the ${option} option or set ${variable}`,
    );
  return value;
}

/** The browser OAuth flow. Needs the app's `clientId` (and `clientSecret` to exchange a code). */
export class OAuth {
  readonly #context: MixcloudContext;

  /** @hidden Mounted by `MixcloudClient`. */
  constructor(context: MixcloudContext) {
    this.#context = context;
  }

  /**
   * Where to send the user. Without `redirectUri`, Mixcloud shows the code on screen for the user to paste
   * (its behaviour when the app has no callback).
   */
  authorizeUrl(params: { readonly redirectUri?: string | undefined } = {}): string {
    const clientId = required(this.#context.clientId, 'clientId', 'MIXCLOUD_CLIENT_ID');
    const redirect =
      params.redirectUri === undefined ? '' : `&redirect_uri=${encodeLikeYarl(params.redirectUri)}`;
    return `${this.#context.roots.oauth}/authorize?client_id=${encodeLikeYarl(clientId)}${redirect}`;
  }

  /**
   * Trades an authorization code for an access token. Sent once (a code buys one token: a retry could only
   * fail); a refusal is a `MixcloudOAuthError` (`type` is Mixcloud's code, e.g. `invalid_grant`).
   */
  exchange(
    params: { readonly code: string; readonly redirectUri?: string | undefined },
    options?: CallOptions,
  ): APIPromise<OAuthToken> {
    return deferred(() => {
      const clientId = required(this.#context.clientId, 'clientId', 'MIXCLOUD_CLIENT_ID');
      const clientSecret = required(this.#context.clientSecret, 'clientSecret', 'MIXCLOUD_CLIENT_SECRET');
      if (typeof params?.code !== 'string' || params.code === '')
        throw new InvalidInputError('code', 'must be the code Mixcloud sent back');
      return this.#context.http.call({
        ...callOptions(options),
        maxRetries: 0,
        path: `${this.#context.roots.oauth}/access_token`,
        endpoint: OAUTH_TOKEN_ENDPOINT,
        auth: false,
        query: {
          client_id: clientId,
          redirect_uri: params.redirectUri ?? '',
          client_secret: clientSecret,
          code: params.code,
        },
        schema: tokenAnswerSchema,
      });
    });
  }
}

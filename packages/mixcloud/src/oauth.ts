import { BaseClient, type ClientOptions, InvalidInputError, type ServiceProfile } from '@mediaferry/core';
import { z } from 'zod';
import { MixcloudOAuthError } from './errors.js';

export const OAUTH_ROOT = 'https://www.mixcloud.com/oauth';

const profile: ServiceProfile = { name: 'mixcloud-oauth', userAgent: 'mediaferry-mixcloud/0.1.0' };

export interface MixcloudOAuthOptions extends ClientOptions {
  readonly oauthRoot?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly redirectUri?: string;
}

/** Query encoding as aiomixcloud's (yarl) leaves it: `:` `/` `?` `@` stay readable, space is `+`. */
function encodeLikeYarl(value: string): string {
  return encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/%2F/gi, '/')
    .replace(/%3F/gi, '?')
    .replace(/%40/gi, '@')
    .replace(/%20/g, '+');
}

const tokenAnswer = z.looseObject({ access_token: z.string().optional(), error: z.string().optional() });

/** Mixcloud's browser OAuth: send the user to {@link authorizationUrl}, then trade the returned code. */
export class MixcloudOAuth {
  clientId: string | undefined;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  readonly #root: string;
  readonly #http: BaseClient;

  constructor(options: MixcloudOAuthOptions = {}) {
    const { oauthRoot = OAUTH_ROOT, clientId, clientSecret, redirectUri, ...clientOptions } = options;
    this.#root = oauthRoot.replace(/\/+$/, '');
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.redirectUri = redirectUri;
    // client_secret and code travel as query parameters the core redacts by name.
    this.#http = new BaseClient({ baseUrl: this.#root, ...clientOptions }, profile);
  }

  /** Where to send the user; Mixcloud comes back to `redirectUri?code=…`. */
  get authorizationUrl(): string {
    if (!this.clientId) throw new InvalidInputError('clientId', 'client_id must be set');
    if (!this.redirectUri) throw new InvalidInputError('redirectUri', 'redirect_uri must be set');
    return `${this.#root}/authorize?client_id=${encodeLikeYarl(this.clientId)}&redirect_uri=${encodeLikeYarl(this.redirectUri)}`;
  }

  /** Trades an authorization code for an access token. */
  async accessToken(code: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    if (!this.clientId) throw new InvalidInputError('clientId', 'client_id must be set');
    if (!this.redirectUri) throw new InvalidInputError('redirectUri', 'redirect_uri must be set');
    if (!this.clientSecret) throw new InvalidInputError('clientSecret', 'client_secret must be set');
    if (!code) throw new InvalidInputError('code', 'must not be empty');
    const body = await this.#http
      .request({
        path: '/access_token',
        endpoint: 'access_token',
        query: {
          client_id: this.clientId,
          redirect_uri: this.redirectUri,
          client_secret: this.clientSecret,
          code,
        },
        maxRetries: 0,
        schema: tokenAnswer,
        ...(options.signal ? { signal: options.signal } : {}),
      })
      .catch((error: unknown) => {
        const status = (error as { status?: number }).status ?? 0;
        const message = (error as { code?: string }).code ?? (error as Error).message;
        throw new MixcloudOAuthError(message, status);
      });
    if (!body.access_token) throw new MixcloudOAuthError(body.error ?? 'no access_token in the answer', 200);
    return body.access_token;
  }
}

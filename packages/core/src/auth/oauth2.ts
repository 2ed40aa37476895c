/**
 * OAuth2: the client-credentials grant as an {@link AuthStrategy}, and the authorization-code flow
 * (authorization URL, code exchange, refresh, PKCE).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { InvalidInputError, ResponseValidationError } from '../errors.js';
import type { Transport } from '../http/types.js';
import { ExchangeAuth } from './exchange.js';
import { basicAuthorization } from './static.js';
import type { AuthContext } from './strategy.js';
import type { IssuedToken } from './token-cache.js';

/** A token as returned by an OAuth2 token endpoint. */
export interface OAuth2Token extends IssuedToken {
  readonly tokenType: string;
  readonly refreshToken?: string | undefined;
  readonly scope?: string | undefined;
  /** The full response, for provider-specific fields. */
  readonly raw: Record<string, unknown>;
}

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});

/** Reads a token endpoint response; only bearer tokens are accepted (a missing type means bearer). */
export function parseTokenResponse(body: unknown, now: number): OAuth2Token {
  const parsed = tokenResponse.safeParse(body);
  if (!parsed.success) {
    throw new ResponseValidationError(
      'The token endpoint returned no usable access_token',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    );
  }
  const data = parsed.data;
  const tokenType = data.token_type ?? 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') {
    throw new ResponseValidationError(`Unsupported token type ${JSON.stringify(tokenType)}`, [
      { path: 'token_type', message: 'must be bearer' },
    ]);
  }
  return {
    token: data.access_token,
    tokenType: 'Bearer',
    expiresAt: data.expires_in === undefined ? undefined : now + data.expires_in * 1000,
    refreshToken: data.refresh_token,
    scope: data.scope,
    raw: data,
  };
}

export interface ClientCredentialsOptions {
  readonly tokenUrl: string;
  /**
   * Where renewals go, when the provider names another endpoint for them (BigGo's `refresh_url`). The grant
   * stays client credentials: this flow has no refresh token. Default `tokenUrl`.
   */
  readonly refreshUrl?: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scope?: string;
  /** How the client authenticates at the token endpoint. Default `basic` (RFC 6749 §2.3.1). */
  readonly clientAuthentication?: 'basic' | 'body';
  /** Refresh this long before expiry. Default 30 s. */
  readonly skewMs?: number;
  readonly onTokenUpdate?: (token: OAuth2Token) => void;
}

/** The client-credentials grant; tokens are renewed before expiry and once on rejection. */
export class ClientCredentialsAuth extends ExchangeAuth<OAuth2Token> {
  constructor(options: ClientCredentialsOptions) {
    if (!options.clientId) throw new InvalidInputError('clientId', 'is required');
    if (!options.clientSecret) throw new InvalidInputError('clientSecret', 'is required');
    let issued = false;
    super({
      skewMs: options.skewMs ?? 30_000,
      onUpdate: options.onTokenUpdate,
      secrets: [options.clientSecret],
      exchange: async (context) => {
        const url = issued ? (options.refreshUrl ?? options.tokenUrl) : options.tokenUrl;
        const token = await requestClientCredentialsToken(options, url, context);
        issued = true;
        return token;
      },
    });
  }
}

async function requestClientCredentialsToken(
  options: ClientCredentialsOptions,
  tokenUrl: string,
  context: AuthContext,
): Promise<OAuth2Token> {
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (options.scope) form.scope = options.scope;
  const headers: Record<string, string> = { accept: 'application/json' };
  if ((options.clientAuthentication ?? 'basic') === 'basic') {
    headers.authorization = basicAuthorization(options.clientId, options.clientSecret);
  } else {
    form.client_id = options.clientId;
    form.client_secret = options.clientSecret;
  }
  const body = await context.transport.request<unknown>({
    method: 'POST',
    path: tokenUrl,
    endpoint: 'oauth2.token',
    auth: false,
    headers,
    body: { form },
    signal: context.signal,
  });
  return parseTokenResponse(body, context.clock.now());
}

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export function createPkcePair(): { verifier: string; challenge: string; method: 'S256' } {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' };
}

export interface AuthorizationCodeOptions {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly redirectUri: string;
  /** HTTP method of the token endpoint. Default POST (Mixcloud uses GET). */
  readonly tokenMethod?: 'GET' | 'POST';
  readonly clientAuthentication?: 'basic' | 'body';
}

/** The authorization-code flow: build the URL the user visits, then exchange the returned code. */
export class AuthorizationCodeFlow {
  constructor(readonly options: AuthorizationCodeOptions) {
    if (!options.clientId) throw new InvalidInputError('clientId', 'is required');
    if (!options.redirectUri) throw new InvalidInputError('redirectUri', 'is required');
  }

  /** The URL to send the user to. */
  authorizationUrl(
    params: { state?: string; scope?: string; codeChallenge?: string; extra?: Record<string, string> } = {},
  ): string {
    const url = new URL(this.options.authorizeUrl);
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('redirect_uri', this.options.redirectUri);
    url.searchParams.set('response_type', 'code');
    if (params.scope) url.searchParams.set('scope', params.scope);
    if (params.state) url.searchParams.set('state', params.state);
    if (params.codeChallenge) {
      url.searchParams.set('code_challenge', params.codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
    }
    for (const [key, value] of Object.entries(params.extra ?? {})) url.searchParams.set(key, value);
    return url.toString();
  }

  /** Exchanges an authorization code for a token. */
  exchangeCode(
    transport: Transport,
    code: string,
    options: { codeVerifier?: string; signal?: AbortSignal; now?: number } = {},
  ): Promise<OAuth2Token> {
    if (!code) throw new InvalidInputError('code', 'is required');
    const params: Record<string, string> = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.options.redirectUri,
    };
    if (options.codeVerifier) params.code_verifier = options.codeVerifier;
    return this.#token(transport, params, options);
  }

  /** Uses a refresh token to obtain a new access token. */
  refresh(
    transport: Transport,
    refreshToken: string,
    options: { signal?: AbortSignal; now?: number } = {},
  ): Promise<OAuth2Token> {
    if (!refreshToken) throw new InvalidInputError('refreshToken', 'is required');
    return this.#token(transport, { grant_type: 'refresh_token', refresh_token: refreshToken }, options);
  }

  async #token(
    transport: Transport,
    params: Record<string, string>,
    options: { signal?: AbortSignal; now?: number },
  ): Promise<OAuth2Token> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const { clientId, clientSecret } = this.options;
    if (this.options.clientAuthentication === 'basic' && clientSecret) {
      headers.authorization = basicAuthorization(clientId, clientSecret);
    } else {
      params.client_id = clientId;
      if (clientSecret) params.client_secret = clientSecret;
    }
    const method = this.options.tokenMethod ?? 'POST';
    const body = await transport.request<unknown>({
      method,
      path: this.options.tokenUrl,
      endpoint: 'oauth2.token',
      auth: false,
      headers,
      ...(method === 'GET' ? { query: params } : { body: { form: params } }),
      signal: options.signal,
    });
    return parseTokenResponse(body, options.now ?? Date.now());
  }
}

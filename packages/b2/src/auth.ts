import { basicAuthorization, ExchangeAuth, type IssuedToken, type Transport } from '@mediaferry/core';
import { type Authorization, authorizeSchema } from './models.js';

/** An account token plus the URLs and limits that came with it. */
export interface B2Token extends IssuedToken, Authorization {}

/** Tokens last at most 24 h (spec §3.3.1); renewing a little early is harmless. */
const TOKEN_LIFETIME_MS = 24 * 3_600_000;

/**
 * `b2_authorize_account` as a core {@link ExchangeAuth}: one authorization at a time, renewed before expiry
 * and once (single-flight) when B2 answers `expired_auth_token` or `bad_auth_token`. The raw token goes in
 * `Authorization`, without "Bearer".
 */
export function b2Authorization(options: {
  readonly realm: string;
  readonly apiVersion: string;
  readonly applicationKeyId: string;
  readonly applicationKey: string;
  readonly now: () => number;
  readonly onUpdate?: (token: B2Token) => void;
}): ExchangeAuth<B2Token> {
  return new ExchangeAuth<B2Token>({
    exchange: async ({ transport, signal }: { transport: Transport; signal?: AbortSignal | undefined }) => {
      const authorization = await transport.request({
        path: `${options.realm.replace(/\/+$/, '')}/b2api/${options.apiVersion}/b2_authorize_account`,
        endpoint: 'b2_authorize_account',
        auth: false,
        headers: { authorization: basicAuthorization(options.applicationKeyId, options.applicationKey) },
        schema: authorizeSchema,
        signal,
      });
      return { ...authorization, expiresAt: options.now() + TOKEN_LIFETIME_MS };
    },
    apply: (target, token) => target.headers.set('authorization', token.token),
    // The account token goes to these and to the realm only, whatever URL a caller or a server names.
    issuedUrls: (token) => [token.apiUrl, token.downloadUrl],
    secrets: [options.applicationKey],
    skewMs: 60_000,
    ...(options.onUpdate ? { onUpdate: options.onUpdate } : {}),
  });
}

/**
 * `b2_authorize_account` as a core {@link ExchangeAuth}: one authorization at a time, renewed before expiry
 * and once (single-flight) when B2 answers `expired_auth_token` or `bad_auth_token`. The raw token goes in
 * `Authorization`, without "Bearer"; it goes only to the realm and the URLs authorization named.
 *
 * @module
 */
import { ExchangeAuth, type IssuedToken } from '@mediaferry/core';
import type { Authorization } from './models.js';

/** An account token plus the URLs and limits that came with it. */
export interface B2Token extends IssuedToken, Authorization {}

/** Tokens last at most 24 h (spec §3.3.1); renewing a little early is harmless. */
const TOKEN_LIFETIME_MS = 24 * 3_600_000;

export function b2Authorization(options: {
  /** Sends `b2_authorize_account` (the raw API's). */
  readonly authorize: (signal: AbortSignal | undefined) => Promise<Authorization>;
  readonly applicationKey: string;
  readonly now: () => number;
}): ExchangeAuth<B2Token> {
  return new ExchangeAuth<B2Token>({
    exchange: async ({ signal }) => ({
      ...(await options.authorize(signal)),
      expiresAt: options.now() + TOKEN_LIFETIME_MS,
    }),
    apply: (target, token) => target.headers.set('authorization', token.token),
    // The account token goes to these and to the realm only, whatever URL a caller or a server names.
    issuedUrls: (token) => [token.apiUrl, token.downloadUrl],
    secrets: [options.applicationKey],
    skewMs: 60_000,
  });
}

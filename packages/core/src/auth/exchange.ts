/**
 * Authentication by exchanging long-lived credentials for an expiring token through a custom call (B2's
 * `b2_authorize_account`, OAuth2 grants), with single-flight refresh on expiry and on rejection.
 *
 * @module
 */
import type { AuthContext, AuthStrategy, AuthTarget, AuthTicket } from './strategy.js';
import { type IssuedToken, TokenCache, type TokenCacheOptions } from './token-cache.js';

export interface ExchangeAuthOptions<T extends IssuedToken> extends TokenCacheOptions<T> {
  /** Obtains a new token. Runs at most once at a time. */
  readonly exchange: (context: AuthContext) => Promise<T>;
  /** Puts the token on a request. Default: `Authorization: Bearer <token>`. */
  readonly apply?: (target: AuthTarget, token: T) => void;
  /** Other secrets to scrub (e.g. the application key the exchange uses). */
  readonly secrets?: readonly (string | undefined)[];
  /** URLs the exchange answer names as the service's own (B2's `apiUrl`, `downloadUrl`). */
  readonly issuedUrls?: (token: T) => Iterable<string>;
}

export class ExchangeAuth<T extends IssuedToken> implements AuthStrategy {
  readonly cache: TokenCache<T>;
  readonly #apply: (target: AuthTarget, token: T) => void;
  readonly #secrets: readonly (string | undefined)[];
  readonly #issuedUrls: ((token: T) => Iterable<string>) | undefined;

  constructor(options: ExchangeAuthOptions<T>) {
    this.#issuedUrls = options.issuedUrls;
    this.cache = new TokenCache(options.exchange, options);
    this.#apply =
      options.apply ?? ((target, token) => target.headers.set('authorization', `Bearer ${token.token}`));
    this.#secrets = options.secrets ?? [];
  }

  async authorize(target: AuthTarget, context: AuthContext): Promise<AuthTicket> {
    const { value, generation } = await this.cache.current(context);
    this.#apply(target, value);
    return { generation };
  }

  async issuedOrigins(context: AuthContext): Promise<Iterable<string>> {
    if (!this.#issuedUrls) return [];
    const origins: string[] = [];
    for (const url of this.#issuedUrls(await this.token(context))) {
      const origin = originOf(url);
      if (origin) origins.push(origin);
    }
    return origins;
  }

  refresh(ticket: AuthTicket, context: AuthContext): Promise<boolean> {
    return this.cache.refresh(ticket.generation, context);
  }

  /** The token held now, obtaining one if needed. */
  async token(context: AuthContext): Promise<T> {
    return (await this.cache.current(context)).value;
  }

  secrets(): Iterable<string | undefined> {
    return [this.cache.peek()?.token, ...this.#secrets];
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Credentials that never change during a client's life: a bearer token, a cookie, a query parameter or any
 * header. A token may also come from a function, read on every request.
 *
 * @module
 */
import type { AuthStrategy, AuthTarget, AuthTicket } from './strategy.js';

export type TokenValue = string | (() => string | Promise<string>);

const STATIC_TICKET: AuthTicket = { generation: 0 };

abstract class StaticTokenAuth implements AuthStrategy {
  #last: string | undefined;
  constructor(private readonly token: TokenValue) {
    if (typeof token === 'string') this.#last = token;
  }

  protected abstract apply(target: AuthTarget, token: string): void;

  async authorize(target: AuthTarget): Promise<AuthTicket> {
    const token = typeof this.token === 'string' ? this.token : await this.token();
    this.#last = token;
    this.apply(target, token);
    return STATIC_TICKET;
  }

  secrets(): Iterable<string | undefined> {
    return [this.#last];
  }
}

/** `Authorization: Bearer <token>`. */
export class BearerAuth extends StaticTokenAuth {
  protected apply(target: AuthTarget, token: string): void {
    target.headers.set('authorization', `Bearer ${token}`);
  }
}

/** `Authorization: <scheme> <token>`, or the raw token when `scheme` is empty (B2 style), in any header. */
export class HeaderTokenAuth extends StaticTokenAuth {
  constructor(
    token: TokenValue,
    private readonly header = 'authorization',
    private readonly scheme = '',
  ) {
    super(token);
  }
  protected apply(target: AuthTarget, token: string): void {
    target.headers.set(this.header, this.scheme ? `${this.scheme} ${token}` : token);
  }
}

/** A cookie, e.g. GoPro's `gp_access_token=<token>`; other cookies already set are kept. */
export class CookieAuth extends StaticTokenAuth {
  constructor(
    private readonly name: string,
    token: TokenValue,
  ) {
    super(token);
  }
  protected apply(target: AuthTarget, token: string): void {
    const existing = target.headers.get('cookie');
    const pair = `${this.name}=${token}`;
    target.headers.set('cookie', existing ? `${existing}; ${pair}` : pair);
  }
}

/** A query parameter, e.g. Mixcloud's `access_token=<token>`. */
export class QueryTokenAuth extends StaticTokenAuth {
  constructor(
    private readonly param: string,
    token: TokenValue,
  ) {
    super(token);
  }
  protected apply(target: AuthTarget, token: string): void {
    target.url.searchParams.set(this.param, token);
  }
}

/** `Authorization: Basic base64(user:password)`. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

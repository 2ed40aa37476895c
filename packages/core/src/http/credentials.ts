/**
 * Where credentials may go: the client's configured API origin and the origins its auth flow issued
 * (B2's `apiUrl`/`downloadUrl`). A URL elsewhere (a paging link, a connection URL, any absolute URL a
 * server handed out) is fetched without them, or refused when the call needs them.
 *
 * @module
 */
import type { AuthContext, AuthStrategy } from '../auth/strategy.js';
import type { Redactor } from '../redact.js';
import type { Query } from './types.js';

export function originOf(url: string | URL | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** Decides, per URL, whether the client's credentials may be attached. */
export class CredentialScope {
  readonly #configured: string | undefined;

  constructor(baseUrl: string | undefined) {
    this.#configured = originOf(baseUrl);
  }

  /** Whether `url` is the configured API origin or one `auth` issued. */
  async trusts(url: URL, auth: AuthStrategy | undefined, context: AuthContext): Promise<boolean> {
    if (url.origin === this.#configured) return true;
    if (!auth?.issuedOrigins) return false;
    for (const origin of await auth.issuedOrigins(context)) if (origin === url.origin) return true;
    return false;
  }
}

/** Default headers without the secret-bearing ones (`Authorization`, `Cookie`, API keys…). */
export function publicHeaders(
  headers: Readonly<Record<string, string>> | undefined,
  redactor: Redactor,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (!redactor.isSecretHeader(name)) out[name] = value;
  return out;
}

/** A default query without secret-named parameters (`access_token`, `key`…). */
export function publicQuery(query: Query | undefined, redactor: Redactor): Query {
  const out: Record<string, Query[string]> = {};
  for (const [name, value] of Object.entries(query ?? {}))
    if (!redactor.isSecretParam(name)) out[name] = value;
  return out;
}

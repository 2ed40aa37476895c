/**
 * Redaction of secrets in URLs, headers, form bodies, free text and parsed bodies.
 *
 * Two mechanisms work together: names known to carry secrets (the `Authorization` header, an
 * `access_token` query parameter…) are blanked wherever they appear, and the literal values of the
 * credentials a client holds (tokens, keys) are registered so that they are scrubbed even when a server
 * echoes them back inside an error message.
 *
 * @module
 */

export const REDACTED = '[REDACTED]';

/** Header names whose values are always hidden (compared case-insensitively). */
export const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-bz-auth-token',
];

/** Query / form / JSON field names whose values are always hidden (compared case-insensitively). */
export const SECRET_PARAMS: readonly string[] = [
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code',
  'code_verifier',
  'token',
  'password',
  'secret',
  'applicationkey',
  'application_key',
  'authorizationtoken',
  'authorization',
  'signature',
  'x-amz-signature',
  'sig',
];

/**
 * Field names hidden inside parsed bodies. Narrower than {@link SECRET_PARAMS}: `code` is an OAuth secret
 * in a query string but an ordinary error code in a JSON error body.
 */
export const SECRET_FIELDS: readonly string[] = SECRET_PARAMS.filter(
  (name) => name !== 'code' && name !== 'sig',
);

const MIN_SECRET_LENGTH = 6;

export interface RedactorOptions {
  /** Extra header names to hide. */
  readonly headers?: readonly string[];
  /** Extra parameter / field names to hide. */
  readonly params?: readonly string[];
}

export class Redactor {
  readonly #headers: Set<string>;
  readonly #params: Set<string>;
  readonly #fields: Set<string>;
  readonly #secrets = new Set<string>();
  readonly #sources: (() => Iterable<string | undefined>)[] = [];

  constructor(options: RedactorOptions = {}) {
    this.#headers = new Set([...SECRET_HEADERS, ...(options.headers ?? [])].map((h) => h.toLowerCase()));
    this.#params = new Set([...SECRET_PARAMS, ...(options.params ?? [])].map((p) => p.toLowerCase()));
    this.#fields = new Set([...SECRET_FIELDS, ...(options.params ?? [])].map((p) => p.toLowerCase()));
  }

  /** Registers a literal secret value (token, key) to scrub wherever it appears. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= MIN_SECRET_LENGTH) this.#secrets.add(value);
  }

  /** Registers a function returning the secrets of the moment (e.g. the current access token). */
  addSecretSource(source: () => Iterable<string | undefined>): void {
    this.#sources.push(source);
  }

  isSecretHeader(name: string): boolean {
    return this.#headers.has(name.toLowerCase());
  }

  isSecretParam(name: string): boolean {
    return this.#params.has(name.toLowerCase());
  }

  #literalSecrets(): string[] {
    const all = new Set(this.#secrets);
    for (const source of this.#sources) {
      for (const value of source()) if (value && value.length >= MIN_SECRET_LENGTH) all.add(value);
    }
    // Longest first so that a secret containing another is replaced whole.
    return [...all].sort((a, b) => b.length - a.length);
  }

  /** Scrubs free text: literal secrets, their URL-encoded forms, `Bearer …`/`Basic …` credentials and `name=value` pairs of secret names. */
  text(input: string): string {
    return this.#text(input, this.#literalSecrets());
  }

  // The methods below gather the literal secrets once per call, not once per string they scrub (a response's
  // headers each gathered and sorted them).
  #text(input: string, secrets: readonly string[]): string {
    let out = input;
    for (const secret of secrets) {
      out = out.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) out = out.split(encoded).join(REDACTED);
    }
    out = out.replace(/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`);
    out = out.replace(/([?&;\s"']|^)([A-Za-z0-9_.-]+)=([^&\s"'#;]+)/g, (whole, lead: string, name: string) =>
      this.isSecretParam(name) ? `${lead}${name}=${REDACTED}` : whole,
    );
    return out;
  }

  /** A URL with secret query parameters, user-info password and literal secrets hidden. */
  url(input: string | URL): string {
    const secrets = this.#literalSecrets();
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      return this.#text(String(input), secrets);
    }
    if (url.password) url.password = 'REDACTED';
    if (url.username && secrets.includes(url.username)) url.username = 'REDACTED';
    for (const name of [...url.searchParams.keys()]) {
      if (this.isSecretParam(name)) url.searchParams.set(name, REDACTED);
    }
    return this.#text(url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED), secrets);
  }

  /** A plain-object copy of headers with secret values hidden. */
  headers(input: Headers | Record<string, string | undefined>): Record<string, string> {
    const secrets = this.#literalSecrets();
    const out: Record<string, string> = {};
    const entries = input instanceof Headers ? input.entries() : Object.entries(input);
    for (const [name, value] of entries) {
      if (value === undefined) continue;
      out[name] = this.isSecretHeader(name) ? REDACTED : this.#text(value, secrets);
    }
    return out;
  }

  /** Response headers safe to keep on an error object (secret-bearing ones dropped). */
  safeHeaders(input: Headers): Headers {
    const secrets = this.#literalSecrets();
    const out = new Headers();
    for (const [name, value] of input.entries()) {
      if (!this.isSecretHeader(name)) out.append(name, this.#text(value, secrets));
    }
    return out;
  }

  /** Deep copy of a parsed body with secret-named fields and literal secrets hidden. */
  value(input: unknown): unknown {
    return this.#value(input, 0, this.#literalSecrets());
  }

  #value(input: unknown, depth: number, secrets: readonly string[]): unknown {
    if (typeof input === 'string') return this.#text(input, secrets);
    if (depth > 20 || input === null || typeof input !== 'object') return input;
    if (Array.isArray(input)) return input.map((item) => this.#value(item, depth + 1, secrets));
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      out[key] =
        this.#fields.has(key.toLowerCase()) && value != null
          ? REDACTED
          : this.#value(value, depth + 1, secrets);
    }
    return out;
  }
}

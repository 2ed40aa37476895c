/**
 * Redaction of what the journal shows: the same names and rules as the clients' `Redactor` in
 * `@mediaferry/core` (the emulator imports no client code, so the lists are kept in step here, and a test
 * checks them against core's). Names known to carry secrets are blanked wherever they appear; literal
 * secret values the emulator has seen (its credentials, tokens it handed out) are scrubbed everywhere else.
 */

export const REDACTED = '[REDACTED]';

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

/** Narrower than the parameter names: `code` in a JSON body is an error code, not an OAuth secret. */
export const SECRET_FIELDS: readonly string[] = SECRET_PARAMS.filter(
  (name) => name !== 'code' && name !== 'sig',
);

const MIN_SECRET_LENGTH = 6;
const MAX_REMEMBERED = 2_000;
const headerNames = new Set(SECRET_HEADERS);
const paramNames = new Set(SECRET_PARAMS);
const fieldNames = new Set(SECRET_FIELDS);

/**
 * Replaces every occurrence of any of a set of secrets (and of their URL-encoded forms) in one left-to-right
 * pass, the longest secret first where several start at the same place. Secrets are looked up by their first
 * {@link MIN_SECRET_LENGTH} characters, so the cost of a pass is the length of the text, not the number of
 * secrets times it: with the 2,000 signatures a GoPro pull teaches the journal, splitting the text once per
 * secret made every request slower than the last (a 200-file pull went from 3.5 s to 13 s in four runs).
 */
class LiteralScrubber {
  readonly #byPrefix = new Map<string, string[]>();

  constructor(secrets: Iterable<string>) {
    for (const secret of secrets) {
      for (const form of new Set([secret, encodeURIComponent(secret)])) {
        const prefix = form.slice(0, MIN_SECRET_LENGTH);
        const list = this.#byPrefix.get(prefix) ?? [];
        if (!list.includes(form)) list.push(form);
        this.#byPrefix.set(prefix, list);
      }
    }
    for (const list of this.#byPrefix.values()) list.sort((a, b) => b.length - a.length);
  }

  scrub(input: string): string {
    if (this.#byPrefix.size === 0) return input;
    let out = '';
    let copied = 0;
    for (let at = 0; at + MIN_SECRET_LENGTH <= input.length; ) {
      const hit = this.#byPrefix
        .get(input.slice(at, at + MIN_SECRET_LENGTH))
        ?.find((secret) => input.startsWith(secret, at));
      if (hit === undefined) {
        at += 1;
        continue;
      }
      out += input.slice(copied, at) + REDACTED;
      at += hit.length;
      copied = at;
    }
    return copied === 0 ? input : out + input.slice(copied);
  }
}

/** Redacts journal details for one emulator, learning the secrets it hands out as it goes. */
export class JournalRedactor {
  readonly #learned = new Set<string>();
  /** Counts changes to `#learned`, so the scrubber is rebuilt only when they happened. */
  #learnedVersion = 0;
  readonly #known: () => Iterable<string>;
  /** The scrubber for the secrets that made `#scrubberKey`. */
  #cachedScrubber = new LiteralScrubber([]);
  #scrubberKey: string | undefined;

  /** `known` returns the emulator's current credentials (keys, secrets), scrubbed as literals. */
  constructor(known: () => Iterable<string> = () => []) {
    this.#known = known;
  }

  /** Remembers a secret value (a token in a response) so later appearances are scrubbed too. */
  learn(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    if (this.#learned.has(value)) return;
    if (this.#learned.size >= MAX_REMEMBERED)
      this.#learned.delete(this.#learned.values().next().value as string);
    this.#learned.add(value);
    this.#learnedVersion += 1;
  }

  /** The literal scrubber for the secrets known now: rebuilt only when they change. */
  #scrubber(): LiteralScrubber {
    const known = [...this.#known()].filter((value) => value.length >= MIN_SECRET_LENGTH);
    const key = `${this.#learnedVersion}\u0000${known.join('\u0000')}`;
    if (this.#scrubberKey !== key) {
      this.#scrubberKey = key;
      this.#cachedScrubber = new LiteralScrubber([...this.#learned, ...known]);
    }
    return this.#cachedScrubber;
  }

  text(input: string): string {
    let out = this.#scrubber().scrub(input);
    out = out.replace(/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/g, `$1 ${REDACTED}`);
    return out.replace(
      /([?&;\s"']|^)([A-Za-z0-9_.-]+)=([^&\s"'#;]+)/g,
      (whole, lead: string, name: string) =>
        paramNames.has(name.toLowerCase()) ? `${lead}${name}=${REDACTED}` : whole,
    );
  }

  /** A path with its query: secret parameters blanked, literal secrets scrubbed. */
  url(pathAndQuery: string): string {
    const url = new URL(pathAndQuery, 'http://emulator.invalid');
    for (const name of [...url.searchParams.keys()])
      if (paramNames.has(name.toLowerCase())) {
        this.learn(url.searchParams.get(name));
        url.searchParams.set(name, REDACTED);
      }
    const query = url.search.replaceAll(encodeURIComponent(REDACTED), REDACTED);
    return this.text(`${url.pathname}${query}`);
  }

  headers(headers: Headers): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const [name, value] of headers.entries()) {
      if (headerNames.has(name)) {
        this.learn(value.replace(/^(Bearer|Basic|Token)\s+/i, ''));
        out.push([name, REDACTED]);
      } else out.push([name, this.text(value)]);
    }
    return out;
  }

  /** A body as text, redacted by what it is: JSON fields, form fields, or free text. */
  body(text: string, contentType: string): string {
    const type = contentType.toLowerCase();
    if (type.includes('json') || /^\s*[[{]/.test(text)) {
      try {
        return JSON.stringify(this.value(JSON.parse(text)), null, 2);
      } catch {
        // Cut short or not JSON after all: treat as text.
      }
    }
    if (type.includes('application/x-www-form-urlencoded')) {
      const params = new URLSearchParams(text);
      for (const name of [...params.keys()])
        if (paramNames.has(name.toLowerCase())) {
          this.learn(params.get(name));
          params.set(name, REDACTED);
        }
      return this.text(params.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED));
    }
    return this.text(text);
  }

  value(input: unknown, depth = 0): unknown {
    if (typeof input === 'string') return this.text(input);
    if (depth > 20 || input === null || typeof input !== 'object') return input;
    if (Array.isArray(input)) return input.map((item) => this.value(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (fieldNames.has(key.toLowerCase()) && value != null) {
        this.learn(value);
        out[key] = REDACTED;
      } else out[key] = this.value(value, depth + 1);
    }
    return out;
  }
}

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
 *
 * The set changes a secret at a time ({@link add}, {@link remove}): rebuilding it from all the secrets on
 * every new one cost each `b2_get_upload_url` ~0.6 ms per thousand tokens already issued.
 */
class LiteralScrubber {
  readonly #byPrefix = new Map<string, string[]>();
  /** How many of the secrets added (and not removed) have each form: a value may be learned and known. */
  readonly #uses = new Map<string, number>();

  add(secret: string): void {
    for (const form of formsOf(secret)) {
      const uses = this.#uses.get(form) ?? 0;
      this.#uses.set(form, uses + 1);
      if (uses > 0) continue;
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      const list = this.#byPrefix.get(prefix) ?? [];
      // Longest first, so the longest of several secrets starting at one place is the one replaced.
      const at = list.findIndex((other) => other.length < form.length);
      list.splice(at === -1 ? list.length : at, 0, form);
      this.#byPrefix.set(prefix, list);
    }
  }

  remove(secret: string): void {
    for (const form of formsOf(secret)) {
      const uses = this.#uses.get(form);
      if (uses === undefined) continue;
      if (uses > 1) {
        this.#uses.set(form, uses - 1);
        continue;
      }
      this.#uses.delete(form);
      const prefix = form.slice(0, MIN_SECRET_LENGTH);
      const list = this.#byPrefix.get(prefix) ?? [];
      list.splice(list.indexOf(form), 1);
      if (list.length === 0) this.#byPrefix.delete(prefix);
    }
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

/** A secret as it may appear: as is, and URL-encoded. */
function formsOf(secret: string): Set<string> {
  return new Set([secret, encodeURIComponent(secret)]);
}

/** Redacts journal details for one emulator, learning the secrets it hands out as it goes. */
export class JournalRedactor {
  /** Learned secrets, oldest first (the first to go past {@link MAX_REMEMBERED}). */
  readonly #learned = new Set<string>();
  readonly #known: () => Iterable<string>;
  /** The credentials last seen from `#known`, as the scrubber holds them. */
  #knownNow: string[] = [];
  readonly #scrubber = new LiteralScrubber();

  /** `known` returns the emulator's current credentials (keys, secrets), scrubbed as literals. */
  constructor(known: () => Iterable<string> = () => []) {
    this.#known = known;
  }

  /** Remembers a secret value (a token in a response) so later appearances are scrubbed too. */
  learn(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    if (this.#learned.has(value)) return;
    if (this.#learned.size >= MAX_REMEMBERED) {
      const oldest = this.#learned.values().next().value as string;
      this.#learned.delete(oldest);
      this.#scrubber.remove(oldest);
    }
    this.#learned.add(value);
    this.#scrubber.add(value);
  }

  /** The literal scrubber, holding the credentials known now (they change when keys are made or deleted). */
  #current(): LiteralScrubber {
    const known = [...this.#known()].filter((value) => value.length >= MIN_SECRET_LENGTH);
    const before = this.#knownNow;
    if (known.length !== before.length || known.some((value, i) => value !== before[i])) {
      for (const value of before) this.#scrubber.remove(value);
      for (const value of known) this.#scrubber.add(value);
      this.#knownNow = known;
    }
    return this.#scrubber;
  }

  text(input: string): string {
    let out = this.#current().scrub(input);
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

/**
 * How every client finds its host and credentials, in one place: the option, else the variable, else (for
 * the host) the real service. A required credential that is nowhere is an `InvalidInputError` naming both the
 * option and the variable, thrown when the client is constructed — never a half-built client.
 *
 * @module
 */
import { InvalidInputError } from './errors.js';

/** One credential: its option name, the variable it falls back to, and whether the client needs it. */
export interface CredentialSetting {
  readonly option: string;
  readonly env: string;
  /** Default true. A client whose calls work anonymously (Mixcloud reads) marks its token optional. */
  readonly required?: boolean;
}

export interface ServiceSettings {
  /** The service's name in `MEDIAFERRY_<SERVICE>_URL` (b2, gopro, biggo, mixcloud). */
  readonly service: string;
  /** The real service's API root. */
  readonly defaultBaseUrl: string;
  readonly credentials: readonly CredentialSetting[];
}

export interface ResolvedSettings {
  readonly baseUrl: string;
  /** Where the base URL came from, for messages. */
  readonly baseUrlFrom: 'option' | 'env' | 'default';
  /** Credential values by option name (absent when optional and unset). */
  readonly credentials: Readonly<Record<string, string>>;
}

/** The variable that points a service at another host (the same one the CLI reads). */
export function baseUrlVariable(service: string): string {
  return `MEDIAFERRY_${service.toUpperCase()}_URL`;
}

function checkedUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidInputError(field, `must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidInputError(field, `must be an http(s) URL, got "${url.protocol}"`);
  return value.replace(/\/+$/, '');
}

/**
 * Resolves a client's host and credentials from its options and the environment. Empty strings count as
 * unset (a variable exported empty is a common shell accident).
 */
export function resolveSettings(
  settings: ServiceSettings,
  options: { readonly baseUrl?: string | undefined } & Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSettings {
  const variable = baseUrlVariable(settings.service);
  const fromOption =
    typeof options.baseUrl === 'string' && options.baseUrl !== '' ? options.baseUrl : undefined;
  const fromEnv = env[variable] || undefined;
  const baseUrl = fromOption
    ? checkedUrl(fromOption, 'baseUrl')
    : fromEnv
      ? checkedUrl(fromEnv, variable)
      : settings.defaultBaseUrl;
  const credentials: Record<string, string> = {};
  for (const credential of settings.credentials) {
    const given = options[credential.option];
    if (given !== undefined && given !== '' && typeof given !== 'string')
      throw new InvalidInputError(credential.option, 'must be a string');
    const value = (given as string | undefined) || env[credential.env] || undefined;
    if (value) credentials[credential.option] = value;
    else if (credential.required ?? true)
      throw new InvalidInputError(
        credential.option,
        `is required: pass the ${credential.option} option or set ${credential.env}`,
      );
  }
  return {
    baseUrl,
    baseUrlFrom: fromOption ? 'option' : fromEnv ? 'env' : 'default',
    credentials,
  };
}

/**
 * Hands a value to the constructor that `build` runs: construction is synchronous, so the value reaches exactly
 * that object, and the public constructor keeps a plain signature users cannot misuse. How a client's
 * `withOptions()` gives its copy what they share (a transport, a token cache).
 */
export class ConstructionSeed<T> {
  #pending: T | undefined;

  /** Runs `build` with `value` waiting for the constructor inside it. */
  with<R>(value: T, build: () => R): R {
    this.#pending = value;
    try {
      return build();
    } finally {
      this.#pending = undefined;
    }
  }

  /** The value for the object being constructed, if any (read once). */
  take(): T | undefined {
    const value = this.#pending;
    this.#pending = undefined;
    return value;
  }
}

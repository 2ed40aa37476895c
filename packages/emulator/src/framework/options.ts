import type { Context } from 'hono';
import type { EmulatorApp } from './define.js';

/**
 * What a service option holds. `integer` may carry bounds; `enum` lists the accepted values (numbers or
 * strings); `string` may carry a `check` that names what is wrong with a value.
 */
export type OptionType = 'boolean' | 'integer' | 'string' | 'enum';

/** One option of a service: its type, default, what it changes, and where the spec discusses it. */
export interface OptionSpec<V> {
  readonly type: OptionType;
  readonly default: V;
  /** What the option changes, in one sentence. */
  readonly description: string;
  /** The spec section(s) behind the option, e.g. `mixcloud.md §2.14, §6.2`. */
  readonly spec: string;
  /** `enum` only: every accepted value. */
  readonly values?: readonly V[];
  /** `integer` only: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** `string` only: returns what is wrong with a value, or undefined when it is fine. */
  readonly check?: (value: string) => string | undefined;
}

/** Metadata for every option of a service: the compiler checks that no option is left undescribed. */
export type OptionCatalog<O> = { readonly [K in keyof O]-?: OptionSpec<O[K]> };

/** How an option is listed by `GET /__emulator/options`. */
export interface OptionView {
  readonly name: string;
  readonly type: OptionType;
  readonly default: unknown;
  readonly value: unknown;
  readonly description: string;
  readonly spec: string;
  readonly values?: readonly unknown[];
  readonly min?: number;
  readonly max?: number;
}

/** A value an option cannot take (or an option that does not exist); nothing was changed. */
export class OptionError extends RangeError {
  override readonly name = 'OptionError';
  constructor(
    readonly service: string,
    readonly option: string,
    message: string,
  ) {
    super(`${service}.${option}: ${message}`);
  }
}

/** The defaults a catalog declares, as the options object a service reads. */
export function defaultsOf<O>(catalog: OptionCatalog<O>): O {
  return Object.fromEntries(
    Object.entries(catalog).map(([name, spec]) => [name, (spec as OptionSpec<unknown>).default]),
  ) as O;
}

/**
 * The largest value an integer option takes when its spec names no `max`: a terabyte of bytes, or a
 * duration (ms or s) whose end every date the services print can still express. Past that, a TTL or a
 * processing time turns every later answer into an invalid date.
 */
export const INTEGER_OPTION_CEILING = 10 ** 12;
/** The longest text a string option takes (a message, a list of names). */
export const STRING_OPTION_MAX = 2_000;
const hasControl = (value: string) =>
  [...value].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (code < 0x20 && code !== 0x09) || code === 0x7f;
  });

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Checks one value against its spec and returns it in the option's type. Text (from a command line) is read
 * as the option's type: `true`/`false` (also 1/0, yes/no, on/off), a decimal integer, an enum member.
 */
function coerce(spec: OptionSpec<unknown>, value: unknown): { value?: unknown; problem?: string } {
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (spec.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      if (text !== undefined && TRUE.has(text.toLowerCase())) return { value: true };
      if (text !== undefined && FALSE.has(text.toLowerCase())) return { value: false };
      return { problem: 'must be true or false' };
    }
    case 'integer': {
      const number = typeof value === 'number' ? value : text && /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(number)) return { problem: 'must be an integer' };
      if (spec.min !== undefined && number < spec.min) return { problem: `must be at least ${spec.min}` };
      const max = spec.max ?? INTEGER_OPTION_CEILING;
      if (number > max) return { problem: `must be at most ${max}` };
      return { value: number };
    }
    case 'enum': {
      const values = spec.values ?? [];
      const found = values.find((v) => v === value || (text !== undefined && String(v) === text));
      if (found === undefined) return { problem: `must be one of ${values.map(String).join(', ')}` };
      return { value: found };
    }
    default: {
      if (typeof value !== 'string') return { problem: 'must be a string' };
      if (value.length > STRING_OPTION_MAX)
        return { problem: `must be at most ${STRING_OPTION_MAX} characters` };
      if (hasControl(value)) return { problem: 'must not hold control characters' };
      const problem = spec.check?.(value);
      return problem ? { problem } : { value };
    }
  }
}

/**
 * Validates a set of option values (typed, or text as a command line gives them) against a catalog and
 * returns them typed. Throws {@link OptionError} at the first unknown name or bad value; `null` asks for the
 * option's default. Nothing is applied here, so a bad value anywhere changes nothing.
 */
export function validateOptions<O>(
  service: string,
  catalog: OptionCatalog<O> | undefined,
  values: Readonly<Record<string, unknown>>,
): Partial<O> {
  const known = (catalog ?? {}) as Record<string, OptionSpec<unknown>>;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const spec = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!spec) {
      const names = Object.keys(known);
      throw new OptionError(
        service,
        name,
        names.length > 0 ? `no such option (known: ${names.join(', ')})` : 'this service has no options',
      );
    }
    if (value === undefined) continue;
    if (value === null) {
      out[name] = spec.default;
      continue;
    }
    const { value: typed, problem } = coerce(spec, value);
    if (problem) throw new OptionError(service, name, `${problem} (got ${JSON.stringify(value)})`);
    out[name] = typed;
  }
  return out as Partial<O>;
}

/** The live options of one emulator: listed with their metadata, changed as a whole or not at all. */
export class OptionsControl<O = unknown> {
  readonly #service: string;
  readonly #catalog: OptionCatalog<O> | undefined;
  readonly #current: O;

  /** `current` is the very object the service reads, so a change applies to the next request. */
  constructor(service: string, catalog: OptionCatalog<O> | undefined, current: O) {
    this.#service = service;
    this.#catalog = catalog;
    this.#current = current;
  }

  list(): OptionView[] {
    const current = this.#current as Record<string, unknown>;
    return Object.entries((this.#catalog ?? {}) as Record<string, OptionSpec<unknown>>).map(
      ([name, spec]) => ({
        name,
        type: spec.type,
        default: spec.default,
        value: current[name],
        description: spec.description,
        spec: spec.spec,
        ...(spec.values ? { values: spec.values } : {}),
        ...(spec.min === undefined ? {} : { min: spec.min }),
        ...(spec.max === undefined ? {} : { max: spec.max }),
      }),
    );
  }

  /** Validates every value first, then applies them all; throws {@link OptionError} and changes nothing. */
  set(values: Readonly<Record<string, unknown>>): OptionView[] {
    Object.assign(this.#current as object, validateOptions(this.#service, this.#catalog, values));
    return this.list();
  }
}

/** `GET /__emulator/options` lists; `POST` with `{name: value, …}` (null = default) changes them. */
export function mountOptionRoutes(app: EmulatorApp, control: OptionsControl): void {
  const path = '/__emulator/options';
  app.get(path, (c) => c.json({ options: control.list() }));
  app.post(path, async (c: Context) => {
    if (Number(c.req.header('content-length') ?? 0) > 64 * 1024)
      return c.json({ error: 'body must be at most 65536 bytes', code: 'invalid_body' }, 400);
    let body: unknown;
    try {
      const text = await c.req.text();
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      return c.json({ error: 'body is not valid JSON', code: 'invalid_json' }, 400);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return c.json(
        { error: 'body must be a JSON object of option names to values', code: 'invalid_body' },
        400,
      );
    try {
      return c.json({ options: control.set(body as Record<string, unknown>) });
    } catch (error) {
      if (error instanceof OptionError)
        return c.json({ error: error.message, code: 'invalid_option', option: error.option }, 400);
      throw error;
    }
  });
}

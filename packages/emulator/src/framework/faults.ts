/** An HTTP error the emulator answers instead of running the route. */
export interface FaultSpec {
  /** Endpoint name, or `*` for every endpoint. */
  readonly on: string;
  readonly status: number;
  /** The service error code; defaults to one fitting the status. */
  readonly code?: string;
  readonly message?: string;
  /** How many matching requests fail; -1 for all of them. Default 1. */
  readonly count?: number;
  /** Matching requests to let through before failing. Default 0. */
  readonly skip?: number;
  /** `Retry-After`: a number of seconds, or a string sent verbatim (e.g. an HTTP-date). */
  readonly retryAfter?: number | string;
  /** Only requests with this method match. */
  readonly method?: string;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Kinds of connection-level misbehaviour. */
export const WIRE_FAULT_KINDS = [
  'stall',
  'reset_before_response',
  'reset_mid_request',
  'reset_mid_body',
  'truncate_body',
] as const;
export type WireFaultKind = (typeof WIRE_FAULT_KINDS)[number];

/** A failure of the connection rather than of the service. */
export interface WireFaultSpec {
  readonly on: string;
  readonly kind: WireFaultKind;
  /** `stall`: how long to hold the request before answering (real time: it is meant to trip timeouts). */
  readonly ms?: number;
  /** `reset_mid_request`, `reset_mid_body`, `truncate_body`: bytes that pass before the cut. Default 0 / half. */
  readonly afterBytes?: number;
  readonly count?: number;
  readonly skip?: number;
  readonly method?: string;
}

interface Armed<T> {
  readonly id: number;
  readonly spec: T;
  remaining: number;
  skip: number;
}

/** Faults waiting for their requests; each match consumes one use. */
export class FaultList<T extends { on: string; count?: number; skip?: number; method?: string }> {
  readonly #armed: Armed<T>[] = [];
  readonly #parse: ((input: unknown) => T) | undefined;
  #nextId = 1;

  /**
   * `parse` checks a spec whole and returns a clean copy, or throws (a `RangeError` naming the field and the
   * rule) before anything is armed.
   */
  constructor(parse?: (input: unknown) => T) {
    this.#parse = parse;
  }

  add(spec: T): { id: number } {
    return this.addFrom(spec);
  }

  /** Arms a fault from untyped input (a control-plane request body), checked first. */
  addFrom(input: unknown): { id: number } {
    const spec = this.#parse ? this.#parse(input) : ({ ...(input as T) } as T);
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || (count < 1 && count !== -1))
      throw new RangeError('count must be a positive integer or -1');
    const id = this.#nextId++;
    this.#armed.push({ id, spec, remaining: count, skip: Math.max(0, spec.skip ?? 0) });
    return { id };
  }

  /**
   * The fault this request triggers, if any: the first armed match whose skips are used up consumes one use.
   * Every match still skipping counts this request, even when an earlier fault fires on it.
   */
  take(endpoint: string, method: string): T | undefined {
    let chosen: Armed<T> | undefined;
    for (const armed of this.#armed) {
      const { spec } = armed;
      if (spec.on !== endpoint && spec.on !== '*') continue;
      if (spec.method && spec.method.toUpperCase() !== method) continue;
      if (armed.skip > 0) armed.skip -= 1;
      else chosen ??= armed;
    }
    if (!chosen) return undefined;
    if (chosen.remaining !== -1) chosen.remaining -= 1;
    if (chosen.remaining === 0) this.#armed.splice(this.#armed.indexOf(chosen), 1);
    return chosen.spec;
  }

  list(): Array<T & { id: number; remaining: number; skip: number }> {
    return this.#armed.map((a) => ({ ...a.spec, id: a.id, remaining: a.remaining, skip: a.skip }));
  }

  remove(id: number): boolean {
    const index = this.#armed.findIndex((a) => a.id === id);
    if (index >= 0) this.#armed.splice(index, 1);
    return index >= 0;
  }

  clear(): void {
    this.#armed.length = 0;
  }
}

/** A conventional service code for a status, used when a fault names none. */
export function defaultCodeFor(status: number): string {
  const codes: Record<number, string> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    408: 'request_timeout',
    409: 'conflict',
    429: 'too_many_requests',
    500: 'internal_error',
    501: 'not_implemented',
    502: 'bad_gateway',
    503: 'service_unavailable',
    504: 'gateway_timeout',
  };
  return codes[status] ?? `http_${status}`;
}

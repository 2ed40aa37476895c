/**
 * Validation of everything the control plane accepts, over HTTP and in-process alike. Each check runs before
 * anything changes, so a rejected call leaves the emulator exactly as it was.
 */
import { type FaultSpec, WIRE_FAULT_KINDS, type WireFaultSpec } from './faults.js';

/** A control-plane input that breaks a rule; the HTTP control plane answers it with 400 and the message. */
export class ControlInputError extends RangeError {
  override readonly name = 'ControlInputError';
}

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** How long a `stall` may hold a request: long enough to trip any client timeout, short enough to end. */
export const MAX_STALL_MS = 10 * 60_000;
const MAX_USES = 1_000_000;
const MAX_HEADERS = 50;
/** Headers that frame the response: a fault that set them would break the connection, not fail the call. */
const FRAMING_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
]);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const isControl = (code: number) => (code < 0x20 && code !== 0x09) || code === 0x7f;
const hasControl = (value: string) => [...value].some((char) => isControl(char.codePointAt(0) ?? 0));
/** What an HTTP header value may hold: a ByteString without line breaks. */
const isHeaderValue = (value: string) =>
  [...value].every((char) => (char.codePointAt(0) ?? 0) <= 0xff) && !hasControl(value);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Rejects fields the control plane does not know: a typo (`cout`) must not be silently ignored. */
export function onlyKnown(body: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(body).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    throw new ControlInputError(`unknown field ${unknown.join(', ')} (known: ${known.join(', ')})`);
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new ControlInputError('body must be a JSON object');
  return body;
}

export function text(
  body: Record<string, unknown>,
  name: string,
  { required = false, max = 200 }: { required?: boolean; max?: number } = {},
): string | undefined {
  const value = body[name];
  if (value === undefined) {
    if (required) throw new ControlInputError(`${name} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new ControlInputError(`${name} must be a string`);
  if (value.length === 0 || value.length > max)
    throw new ControlInputError(`${name} must be 1-${max} characters`);
  if (hasControl(value)) throw new ControlInputError(`${name} must not hold control characters`);
  return value;
}

export function integer(
  body: Record<string, unknown>,
  name: string,
  { min, max, required = false }: { min: number; max: number; required?: boolean },
): number | undefined {
  const value = body[name];
  if (value === undefined) {
    if (required) throw new ControlInputError(`${name} is required`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max)
    throw new ControlInputError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

function uses(body: Record<string, unknown>): { count?: number; skip?: number } {
  const count = body.count === -1 ? -1 : integer(body, 'count', { min: 1, max: MAX_USES });
  const skip = integer(body, 'skip', { min: 0, max: MAX_USES });
  return { ...(count === undefined ? {} : { count }), ...(skip === undefined ? {} : { skip }) };
}

function method(body: Record<string, unknown>): { method?: string } {
  const value = text(body, 'method', { max: 10 });
  if (value === undefined) return {};
  if (!(HTTP_METHODS as readonly string[]).includes(value.toUpperCase()))
    throw new ControlInputError(`method must be one of ${HTTP_METHODS.join(', ')}`);
  return { method: value.toUpperCase() };
}

/** The endpoint names a fault may target: the service's own, or `*`. */
export type EndpointCheck = (name: string) => void;

export function endpointChecker(known: () => ReadonlySet<string>): EndpointCheck {
  return (name) => {
    if (name === '*') return;
    const names = known();
    // Before routes are registered (a bare FaultList in a unit test) any name goes.
    if (names.size > 0 && !names.has(name))
      throw new ControlInputError(
        `on must be * or an endpoint of this service: ${[...names].sort().join(', ')}`,
      );
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

const FAULT_FIELDS = ['on', 'status', 'code', 'message', 'count', 'skip', 'retryAfter', 'method', 'headers'];

/** Checks an HTTP fault, whole, before it is armed; returns a clean copy. */
export function checkFault(input: unknown, endpoint: EndpointCheck): FaultSpec {
  const body = requireObject(input);
  onlyKnown(body, FAULT_FIELDS);
  const on = text(body, 'on', { required: true }) as string;
  endpoint(on);
  const status = integer(body, 'status', { min: 400, max: 599, required: true }) as number;
  const code = text(body, 'code');
  const message = text(body, 'message', { max: 2000 });
  let retryAfter: number | string | undefined;
  if (typeof body.retryAfter === 'number') retryAfter = integer(body, 'retryAfter', { min: 0, max: 10 ** 9 });
  else if (body.retryAfter !== undefined) {
    if (typeof body.retryAfter !== 'string')
      throw new ControlInputError('retryAfter must be seconds or an HTTP-date string');
    retryAfter = text(body, 'retryAfter') as string;
    if (!isHeaderValue(retryAfter)) throw new ControlInputError('retryAfter must be a plain ASCII string');
  }
  return {
    on,
    status,
    ...optional('code', code),
    ...optional('message', message),
    ...uses(body),
    ...optional('retryAfter', retryAfter),
    ...method(body),
    ...optional('headers', headersOf(body.headers)),
  };
}

function headersOf(headers: unknown): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (!isRecord(headers)) throw new ControlInputError('headers must map names to strings');
  const entries = Object.entries(headers);
  if (entries.length > MAX_HEADERS) throw new ControlInputError(`headers: at most ${MAX_HEADERS}`);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!TOKEN.test(name))
      throw new ControlInputError(`headers: ${JSON.stringify(name)} is not a header name`);
    if (FRAMING_HEADERS.has(name.toLowerCase()))
      throw new ControlInputError(
        `headers: ${name} frames the response and cannot be faked (use a wire fault)`,
      );
    if (typeof value !== 'string' || value.length > 4000 || !isHeaderValue(value))
      throw new ControlInputError(`headers: ${name} must be a printable string of at most 4000 characters`);
    out[name] = value;
  }
  return out;
}

const WIRE_FIELDS = ['on', 'kind', 'ms', 'afterBytes', 'count', 'skip', 'method'];

/** Checks a wire fault, whole, before it is armed; returns a clean copy. */
export function checkWireFault(input: unknown, endpoint: EndpointCheck): WireFaultSpec {
  const body = requireObject(input);
  onlyKnown(body, WIRE_FIELDS);
  const on = text(body, 'on', { required: true }) as string;
  endpoint(on);
  const kind = WIRE_FAULT_KINDS.find((k) => k === text(body, 'kind', { required: true, max: 40 }));
  if (!kind) throw new ControlInputError(`kind must be one of ${WIRE_FAULT_KINDS.join(', ')}`);
  return {
    on,
    kind,
    ...optional('ms', integer(body, 'ms', { min: 0, max: MAX_STALL_MS })),
    ...optional('afterBytes', integer(body, 'afterBytes', { min: 0, max: Number.MAX_SAFE_INTEGER })),
    ...uses(body),
    ...method(body),
  };
}

/**
 * Reading responses: JSON bodies, error bodies turned into typed errors, and fetch failures turned into
 * {@link ConnectionError} / {@link TimeoutError} / {@link AbortError}.
 *
 * @module
 */
import { readAll } from '../body/streams.js';
import {
  AbortError,
  ApiError,
  ConnectionError,
  MediaferryError,
  ResponseValidationError,
  TimeoutError,
} from '../errors.js';
import type { Redactor } from '../redact.js';
import { parseRetryAfter } from '../retry/retry-after.js';
import { abortErrorFrom } from '../signals.js';
import type { ParsedServiceError, ServiceProfile } from './types.js';

/** Error bodies larger than this are cut (they are for humans, not for streaming). */
const MAX_ERROR_BODY = 256 * 1024;

const DEFAULT_REQUEST_ID_HEADERS = [
  'x-request-id',
  'x-bz-request-id',
  'x-amz-request-id',
  'request-id',
  'x-correlation-id',
  'cf-ray',
];

export function requestIdOf(headers: Headers, profile: ServiceProfile): string | undefined {
  for (const name of profile.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** Parses text as JSON; `undefined` for an empty body. A body that is not JSON is a typed error. */
export function parseJsonText(text: string, what: string, redactor?: Redactor): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const preview = text.slice(0, 120).replace(/\s+/g, ' ');
    const safe = (value: string) => (redactor ? redactor.text(value) : value);
    throw new ResponseValidationError(
      `${what} returned a body that is not JSON: ${safe(preview)}`,
      [{ path: '(root)', message: 'invalid JSON' }],
      { cause: error, body: safe(text.slice(0, 4096)) },
    );
  }
}

/** A best-effort reading of common error shapes: `{message}`, `{error: {code, message}}`, `{error: "…"}`… */
export function genericErrorFields(body: unknown): ParsedServiceError {
  if (typeof body === 'string') return { message: body.slice(0, 500) };
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const nested =
    typeof record.error === 'object' && record.error !== null
      ? (record.error as Record<string, unknown>)
      : undefined;
  const pick = (...values: unknown[]) => values.find((v) => typeof v === 'string' || typeof v === 'number');
  const code = pick(
    nested?.code,
    nested?.type,
    record.code,
    typeof record.error === 'string' ? record.error : undefined,
  );
  const message = pick(
    nested?.message,
    record.message,
    record.error_description,
    record.detail,
    record.title,
  );
  return {
    code: code === undefined ? undefined : String(code),
    message: message === undefined ? undefined : String(message),
  };
}

export interface ErrorContext {
  readonly profile: ServiceProfile;
  readonly redactor: Redactor;
  readonly method: string;
  readonly url: string;
  readonly endpoint: string | undefined;
  readonly now: number;
}

/** Reads an error response and builds the service's typed error; every string in it is redacted. */
export async function errorFromResponse(response: Response, context: ErrorContext): Promise<ApiError> {
  let text = '';
  try {
    text = response.body ? new TextDecoder().decode(await readAll(response.body, MAX_ERROR_BODY)) : '';
  } catch {
    // An unreadable or oversized error body still yields an error carrying the status.
  }
  let body: unknown = text;
  try {
    body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return buildApiError(response, body, context);
}

/** Builds the typed error for a response whose body was already read. */
export function buildApiError(
  response: Response,
  body: unknown,
  context: ErrorContext,
  parsed?: ParsedServiceError,
): ApiError {
  const { profile, redactor } = context;
  const fields = parsed ?? { ...genericErrorFields(body), ...(profile.parseError?.(body, response) ?? {}) };
  const status =
    fields.status !== undefined &&
    Number.isInteger(fields.status) &&
    fields.status >= 400 &&
    fields.status < 600
      ? fields.status
      : response.status;
  const message = redactor.text(fields.message ?? (response.statusText || `HTTP ${status}`));
  const init = {
    service: profile.name,
    status,
    headers: redactor.safeHeaders(response.headers),
    code: fields.code === undefined ? undefined : redactor.text(fields.code),
    message,
    requestId: requestIdOf(response.headers, profile),
    retryAfterMs: fields.retryAfterMs ?? parseRetryAfter(response.headers, context.now),
    body: redactor.value(body),
    request: { method: context.method, url: redactor.url(context.url), endpoint: context.endpoint },
  };
  return profile.createError ? profile.createError(init) : ApiError.fromInit(init);
}

function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e instanceof Error && parts.length < 4; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${code}: ${e.message}` : e.message);
  }
  return parts.join(' ← ') || String(error);
}

/**
 * Maps whatever a fetch (or a body read) threw to a typed error: the attempt's own timeout, the caller's
 * abort, an error already typed, or a connection failure.
 */
export function mapTransportError(
  error: unknown,
  attemptSignal: AbortSignal,
  userSignal: AbortSignal | undefined,
  redactor: Redactor,
  what: string,
): MediaferryError {
  if (userSignal?.aborted) return abortErrorFrom(userSignal);
  if (attemptSignal.aborted && attemptSignal.reason instanceof TimeoutError) return attemptSignal.reason;
  if (error instanceof MediaferryError) return error;
  if (error instanceof Error && error.name === 'AbortError')
    return new AbortError(`${what} was aborted`, { cause: error });
  return new ConnectionError(redactor.text(`${what} failed: ${describeCause(error)}`), { cause: error });
}

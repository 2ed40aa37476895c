/**
 * aiob2's exceptions (docs/exceptions.md), thrown by this entry point: one per HTTP status as aiob2 maps
 * them, each a {@link B2Error} that is also the core class of its status (`BadRequest` is a
 * `BadRequestError`, `ServiceUnavailable` a `ServiceUnavailableError`…) and the B2 class of its code
 * (`Forbidden` from a cap is a `CapExceededError`). B2's `code` is kept, not lost as in aiob2.
 *
 * @module
 */
import { ApiError, type ApiErrorInit, InvalidInputError } from '@mediaferry/core';
import { B2Error } from '../../errors.js';

/** An exception made by hand (`new BadRequest()`, as aiob2's docs do): the status of its class, a message. */
function initFor(status: number, init: ApiErrorInit | string | undefined, name: string): ApiErrorInit {
  if (typeof init === 'object') return init;
  return {
    service: 'b2',
    status,
    headers: new Headers(),
    message: init ?? name,
    request: { method: 'NONE', url: '' },
  };
}

/** 401: the key id and key are not valid (or a token expired and could not be renewed). */
export class InvalidAuthorization extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(401, init, 'InvalidAuthorization'));
  }
}
/** 400: B2 refused the request. */
export class BadRequest extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(400, init, 'BadRequest'));
  }
}
/** 403: forbidden (a cap reached, Object Lock, another SSE-C key). */
export class Forbidden extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(403, init, 'Forbidden'));
  }
}
/** 408: B2 timed out waiting for the request (not a client-side timeout, which is a `TimeoutError`). */
export class RequestTimeout extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(408, init, 'RequestTimeout'));
  }
}
/** 429: too many requests. */
export class TooManyRequests extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(429, init, 'TooManyRequests'));
  }
}
/** 500: something failed on B2's side. */
export class InternalError extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(500, init, 'InternalError'));
  }
}
/** 503: B2 is busy or down for a moment. */
export class ServiceUnavailable extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(503, init, 'ServiceUnavailable'));
  }
}
/** Any other status aiob2 has no name for (404 and 416 included). */
export class UndefinedError extends B2Error {
  constructor(init?: ApiErrorInit | string) {
    super(initFor(0, init, 'UndefinedError'));
  }
}

/** A local file to upload does not exist (or is not a file). */
export class NoSuchFile extends InvalidInputError {
  constructor(pathway = '', rule = 'no such file') {
    super('pathway', pathway ? `${rule}: ${pathway}` : rule);
  }
}

/** A part number outside 1-10000. */
export class InvalidPartNumber extends InvalidInputError {
  constructor(partNumber?: number) {
    super('partNumber', `must be an integer 1-10000${partNumber === undefined ? '' : `, got ${partNumber}`}`);
  }
}

const BY_STATUS: Record<number, new (init: ApiErrorInit) => B2Error> = {
  400: BadRequest,
  401: InvalidAuthorization,
  403: Forbidden,
  408: RequestTimeout,
  429: TooManyRequests,
  500: InternalError,
  503: ServiceUnavailable,
};

const KINDS = Symbol.for('mediaferry.error.kinds');

/** The aiob2 exception of an API error (any other error is left as it is: typed already). */
export function translate(error: unknown): unknown {
  if (!(error instanceof ApiError) || Object.values(BY_STATUS).some((c) => error instanceof c)) return error;
  if (error instanceof UndefinedError) return error;
  const body = error.body as { message?: unknown } | undefined;
  const Class = BY_STATUS[error.status] ?? UndefinedError;
  const translated = new Class({
    service: error.service,
    status: error.status,
    headers: error.headers,
    code: error.code,
    message: typeof body?.message === 'string' ? body.message : error.message,
    requestId: error.requestId,
    retryAfterMs: error.retryAfterMs,
    body: error.body,
    request: error.request,
    attempts: error.attempts,
  });
  // Still the class it was (CapExceededError, FileNotPresentError…), for callers who catch those.
  const kinds: unknown = Reflect.get(error, KINDS);
  if (Array.isArray(kinds)) for (const kind of kinds) if (typeof kind === 'string') translated.addKind(kind);
  Object.defineProperty(translated, 'cause', { value: error, enumerable: false, configurable: true });
  return translated;
}

/** Awaits `work`, throwing aiob2's exception for an API error. */
export async function compat<T>(work: PromiseLike<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw translate(error);
  }
}

/** Iterates `source`, throwing aiob2's exception for an API error. */
export async function* compatIterate<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (error) {
    throw translate(error);
  }
}

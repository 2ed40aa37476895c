/**
 * The error tree shared by every mediaferry client.
 *
 * Classes are branded: `instanceof` also recognises errors thrown by another copy of this package (two
 * versions installed side by side), because membership is decided by a list of class names carried on the
 * instance under a global symbol, not only by the prototype chain.
 *
 * @module
 */

import { usableWaitMs } from './retry/wait-ms.js';

const KINDS = Symbol.for('mediaferry.error.kinds');

type Branded = { [KINDS]?: readonly string[] };
type AnyClass = abstract new (...args: never) => unknown;

const ordinaryInstanceOf = (target: AnyClass, value: unknown): boolean =>
  Function.prototype[Symbol.hasInstance].call(target, value);

function kindsOf(target: AnyClass): string[] {
  const kinds: string[] = [];
  for (let c: unknown = target; typeof c === 'function' && c !== Error && c !== Function.prototype; ) {
    kinds.push((c as AnyClass).name);
    c = Object.getPrototypeOf(c);
  }
  return kinds;
}

/** Base class of every error thrown by mediaferry packages. */
export class MediaferryError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    // `this` is whichever class stands right of `instanceof`, a subclass included: that is the point.
    if (ordinaryInstanceOf(this, value)) return true;
    const kinds = (value as Branded)[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.name);
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target), enumerable: false, configurable: true });
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }

  /** Marks this error as also being of another error class (by name), for `instanceof` across packages. */
  addKind(kind: string): void {
    const self = this as unknown as Branded;
    Object.defineProperty(this, KINDS, {
      value: [...(self[KINDS] ?? []), kind],
      enumerable: false,
      configurable: true,
    });
  }
}

/** Bad input detected before any request was sent. */
export class InvalidInputError extends MediaferryError {
  /** The offending field, e.g. `fileName` or `params.tags[2]`. */
  readonly field: string;
  /** The rule that was broken, in words, e.g. `must be 1–1024 UTF-8 bytes`. */
  readonly rule: string;

  constructor(field: string, rule: string, options?: { cause?: unknown; value?: unknown }) {
    super(`Invalid ${field}: ${rule}`, options);
    this.field = field;
    this.rule = rule;
  }
}

/** A file name received from a server that would escape its target folder, or is not a usable name. */
export class UnsafePathError extends MediaferryError {
  readonly fileName: string;
  constructor(fileName: string, reason: string) {
    super(`Refusing unsafe file name ${JSON.stringify(fileName)}: ${reason}`);
    this.fileName = fileName;
  }
}

/** The network failed: refused, reset, DNS, TLS, or a body cut short. */
export class ConnectionError extends MediaferryError {}

/** No response (or no body bytes) within the configured time. */
export class TimeoutError extends ConnectionError {
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(message, options);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller aborted the operation through its `AbortSignal`; `cause` is the signal's reason. */
export class AbortError extends MediaferryError {
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A successful response whose body does not prove success: not JSON, not the declared shape, or a value
 * the client cannot use. `body` is the received body, redacted (absent when it could not be read).
 */
export class ResponseValidationError extends MediaferryError {
  readonly issues: readonly { path: string; message: string }[];
  readonly body: unknown;
  constructor(
    message: string,
    issues: readonly { path: string; message: string }[],
    options?: { cause?: unknown; body?: unknown },
  ) {
    super(message, options);
    this.issues = issues;
    this.body = options?.body;
  }
}

/** A response body larger than the client accepts (`maxResponseBytes`), counted after decompression. */
export class ResponseTooLargeError extends MediaferryError {
  readonly limit: number;
  constructor(what: string, limit: number) {
    super(`${what}: response body exceeds ${limit} bytes (maxResponseBytes)`);
    this.limit = limit;
  }
}

/**
 * A listing that cannot be trusted to end: the server handed out a cursor already visited (a loop), or the
 * listing went past the `maxPages` / `maxItems` guard. Never reported as a normal end.
 */
export class PaginationError extends MediaferryError {
  readonly reason: 'repeated-cursor' | 'max-pages' | 'max-items';
  /** Pages fetched when the listing was stopped. */
  readonly pages: number;
  constructor(message: string, reason: PaginationError['reason'], pages: number) {
    super(message);
    this.reason = reason;
    this.pages = pages;
  }
}

/**
 * A request that needs the client's credentials points at an origin they do not belong to (neither the
 * configured API origin nor one the service's own auth flow issued). Nothing was sent.
 */
export class UntrustedOriginError extends MediaferryError {
  /** The origin refused. */
  readonly origin: string;
  constructor(what: string, origin: string) {
    super(`${what}: refusing to send credentials to ${origin}, which is not an origin of this service`);
    this.origin = origin;
  }
}

/** Transferred bytes did not match the expected size or checksum. */
export class IntegrityError extends MediaferryError {
  readonly algorithm: string;
  readonly expected: string;
  readonly actual: string;
  constructor(what: string, algorithm: string, expected: string, actual: string) {
    super(`${what}: ${algorithm} mismatch (expected ${expected}, got ${actual})`);
    this.algorithm = algorithm;
    this.expected = expected;
    this.actual = actual;
  }
}

/** What an {@link ApiError} remembers of the request that failed; the URL is already redacted. */
export interface RequestSnapshot {
  readonly method: string;
  readonly url: string;
  readonly endpoint?: string | undefined;
}

export interface ApiErrorInit {
  /** Service name, e.g. `b2`. */
  readonly service: string;
  readonly status: number;
  /** Response headers; secret-bearing ones are removed by the client before the error is built. */
  readonly headers: Headers;
  /** The service's own error code, e.g. B2 `expired_auth_token`, BigGo `1004`. */
  readonly code?: string | undefined;
  /** Human message from the service (already redacted). */
  readonly message: string;
  readonly requestId?: string | undefined;
  /** How long the server asked to wait before retrying, from `Retry-After` or the body. */
  readonly retryAfterMs?: number | undefined;
  /** Parsed (and redacted) error body. */
  readonly body?: unknown;
  readonly request: RequestSnapshot;
  /** How many attempts were made, counting the first. */
  readonly attempts?: number | undefined;
}

const STATUS_CLASS_NAMES: Record<number, string> = {
  400: 'BadRequestError',
  401: 'AuthenticationError',
  403: 'PermissionDeniedError',
  404: 'NotFoundError',
  408: 'RequestTimeoutError',
  409: 'ConflictError',
  416: 'RangeNotSatisfiableError',
  422: 'UnprocessableEntityError',
  429: 'RateLimitError',
  503: 'ServiceUnavailableError',
};

function statusClassName(status: number): string | undefined {
  return STATUS_CLASS_NAMES[status] ?? (status >= 500 ? 'InternalServerError' : undefined);
}

/**
 * The server answered with an error status. Subclasses by status ({@link NotFoundError}, …) exist, and a
 * service-specific subclass (say `B2Error`) is still `instanceof` the class matching its status.
 */
export class ApiError extends MediaferryError {
  readonly service: string;
  readonly status: number;
  readonly headers: Headers;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly body: unknown;
  readonly request: RequestSnapshot;
  attempts: number;

  constructor(init: ApiErrorInit) {
    super(ApiError.describe(init));
    this.service = init.service;
    this.status = init.status;
    this.headers = init.headers;
    this.code = init.code;
    this.requestId = init.requestId;
    this.retryAfterMs = usableWaitMs(init.retryAfterMs);
    this.body = init.body;
    this.request = init.request;
    this.attempts = init.attempts ?? 1;
    const statusKind = statusClassName(init.status);
    const StatusClass = statusKind ? STATUS_CLASSES[statusKind] : undefined;
    // A service subclass (say B2Error) of status 503 is a ServiceUnavailableError and, through it, an
    // InternalServerError: every class of the status class's chain is added.
    if (StatusClass && !ordinaryInstanceOf(StatusClass, this)) {
      const own: unknown = Reflect.get(this, KINDS);
      for (const kind of kindsOf(StatusClass))
        if (!(Array.isArray(own) && own.includes(kind))) this.addKind(kind);
    }
  }

  private static describe(init: ApiErrorInit): string {
    const code = init.code ? ` ${init.code}` : '';
    const rid = init.requestId ? ` [request id ${init.requestId}]` : '';
    return `${init.service} ${init.status}${code}: ${init.message} (${init.request.method} ${init.request.url})${rid}`;
  }

  /** Builds the status-specific subclass for `init.status`. */
  static fromInit(init: ApiErrorInit): ApiError {
    const name = statusClassName(init.status);
    const Class = name ? STATUS_CLASSES[name]! : ApiError;
    return new Class(init);
  }
}

export class BadRequestError extends ApiError {}
export class AuthenticationError extends ApiError {}
export class PermissionDeniedError extends ApiError {}
export class NotFoundError extends ApiError {}
/** 408: the server gave up waiting for the request (B2 asks for a fresh upload URL and a retry). */
export class RequestTimeoutError extends ApiError {}
export class ConflictError extends ApiError {}
export class RangeNotSatisfiableError extends ApiError {}
export class UnprocessableEntityError extends ApiError {}
export class RateLimitError extends ApiError {}
export class InternalServerError extends ApiError {}
/** 503: the service is busy or down for a moment; also an {@link InternalServerError} (any 5xx). */
export class ServiceUnavailableError extends InternalServerError {}

const STATUS_CLASSES: Record<string, typeof ApiError> = {
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RequestTimeoutError,
  ConflictError,
  RangeNotSatisfiableError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ServiceUnavailableError,
};

/** Type guard that also works across package copies. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/**
 * aiomixcloud's exceptions, as subclasses of the new API's: a compat `MixcloudError` is also an `ApiError`
 * (status, request id, headers when it came from a response), and reads like the seed's: `type`, `message`,
 * `extra`, and `String(error)` as `"<type>: <message> (<k>: <v>, …)"`.
 *
 * @module
 */
import type { ApiError, ApiErrorInit } from '@mediaferry/core';
import {
  MixcloudError as ApiMixcloudError,
  MixcloudOAuthError as ApiMixcloudOAuthError,
} from '../../errors.js';

/** The body aiomixcloud builds its errors from: `{error: {type, message, …extra}}`. */
export interface MixcloudErrorData {
  readonly error?: Readonly<Record<string, unknown>> | string | undefined;
  readonly [extra: string]: unknown;
}

/** What an error of the new API knew, for this entry point's classes. */
export function initOf(error: ApiError): ApiErrorInit {
  return {
    service: error.service,
    status: error.status,
    headers: error.headers,
    code: error.code,
    message: error.message,
    requestId: error.requestId,
    retryAfterMs: error.retryAfterMs,
    body: error.body,
    request: error.request,
    attempts: error.attempts,
  };
}

function isInit(value: unknown): value is ApiErrorInit {
  return typeof value === 'object' && value !== null && 'request' in value && 'status' in value;
}

/** An error built from a body alone (the seed's constructor): no response, so status 0. */
function initFromData(data: MixcloudErrorData, code: string | undefined, message: string): ApiErrorInit {
  return {
    service: 'mixcloud',
    status: 0,
    headers: new Headers(),
    code,
    message,
    body: data,
    request: { method: '', url: '' },
  };
}

const ordinary = (target: abstract new (...args: never) => unknown, value: unknown) =>
  Function.prototype[Symbol.hasInstance].call(target, value);

function errorObject(data: unknown): Record<string, unknown> {
  const error = (data as { error?: unknown } | undefined)?.error;
  return error && typeof error === 'object' ? (error as Record<string, unknown>) : {};
}

/** Raised when the API answers with an error (`raiseExceptions: true`). */
export class MixcloudError extends ApiMixcloudError {
  // The seed's classes are told apart by their prototypes only (the core's brand matches by class name,
  // and the new API's errors share these names).
  static override [Symbol.hasInstance](value: unknown): boolean {
    return ordinary(MixcloudError, value);
  }

  constructor(data: MixcloudErrorData | ApiErrorInit) {
    const error = errorObject(isInit(data) ? data.body : data);
    const type = typeof error.type === 'string' ? error.type : undefined;
    const message = typeof error.message === 'string' ? error.message : '';
    super(isInit(data) ? data : initFromData(data, type, message));
    Object.defineProperty(this, 'message', { value: message, writable: true, configurable: true });
    // Mixcloud signals rate limits with 403; they are rate limits all the same.
    if (this.code === 'RateLimitException') this.addKind('RateLimitError');
  }

  /** `"<type>: <message> (<k>: <v>, …)"`, extra items with empty values left out. */
  override toString(): string {
    const extras = Object.entries(this.extra)
      .filter(([, value]) => Boolean(value))
      .map(([key, value]) => `${key}: ${String(value)}`);
    const head = [this.type, this.message].filter(Boolean).join(': ');
    const tail = extras.length > 0 ? `(${extras.join(', ')})` : '';
    return [head, tail].filter(Boolean).join(' ');
  }
}

/** Raised when the OAuth code exchange fails (`raiseExceptions`). `message` is the answer's `error`. */
export class MixcloudOAuthError extends ApiMixcloudOAuthError {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return ordinary(MixcloudOAuthError, value);
  }

  constructor(data: MixcloudErrorData | ApiErrorInit) {
    const body = isInit(data) ? data.body : data;
    const raw = (body as { error?: unknown } | undefined)?.error;
    const message = typeof raw === 'string' ? raw : '';
    super(isInit(data) ? data : initFromData(data, message || undefined, message));
    Object.defineProperty(this, 'message', { value: message, writable: true, configurable: true });
  }

  override toString(): string {
    return this.message;
  }
}

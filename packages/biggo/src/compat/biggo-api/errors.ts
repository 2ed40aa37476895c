/**
 * biggo_api's exceptions: `BigGoAPIError(response)` for a 4xx whose body is a BigGo error, and
 * `ClientResponseError` (aiohttp's) for any other failed status or a 2xx whose `result` is false. Both are
 * {@link BigGoError}s, so they carry status, code, message and request id too.
 *
 * @module
 */
import { type ApiErrorInit, InvalidInputError } from '@mediaferry/core';
import { BigGoError, type BigGoErrorResponse } from '../../errors.js';

/** BigGo API Error object for all 4xx responses with an error in the response body. */
export class BigGoAPIError extends BigGoError {
  /** The error response (`ErrorResponse`): `response.error.code` is BigGo's code, e.g. 1004. */
  override get response(): BigGoErrorResponse {
    return super.response ?? { result: false, error: { code: Number(this.code), message: '' } };
  }
}

/**
 * A failed answer that is not a BigGo 4xx error body (aiohttp's `ClientResponseError`): a 5xx, a 4xx the body
 * of which could not be read, or a 2xx/3xx whose `result` is false ("status is 200 but result is False").
 */
export class ClientResponseError extends BigGoError {}

/** A video file that does not exist (Python's `FileNotFoundError`), before any request. */
export class FileNotFoundError extends InvalidInputError {}

function initOf(error: BigGoError, message: string): ApiErrorInit {
  return {
    service: error.service,
    status: error.status,
    headers: error.headers,
    code: error.code,
    message,
    requestId: error.requestId,
    retryAfterMs: error.retryAfterMs,
    body: error.body,
    request: error.request,
    attempts: error.attempts,
  };
}

function errnoOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The error biggo_api would raise for what the client threw. */
export function compatError(error: unknown): unknown {
  if (error instanceof InvalidInputError && error.field === 'source' && errnoOf(error.cause) === 'ENOENT')
    return new FileNotFoundError('file', error.rule, { cause: error });
  if (
    !(error instanceof BigGoError) ||
    error instanceof BigGoAPIError ||
    error instanceof ClientResponseError
  )
    return error;
  const response = error.response;
  if (response && error.status >= 400 && error.status < 500)
    return new BigGoAPIError(initOf(error, response.error.message));
  const message =
    error.status < 400
      ? `status is ${error.status} but result is False`
      : (response?.error.message ?? 'server error');
  return new ClientResponseError(initOf(error, message));
}

/** Awaits a call of the new API, its failure turned into biggo_api's. */
export async function compat<T>(call: PromiseLike<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw compatError(error);
  }
}

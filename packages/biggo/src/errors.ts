/**
 * BigGo errors and how BigGo answers are read. Every error answer of a BigGo host becomes a
 * {@link BigGoError} (also `instanceof` the core class of its status: `NotFoundError` for 1004…), whose
 * `errorCode` is BigGo's number and `response` the error body as biggo_api shows it.
 *
 * @module
 */
import { ApiError, type ApiErrorInit, type ParsedServiceError, type ServiceProfile } from '@mediaferry/core';

/** BigGo API error codes (`BigGoAPIErrorEnum`). Servers may send others: codes are kept as numbers. */
export const BigGoErrorCode = {
  ERROR_METHOD: 1,
  WITHOUT_VERIFY: 2,
  JWT_INVALID: 3,
  JWT_EXPIRED: 4,
  VIDEO_UPLOAD_TRANSCODE_ERROR: 1001,
  VIDEO_UPLOAD_VIDEO_EXIST: 1002,
  VIDEO_DIFFERENT_USER: 1003,
  VIDEO_NOT_EXIST: 1004,
  VIDEO_DELETED: 1005,
  VIDEO_PARAMETER_INVALID: 1006,
  USER_NOT_EXIST: 1007,
  VIDEO_UPLOAD_PRODUCT_IS_NOT_EXIST: 1008,
  VIDEO_UPLOAD_PRODUCT_LIST_OVER_LIMIT: 1009,
  MISSING_PARAMETERS: 1010,
} as const;

/** Token endpoint error codes (`BigGoAuthErrorEnum`): 1005 is a client id or secret the server refuses. */
export const BigGoAuthErrorCode = {
  ERROR_METHOD: 1,
  WITHOUT_AUTH: 2,
  ENV_IS_EMPTY: 3,
  NO_SUCH_FILE_OR_DIR: 4,
  MISSING_PARAMETER: 1001,
  INVALID_PARAMETER: 1002,
  APP_KEY_NOT_EXIST: 1003,
  APP_KEY_IS_REVOKED: 1004,
  APP_KEY_NOT_MATCH: 1005,
  LOGIN_KEY_NOT_EXIST: 1006,
  LOGIN_USER_NOT_EXIST: 1007,
  LOGIN_TOKEN_NOT_EXIST: 1008,
  REFRESH_TOKEN_IS_REVOKED: 1009,
  REFRESH_TOKEN_NOT_EXIST: 1010,
  CREATE_TOKEN_FAIL: 1012,
  CREATE_REFRESH_TOKEN_FAIL: 1013,
  UPDATE_REFRESH_TOKEN_FAIL: 1014,
} as const;

/** biggo_api's `Error`: the detailed code and reason of a failure. */
export interface BigGoErrorDetail {
  readonly code: number;
  readonly message: string;
}

/** biggo_api's `ErrorResponse`: what a BigGo error body says. */
export interface BigGoErrorResponse {
  readonly result: false;
  readonly error: BigGoErrorDetail;
}

/** JS 0.5.2's upload `error_type` values and the API codes they stand for (spec B4). */
const UPLOAD_ERROR_TYPES: Readonly<Record<number, number>> = { 1: 1001, 2: 1002, 3: 1007 };

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The BigGo error a body carries: `{error: {code, message}}`, or only JS 0.5.2's `{error_type}`. */
export function errorResponseOf(body: unknown): BigGoErrorResponse | undefined {
  const b = record(body);
  if (!b) return undefined;
  const error = record(b.error);
  const code = typeof error?.code === 'number' ? error.code : Number(error?.code ?? Number.NaN);
  const message = typeof error?.message === 'string' ? error.message : '';
  if (Number.isInteger(code)) return { result: false, error: { code, message } };
  if (typeof b.error_type === 'number') {
    const mapped = UPLOAD_ERROR_TYPES[b.error_type];
    if (mapped !== undefined) return { result: false, error: { code: mapped, message } };
  }
  return undefined;
}

/**
 * An error answer of a BigGo host, whatever its status: `status`, `code` (BigGo's code as a string, like
 * every service's; `invalid_client` for an OAuth-style token error), `message`, `requestId`,
 * `retryAfterMs`, and BigGo's own views of it.
 */
export class BigGoError extends ApiError {
  /** BigGo's numeric code (1004 for a video that does not exist…), when the body had one. */
  get errorCode(): number | undefined {
    return errorResponseOf(this.body)?.error.code;
  }

  /** The body as biggo_api's `BigGoAPIError.response` shows it, when it was a BigGo error body. */
  get response(): BigGoErrorResponse | undefined {
    return errorResponseOf(this.body);
  }
}

/** Reads a BigGo error body: `{error: {code, message}}`, `{error: "invalid_client"}` or `{error_type: n}`. */
export function parseBigGoError(body: unknown): ParsedServiceError {
  const b = record(body);
  if (!b) return {};
  if (typeof b.error === 'string') return { code: b.error, message: b.error };
  const response = errorResponseOf(body);
  if (response) return { code: String(response.error.code), message: response.error.message || undefined };
  return {};
}

/**
 * biggo_api's rule (spec B3): a body whose `result` is not truthy is a failure even on a 2xx. The token
 * endpoint's answer (`access_token`, no `result`) is the one exception, as it goes through the same client.
 */
function successBodyError(body: unknown, response: Response): ParsedServiceError | undefined {
  const b = record(body);
  // Not an object at all: no answer of BigGo's, left to the schema (a ResponseValidationError).
  if (!b) return undefined;
  if (b.result === true && b.error === undefined && b.error_type === undefined) return undefined;
  if (b.result === undefined && typeof b.access_token === 'string') return undefined;
  const parsed = parseBigGoError(body);
  if (parsed.code !== undefined) return parsed;
  return { message: `status is ${response.status} but result is False` };
}

/** The BigGo service profile: error reading, the error class, and which 401s mean "renew the token". */
export const bigGoProfile: ServiceProfile = {
  name: 'biggo',
  userAgent: 'mediaferry-biggo/0.1.0',
  parseError: parseBigGoError,
  successBodyError,
  createError: (init: ApiErrorInit) => new BigGoError(init),
  // An expired (4) or unknown (3) JWT, or a bare 401: fetch a new token once and replay with it.
  isAuthRejection: (error) =>
    error.status === 401 && (error.code === undefined || error.code === '3' || error.code === '4'),
};

/**
 * Mixcloud's errors. The API answers `{"error": {"type", "message", …extra}}` (whatever the status, a 200
 * included); the OAuth token endpoint answers `{"error": "<code>"}`. Both become a {@link MixcloudError}, an
 * `ApiError` that is also `instanceof` the class of its status.
 *
 * @module
 */
import { ApiError, type ApiErrorInit, type ParsedServiceError } from '@mediaferry/core';

/** An error answered by the Mixcloud API. `type` is Mixcloud's error type (`OAuthException`…), like `code`. */
export class MixcloudError extends ApiError {
  /** Mixcloud's error type (`OAuthException`, `ResourceNotFoundException`, `RateLimitException`…). */
  get type(): string | undefined {
    return this.code;
  }

  /** The error's other fields (`retry_after`…). */
  get extra(): Record<string, unknown> {
    const error = (this.body as { error?: unknown } | undefined)?.error;
    if (!error || typeof error !== 'object') return {};
    const { type: _type, message: _message, ...rest } = error as Record<string, unknown>;
    return rest;
  }
}

/** The OAuth token endpoint refused a code (`invalid_grant`, `invalid_client`…: the `type`). */
export class MixcloudOAuthError extends MixcloudError {}

/** The endpoint name of the OAuth code exchange: its errors are {@link MixcloudOAuthError}. */
export const OAUTH_TOKEN_ENDPOINT = 'oauth_access_token';

/** Reads either error shape. */
export function parseMixcloudError(body: unknown): ParsedServiceError {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return { code: error, message: error };
  const object = error as { type?: unknown; message?: unknown; retry_after?: unknown } | undefined;
  return {
    code: typeof object?.type === 'string' ? object.type : undefined,
    message: typeof object?.message === 'string' ? object.message : undefined,
    ...(typeof object?.retry_after === 'number' ? { retryAfterMs: object.retry_after * 1000 } : {}),
  };
}

/** The error class for a failed call: OAuth for the code exchange, else the API's. */
export function createMixcloudError(init: ApiErrorInit): MixcloudError {
  const error =
    init.request.endpoint === OAUTH_TOKEN_ENDPOINT ? new MixcloudOAuthError(init) : new MixcloudError(init);
  // Mixcloud signals rate limits with 403; they are rate limits all the same.
  if (init.code === 'RateLimitException') error.addKind('RateLimitError');
  return error;
}

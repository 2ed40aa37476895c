/** Mixcloud errors: `{"error": {"type", "message", …extra}}` bodies become {@link MixcloudError}. */
import { ApiError, MediaferryError, type ParsedServiceError } from '@mediaferry/core';

/** A Mixcloud API error; `code` is the error `type` (`OAuthException`, `RateLimitException`…). */
export class MixcloudError extends ApiError {
  /** The error's extra fields (e.g. `retry_after`). */
  get extra(): Record<string, unknown> {
    const error = (this.body as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const { type: _type, message: _message, ...rest } = error;
    return rest;
  }
}

/** The OAuth token endpoint refused the code (its body is `{"error": "<string>"}`). */
export class MixcloudOAuthError extends MediaferryError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

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

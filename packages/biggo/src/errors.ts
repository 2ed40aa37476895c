/** BigGo errors: `{"result": false, "error": {"code", "message"}}` becomes a {@link BigGoAPIError}. */
import { ApiError, type ParsedServiceError } from '@mediaferry/core';

/** BigGo API error codes (`BigGoAPIErrorEnum`). */
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

const UPLOAD_ERROR_TYPES: Record<number, number> = { 1: 1001, 2: 1002, 3: 1007 };

/** A BigGo error; `errorCode` is the numeric BigGo code (`code` holds it as a string, like every service). */
export class BigGoAPIError extends ApiError {
  get errorCode(): number | undefined {
    const n = Number(this.code);
    return Number.isInteger(n) ? n : undefined;
  }
}

export function parseBigGoError(body: unknown): ParsedServiceError {
  const b = body as { error?: unknown; error_type?: unknown } | undefined;
  if (typeof b?.error === 'string') return { code: b.error, message: b.error };
  const error = b?.error as { code?: unknown; message?: unknown } | undefined;
  let code =
    typeof error?.code === 'number' || typeof error?.code === 'string' ? String(error.code) : undefined;
  if (code === undefined && typeof b?.error_type === 'number')
    code = String(UPLOAD_ERROR_TYPES[b.error_type] ?? b.error_type);
  return { code, message: typeof error?.message === 'string' ? error.message : undefined };
}

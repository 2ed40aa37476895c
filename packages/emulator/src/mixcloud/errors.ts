/** Mixcloud's error body (spec §2.14): `{"error": {"type", "message", …extra}}`. */
import { type EmulatorContext, type ErrorSpec, HttpFailure } from '../framework/index.js';
import type { McCtx } from './views.js';

/** An error with extra keys beside `type` and `message` (`retry_after`, `details`). */
export class McFailure extends HttpFailure {
  constructor(
    status: number,
    type: string,
    message: string,
    readonly extra: Record<string, unknown>,
    headers?: Record<string, string>,
  ) {
    super(status, type, message, headers);
  }
}

export function mcFail(
  status: number,
  type: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): never {
  throw new McFailure(status, type, message, extra, headers);
}

export function errorBody(error: ErrorSpec): Record<string, unknown> {
  const body: Record<string, unknown> = { type: error.code, message: error.message };
  if (error instanceof McFailure) Object.assign(body, error.extra);
  else {
    // An injected fault that quotes a wait in its message carries it as retry_after, like the real answer.
    const retry = /Retry after (\d+) seconds/.exec(error.message)?.[1];
    if (retry) body.retry_after = Number(retry);
  }
  return body;
}

export function errorResponse(error: ErrorSpec, c: EmulatorContext): Response {
  return c.json({ error: errorBody(error) }, error.status as 400);
}

/** Field errors of an upload or edit: one message per field, in the shape the options choose (§2.14 [guess]). */
export type FieldErrors = Record<string, string[]>;

export function addError(errors: FieldErrors, field: string, message: string): void {
  errors[field] = [...(errors[field] ?? []), message];
}

export function validationError(ctx: McCtx, details: FieldErrors): never {
  const first = Object.entries(details)[0];
  const o = ctx.options;
  mcFail(
    o.uploadErrorStatus,
    o.uploadErrorType,
    first ? `${first[0]}: ${first[1]![0]}` : 'invalid upload',
    o.uploadErrorDetails ? { details } : {},
  );
}

/**
 * GoPro errors: every answer of the API or the CDN with an error status is a {@link GoProError} (and the core
 * class of its status: `NotFoundError`, `AuthenticationError`…); a video without variations is a
 * {@link NoVariationsError}.
 *
 * @module
 */
import { ApiError, type ApiErrorInit, MediaferryError, type ParsedServiceError } from '@mediaferry/core';

/**
 * The GoPro API (or its CDN) answered with an error: `status`, `code` (the body's `error`, e.g.
 * `invalid_request`), `message`, `requestId`, `retryAfterMs`, `headers`. Also `instanceof` the core class of
 * its status.
 */
export class GoProError extends ApiError {}

/** Builds the {@link GoProError} of a failed response. */
export function createGoProError(init: ApiErrorInit): GoProError {
  return new GoProError(init);
}

/** GoPro's error body: `{"error": "invalid_request", "message": "…"}` (spec §A9; the real shape is unverified). */
export function parseGoProError(body: unknown): ParsedServiceError {
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    code: typeof error.error === 'string' ? error.error : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
  };
}

/** A video (`.mp4`) whose download metadata lists no variations: there is nothing to choose from. */
export class NoVariationsError extends MediaferryError {
  constructor() {
    super('API returned no video variations for this media id.');
  }
}

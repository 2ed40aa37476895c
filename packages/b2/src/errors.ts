/**
 * B2 errors: every API failure is a {@link B2Error}, which is also the core class of its status
 * (`NotFoundError`, `RateLimitError`, `ServiceUnavailableError`…); some codes get their own class.
 *
 * @module
 */
import { ApiError, type ApiErrorInit, MediaferryError, type ParsedServiceError } from '@mediaferry/core';

/** A B2 API error: `code` is B2's (`expired_auth_token`, `duplicate_bucket_name`…). */
export class B2Error extends ApiError {}
/** 403 `cap_exceeded` / `storage_cap_exceeded` / `transaction_cap_exceeded` / `download_cap_exceeded`: never retried. */
export class CapExceededError extends B2Error {}
/** `file_not_present`, `no_such_file`: the file version named does not exist. */
export class FileNotPresentError extends B2Error {}
/** 400 `duplicate_bucket_name`. */
export class DuplicateBucketNameError extends B2Error {}
/** 400 `bad_bucket_id`. */
export class BadBucketIdError extends B2Error {}
/** 401 `unauthorized`: the key lacks a capability, or is restricted to another bucket or prefix. */
export class UnauthorizedError extends B2Error {}
/** 403 `access_denied`: Object Lock protects the file, or the SSE-C key is not the file's. */
export class AccessDeniedError extends B2Error {}
/** 400 `bucket_missing_file_lock`: Object Lock settings on a bucket without File Lock. */
export class BucketMissingFileLockError extends B2Error {}
/** `buckets.get` found no bucket of that name or id (404; B2 itself answers an empty list). */
export class NoSuchBucketError extends B2Error {}

/** `files.unhide` found no hide marker on top of the name: there is nothing to unhide. */
export class FileNotHiddenError extends MediaferryError {
  readonly fileName: string;
  constructor(fileName: string) {
    super(`${fileName} is not hidden: its newest version is not a hide marker`);
    this.fileName = fileName;
  }
}

const BY_CODE: Record<string, new (init: ApiErrorInit) => B2Error> = {
  cap_exceeded: CapExceededError,
  storage_cap_exceeded: CapExceededError,
  transaction_cap_exceeded: CapExceededError,
  download_cap_exceeded: CapExceededError,
  file_not_present: FileNotPresentError,
  no_such_file: FileNotPresentError,
  duplicate_bucket_name: DuplicateBucketNameError,
  bad_bucket_id: BadBucketIdError,
  unauthorized: UnauthorizedError,
  access_denied: AccessDeniedError,
  bucket_missing_file_lock: BucketMissingFileLockError,
};

export function createB2Error(init: ApiErrorInit): B2Error {
  const Class = (init.code && BY_CODE[init.code]) || B2Error;
  return new Class(init);
}

/** B2's error body: `{status, code, message}`. */
export function parseB2Error(body: unknown): ParsedServiceError {
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message : undefined,
  };
}

/** A B2 error body (`{status, code, message}`) sent with a 2xx: an error all the same, of the status it names. */
export function b2ErrorInSuccess(body: unknown): ParsedServiceError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { status?: unknown; code?: unknown };
  if (typeof record.status !== 'number' || record.status < 400 || typeof record.code !== 'string')
    return undefined;
  return { ...parseB2Error(body), status: record.status };
}

/** Codes that mean "this token is no good any more: authorize again" (spec §3.6). */
export function isExpiredToken(error: ApiError): boolean {
  return (
    error.status === 401 &&
    (error.code === undefined || error.code === 'expired_auth_token' || error.code === 'bad_auth_token')
  );
}

/**
 * `@mediaferry/b2`: a Backblaze B2 client along b2sdk's seams — the raw API (`b2.raw`, one function per
 * endpoint), resources (`b2.buckets`, `b2.files`, `b2.largeFiles`, `b2.keys`) and a transfer manager behind
 * `files.upload`, `files.downloadToFile` and `files.copy`. aiob2's surface lives at `@mediaferry/b2/aiob2`.
 *
 * @packageDocumentation
 */
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  IntegrityError,
  InternalServerError,
  InvalidInputError,
  MediaferryError,
  NotFoundError,
  PaginationError,
  PermissionDeniedError,
  RangeNotSatisfiableError,
  RateLimitError,
  RequestTimeoutError,
  ResponseValidationError,
  ServiceUnavailableError,
  TimeoutError,
} from '@mediaferry/core';
export type { B2Token } from './auth.js';
export type { ByteRange } from './checks.js';
export { B2_BASE_URL, B2Client, type B2ClientOptions, type B2ClientOverrides } from './client.js';
export type { BucketEncryption, CustomerKey, ServerSideEncryption } from './encryption.js';
export {
  AccessDeniedError,
  B2Error,
  BadBucketIdError,
  BucketMissingFileLockError,
  CapExceededError,
  DuplicateBucketNameError,
  FileNotHiddenError,
  FileNotPresentError,
  NoSuchBucketError,
  UnauthorizedError,
} from './errors.js';
export type { BucketRetention, LegalHold, Retention, RetentionMode, RetentionUpdate } from './file-lock.js';
export * from './models.js';
export { decodeB2Name, encodeB2Name } from './names.js';
export type { PageOptions, VersionCursor } from './paging.js';
export { B2Raw, type RawContext, type RawOptions } from './raw/index.js';
export type * from './raw/params.js';
export { Buckets } from './resources/buckets.js';
export type { BucketRef } from './resources/context.js';
export { type DownloadParams, Files, type ListFilesParams, type UploadParams } from './resources/files.js';
export { Keys } from './resources/keys.js';
export { LargeFiles, type UploadPartParams } from './resources/large-files.js';
export type { Upload } from './transfer/context.js';
export type { CopyPlan } from './transfer/copy.js';
export type {
  DownloadedFile,
  DownloadToFileSettings,
  FileRef,
  SavedB2File,
  SavedVersion,
} from './transfer/download.js';
export type { FileHead } from './transfer/file-head.js';
export { UPLOAD_ATTEMPTS } from './transfer/fresh-urls.js';
export type { UploadPlan } from './transfer/upload.js';

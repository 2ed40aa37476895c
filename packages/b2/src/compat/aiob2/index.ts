/**
 * `@mediaferry/b2/aiob2`: aiob2's surface (WardPearce's aiob2 1.0.4, the docs the seed names) on the core
 * `B2Client` — the same classes, method names (camelCased, async), argument order, defaults, `(model,
 * handle)` pairs and exception names. New code should use `@mediaferry/b2` itself.
 *
 * @example
 * ```ts
 * import { BucketTypes, client } from '@mediaferry/b2/aiob2';
 * const B2 = client(keyId, applicationKey);
 * await B2.connect();
 * for await (const [data, bucket] of B2.buckets()) console.log(data.bucketName, bucket.bucketId);
 * ```
 *
 * @packageDocumentation
 */
export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  InvalidInputError,
  MediaferryError,
  NotFoundError,
  PermissionDeniedError,
  RangeNotSatisfiableError,
  RateLimitError,
  RequestTimeoutError,
  ServiceUnavailableError,
  TimeoutError,
  UnprocessableEntityError,
} from '@mediaferry/core';
export { B2Error } from '../../errors.js';
export {
  Bucket,
  BucketFiles,
  BucketUpload,
  type CreateBucketKwargs,
  type DownloadAuthorizationKwargs,
  type ListKwargs,
  type UploadKwargs,
} from './bucket.js';
export { type BucketsKwargs, Client, client, DEFAULT_CHUNK_SIZE, type KeysKwargs } from './client.js';
export {
  BadRequest,
  Forbidden,
  InternalError,
  InvalidAuthorization,
  InvalidPartNumber,
  NoSuchFile,
  RequestTimeout,
  ServiceUnavailable,
  TooManyRequests,
  UndefinedError,
} from './errors.js';
export { File, FileParts, type ListPartsKwargs, PartsUpload } from './file.js';
export {
  BucketModel,
  type BucketType,
  BucketTypes,
  FileDeleteModel,
  FileModel,
  GetDowloadAuthModel,
  GetDownloadAuthModel,
  GetUploadUrlModel,
  KeyModel,
  PartDeleteModel,
  PartModel,
} from './models.js';
export type { Session } from './session.js';
export { Copy, type CopyFileKwargs, type CreateKeyKwargs, Key, SourceFile } from './source-file.js';

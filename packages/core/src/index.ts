/**
 * `@mediaferry/core`: the transport shared by every mediaferry client.
 *
 * @packageDocumentation
 */
export { APIPromise, type ResponseInfo, type WithResponse } from './api/api-promise.js';
export { ExchangeAuth, type ExchangeAuthOptions } from './auth/exchange.js';
export {
  AuthorizationCodeFlow,
  type AuthorizationCodeOptions,
  ClientCredentialsAuth,
  type ClientCredentialsOptions,
  createPkcePair,
  type OAuth2Token,
  parseTokenResponse,
} from './auth/oauth2.js';
export {
  BearerAuth,
  basicAuthorization,
  CookieAuth,
  HeaderTokenAuth,
  QueryTokenAuth,
  type TokenValue,
} from './auth/static.js';
export type { AuthContext, AuthStrategy, AuthTarget, AuthTicket } from './auth/strategy.js';
export { type IssuedToken, TokenCache, type TokenCacheOptions } from './auth/token-cache.js';
export { FILE_CHUNK_SIZE, type FileStreamOptions, fileStream } from './body/file-stream.js';
export { type BodyLease, bodyLeases, lendChunk, returnChunk } from './body/leases.js';
export { type MultipartBody, type MultipartPart, multipartBody } from './body/multipart.js';
export { type ProgressReporter, progressReporter } from './body/progress.js';
export {
  BodyConsumedError,
  type BodySource,
  type FileSource,
  fromPath,
  type StreamFactory,
  toBodySource,
  type UploadSource,
} from './body/sources.js';
export {
  bytesStream,
  concatBytes,
  fixedChunks,
  type HashAlgorithm,
  HashingStream,
  readAll,
  type StreamLike,
  toWebStream,
} from './body/streams.js';
export { type BodyTap, countedStream, tapBody } from './body/tap.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
export {
  baseUrlVariable,
  ConstructionSeed,
  type CredentialSetting,
  type ResolvedSettings,
  resolveSettings,
  type ServiceSettings,
} from './config.js';
export {
  AbortError,
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  IntegrityError,
  InternalServerError,
  InvalidInputError,
  isApiError,
  MediaferryError,
  NotFoundError,
  PaginationError,
  PermissionDeniedError,
  RangeNotSatisfiableError,
  RateLimitError,
  type RequestSnapshot,
  RequestTimeoutError,
  ResponseTooLargeError,
  ResponseValidationError,
  ServiceUnavailableError,
  TimeoutError,
  UnprocessableEntityError,
  UnsafePathError,
  UntrustedOriginError,
} from './errors.js';
export { BaseClient, type StreamResponse } from './http/client.js';
export { originOf } from './http/credentials.js';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_MIN_THROUGHPUT,
  DEFAULT_TIMEOUT_MS,
} from './http/limits.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from './http/read-body.js';
export { genericErrorFields } from './http/response.js';
export type {
  CallOptions,
  ClientOptions,
  FetchLike,
  HttpMethod,
  ListingOptions,
  Middleware,
  MiddlewareContext,
  MinThroughput,
  ParsedServiceError,
  Progress,
  ProgressListener,
  Query,
  QueryScalar,
  QueryValue,
  RequestBody,
  RequestOptions,
  ServiceProfile,
  TransferOptions,
  Transport,
  ValidationMode,
} from './http/types.js';
export { appendQuery, joinUrl } from './http/url.js';
export {
  consoleLogger,
  type LogFields,
  type Logger,
  type LogLevel,
  redactingLogger,
  silentLogger,
} from './logger.js';
export { nextOffset, nextPageNumber, nextStartKey, nextUrl } from './pagination/cursors.js';
export {
  DEFAULT_MAX_ITEMS,
  DEFAULT_MAX_PAGES,
  type Page,
  type PageFetcher,
  Paginator,
  type PaginatorOptions,
  TO_ARRAY_HARD_LIMIT,
} from './pagination/paginator.js';
export {
  REDACTED,
  Redactor,
  type RedactorOptions,
  SECRET_FIELDS,
  SECRET_HEADERS,
  SECRET_PARAMS,
} from './redact.js';
export {
  backoffDelay,
  boundedWait,
  checkRetryOptions,
  DEFAULT_RETRY_OPTIONS,
  defaultRetryDecision,
  delayFor,
  isRetryableStatus,
  markIfOverCap,
  type RetryContext,
  type RetryDecision,
  type RetryHook,
  type RetryOptions,
} from './retry/policy.js';
export { parseRetryAfter, parseRetryAfterValue } from './retry/retry-after.js';
export { MAX_TIMER_MS, usableWaitMs } from './retry/wait-ms.js';
export { abortErrorFrom, anySignal, throwIfAborted } from './signals.js';
export {
  createLimiter,
  mapConcurrent,
  type Settled,
  settleConcurrent,
  WorkerRamp,
} from './transfer/concurrency.js';
export { type Jail, openJail } from './transfer/jail.js';
export { safeJoin } from './transfer/safe-path.js';
export { type InclusiveRange, type SaveRangesOptions, saveRangesToFile } from './transfer/save-ranges.js';
export {
  type RangeOpener,
  rangeOpener,
  type SavedFile,
  type SaveToFileOptions,
  saveToFile,
} from './transfer/save-to-file.js';
export {
  isTemporaryName,
  NAME_MAX_BYTES,
  tempPathBeside,
  truncateUtf8,
} from './transfer/temp-names.js';
export { Transfer, type TransferContext, type TransferHandleOptions } from './transfer/transfer.js';
export {
  epochMillis,
  epochSeconds,
  isoDate,
  openEnum,
  openNumericEnum,
  validateResponse,
} from './validation.js';

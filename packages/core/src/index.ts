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
export { type MultipartBody, type MultipartPart, multipartBody } from './body/multipart.js';
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
  countingStream,
  FILE_CHUNK_SIZE,
  fileStream,
  fixedChunks,
  type HashAlgorithm,
  HashingStream,
  readAll,
  type StreamLike,
  toWebStream,
} from './body/streams.js';
export { type Clock, ManualClock, systemClock } from './clock.js';
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
  PermissionDeniedError,
  RangeNotSatisfiableError,
  RateLimitError,
  type RequestSnapshot,
  ResponseValidationError,
  TimeoutError,
  UnprocessableEntityError,
  UnsafePathError,
} from './errors.js';
export { BaseClient, type StreamResponse } from './http/client.js';
export { genericErrorFields } from './http/response.js';
export type {
  CallOptions,
  ClientOptions,
  FetchLike,
  HttpMethod,
  Middleware,
  MiddlewareContext,
  ParsedServiceError,
  Progress,
  ProgressListener,
  Query,
  QueryValue,
  RequestBody,
  RequestOptions,
  ServiceProfile,
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
  DEFAULT_RETRY_OPTIONS,
  defaultRetryDecision,
  delayFor,
  isRetryableStatus,
  type RetryContext,
  type RetryDecision,
  type RetryHook,
  type RetryOptions,
} from './retry/policy.js';
export { parseRetryAfter, parseRetryAfterValue } from './retry/retry-after.js';
export { abortErrorFrom, anySignal, throwIfAborted } from './signals.js';
export { createLimiter, mapConcurrent, type Settled, settleConcurrent } from './transfer/concurrency.js';
export { type Jail, openJail } from './transfer/jail.js';
export { safeJoin } from './transfer/safe-path.js';
export { type SaveRangesOptions, saveRangesToFile } from './transfer/save-ranges.js';
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
export {
  epochMillis,
  epochSeconds,
  isoDate,
  openEnum,
  openNumericEnum,
  validateResponse,
} from './validation.js';

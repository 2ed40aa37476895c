/**
 * Types of the transport: client options, per-request options, service profiles and middleware.
 *
 * @module
 */
import type { ZodType } from 'zod';
import type { AuthStrategy } from '../auth/strategy.js';
import type { MultipartPart } from '../body/multipart.js';
import type { UploadSource } from '../body/sources.js';
import type { Clock } from '../clock.js';
import type { ApiError, ApiErrorInit } from '../errors.js';
import type { Logger, LogLevel } from '../logger.js';
import type { RedactorOptions } from '../redact.js';
import type { RetryHook, RetryOptions } from '../retry/policy.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** One query-string value: dates are sent as ISO 8601, booleans and numbers as their text. */
export type QueryScalar = string | number | boolean | Date;
export type QueryValue = QueryScalar | readonly QueryScalar[] | null | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

/** Any `fetch`-compatible function: the global one, undici's, or an emulator's in-process handler. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** How a request carries its body. */
export type RequestBody =
  | { readonly json: unknown }
  | { readonly form: Readonly<Record<string, string | number | boolean | undefined>> }
  | { readonly multipart: readonly MultipartPart[] }
  | { readonly source: UploadSource; readonly contentType?: string; readonly size?: number };

/**
 * How a JSON response is checked against its schema. Whatever the mode, a result always has its declared
 * type (parsed and transformed by the schema) or the call throws `ResponseValidationError`:
 * - `strict`: any mismatch throws;
 * - `warn` (default): a value that fails its schema in an *optional* field is dropped with a warning (the
 *   schema's default, if any, applies); a missing or wrong required field throws;
 * - `off`: as `warn`, without the warning.
 */
export type ValidationMode = 'strict' | 'warn' | 'off';

/** The minimum-throughput guard of streamed response bodies. */
export interface MinThroughput {
  /** Bytes per second the server must sustain, measured over `windowMs` of waiting. 0 disables. */
  readonly bytesPerSecond: number;
  /** Length of the measuring window, in ms of time spent waiting for the server. */
  readonly windowMs: number;
}

/** Transfer progress. `total` is undefined when the length is unknown. */
export interface Progress {
  readonly loaded: number;
  readonly total: number | undefined;
}

export type ProgressListener = (progress: Progress) => void;

export interface RequestOptions<T = unknown> {
  readonly method?: HttpMethod;
  /** Path relative to the client's `baseUrl`, or an absolute `http(s)://` URL used as is. */
  readonly path: string;
  readonly query?: Query | undefined;
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined;
  readonly body?: RequestBody | undefined;
  /** Logical endpoint name for logs, errors and retry rules (e.g. `b2_upload_file`). */
  readonly endpoint?: string | undefined;
  /** Cancels the request, any backoff sleep and the response body. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Per-attempt time limit in ms for the whole exchange: the response headers, and the body whether it is
   * read as JSON or streamed (uploads and downloads), unless `transferTimeout` is longer.
   */
  readonly timeout?: number | undefined;
  /** A longer limit for requests and responses with streamed bodies (big uploads and downloads), in ms. */
  readonly transferTimeout?: number | undefined;
  /** For streamed responses: longest pause between body chunks, in ms. */
  readonly idleTimeout?: number | undefined;
  /** For streamed responses: the slowest sustained rate accepted. */
  readonly minThroughput?: MinThroughput | undefined;
  /** Largest JSON/text body accepted, counted after decompression. */
  readonly maxResponseBytes?: number | undefined;
  /**
   * Whether the call may be replayed once the server has received it: a connection lost while its answer
   * was being read is then retried. Default: true for GET, HEAD, OPTIONS, PUT and DELETE.
   */
  readonly idempotent?: boolean | undefined;
  /**
   * `required`: the call is refused with `UntrustedOriginError` when its URL is not an origin the client's
   * credentials belong to. `if-trusted` (default): such a URL is fetched without credentials.
   */
  readonly credentials?: 'required' | 'if-trusted' | undefined;
  readonly maxRetries?: number | undefined;
  readonly retry?: Partial<RetryOptions> | undefined;
  /** A rule for this request only, applied after the service's rules. */
  readonly retryHook?: RetryHook | undefined;
  /** `false` sends the request without credentials; a strategy overrides the client's. */
  readonly auth?: false | AuthStrategy | undefined;
  /** Schema the JSON response is validated (and transformed) with. */
  readonly schema?: ZodType<T> | undefined;
  readonly validate?: ValidationMode | undefined;
  /** Statuses that count as success. Default: 2xx. */
  readonly okStatus?: ((status: number) => boolean) | undefined;
  readonly onUploadProgress?: ProgressListener | undefined;
  readonly onDownloadProgress?: ProgressListener | undefined;
}

/** Options every network method of a service client accepts as its last argument. */
export interface CallOptions {
  /** Cancels the call: the request, any backoff sleep and any body still streaming. */
  readonly signal?: AbortSignal | undefined;
  /** Per-attempt time limit in ms (overrides the client's). */
  readonly timeout?: number | undefined;
  /** Retries after the first attempt (overrides the client's). */
  readonly maxRetries?: number | undefined;
  /** Extra headers for this call (over the client's `defaultHeaders`); an `undefined` value removes one. */
  readonly headers?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Options of calls that stream a body (downloads, uploads): {@link CallOptions} plus the transfer limits. */
export interface TransferOptions extends CallOptions {
  /** Time limit in ms for the whole transfer, when longer than `timeout` (overrides the client's). */
  readonly transferTimeout?: number | undefined;
}

/** Guards of a listing: it throws `PaginationError` rather than go past them. */
export interface ListingOptions {
  /** Most pages fetched. Default 10 000. */
  readonly maxPages?: number | undefined;
  /** Most items yielded. Default 10 000 000. */
  readonly maxItems?: number | undefined;
}

/** The minimal surface auth strategies and helpers need from a client. */
export interface Transport {
  request<T = unknown>(options: RequestOptions<T>): Promise<T>;
}

export interface MiddlewareContext {
  /** 0 for the first attempt, 1 for the first retry… */
  readonly attempt: number;
  readonly endpoint: string | undefined;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/**
 * Runs around every attempt, inside the retry loop, after credentials were added. It may change the
 * request, short-circuit with its own response, or observe the response.
 */
export type Middleware = (
  request: Request,
  next: (request: Request) => Promise<Response>,
  context: MiddlewareContext,
) => Promise<Response>;

/** Options a user passes to any mediaferry client. */
export interface ClientOptions {
  /** Root of the API; each service has its own default. */
  readonly baseUrl?: string;
  /** Replaces the global `fetch` (a proxy-aware undici fetch, or an emulator's `fetch`). */
  readonly fetch?: FetchLike;
  /**
   * Extra `RequestInit` fields merged into every request. An undici `dispatcher` (a proxy agent) applies to
   * every request, streamed uploads included (they go through the dispatcher's own `request`).
   */
  readonly fetchOptions?: Omit<RequestInit, 'dispatcher'> & {
    /** An undici `Dispatcher` (any undici version: only its `request`/`dispatch` API is used). */
    readonly dispatcher?: unknown;
  } & Record<string, unknown>;
  /**
   * Per-attempt time limit in ms for the whole exchange, headers and body, streamed bodies included unless
   * `transferTimeout` is longer. Default 60 000.
   */
  readonly timeout?: number;
  /**
   * Time limit in ms for requests and responses with streamed bodies (uploads, downloads), when longer
   * than `timeout`. Default: `timeout`. Set it for big files.
   */
  readonly transferTimeout?: number;
  /** Longest pause between chunks of a streamed body, in ms. Default 120 000. */
  readonly idleTimeout?: number;
  /**
   * Slowest sustained download rate accepted: a body trickling slower fails with `TimeoutError`. Default
   * 1 KiB/s over 30 s of waiting; `{ bytesPerSecond: 0, … }` disables it.
   */
  readonly minThroughput?: MinThroughput;
  /** Largest JSON or text response body read into memory, after decompression. Default 64 MiB. */
  readonly maxResponseBytes?: number;
  /** Retries after the first attempt. Default 2 (services may change it). */
  readonly maxRetries?: number;
  readonly retry?: Partial<RetryOptions>;
  /** Receives redacted log lines. Default: silent, or stderr when `MEDIAFERRY_LOG` is set. */
  readonly logger?: Logger;
  readonly logLevel?: LogLevel;
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  readonly defaultQuery?: Query;
  /** Appended to the client's own `User-Agent`. */
  readonly userAgent?: string;
  readonly middleware?: readonly Middleware[];
  /** Response validation mode (see {@link ValidationMode}). Default `warn`. */
  readonly validate?: ValidationMode;
  /** Time source for backoff sleeps and token expiry (tests pass a virtual clock). */
  readonly clock?: Clock;
}

/** What a service error body says. */
export interface ParsedServiceError {
  /** The status the body itself names, when it differs from the response's (an error inside a 2xx). */
  readonly status?: number | undefined;
  readonly code?: string | undefined;
  readonly message?: string | undefined;
  /** A wait hint found in the body (e.g. Mixcloud's `retry_after`). */
  readonly retryAfterMs?: number | undefined;
}

/** What a service package tells the transport about its API. */
export interface ServiceProfile {
  /** Short name used in messages, e.g. `b2`. */
  readonly name: string;
  /** Product token of the `User-Agent`, e.g. `mediaferry-b2/0.1.0`. */
  readonly userAgent: string;
  /** Default retry count for this service. */
  readonly maxRetries?: number;
  readonly retry?: Partial<RetryOptions>;
  /** Reads the service's error body. */
  readonly parseError?: (body: unknown, response: Response) => ParsedServiceError;
  /** A failure reported inside a successful response (e.g. BigGo's `result: false`). */
  readonly successBodyError?: (body: unknown, response: Response) => ParsedServiceError | undefined;
  /** Builds the service's error class. Default: {@link ApiError.fromInit}. */
  readonly createError?: (init: ApiErrorInit) => ApiError;
  /** The service's retry rules. */
  readonly retryHook?: RetryHook;
  /** Whether an error means "credential expired or invalid: refresh and replay". Default: status 401. */
  readonly isAuthRejection?: (error: ApiError) => boolean;
  readonly redact?: RedactorOptions;
  /** Headers carrying the request id, in order of preference. */
  readonly requestIdHeaders?: readonly string[];
}

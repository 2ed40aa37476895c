/**
 * The transport every service client is built on: request assembly, credentials, middleware, per-attempt
 * timeouts, abort, retries with the service's rules, single-flight credential refresh, typed errors,
 * redacted logs and response validation.
 *
 * @module
 */
import type { AuthContext, AuthStrategy, AuthTicket } from '../auth/strategy.js';
import { multipartBody } from '../body/multipart.js';
import { BodyConsumedError, type BodySource, toBodySource } from '../body/sources.js';
import { countingStream, ownedStream } from '../body/streams.js';
import { type Clock, systemClock } from '../clock.js';
import { ApiError, MediaferryError, TimeoutError } from '../errors.js';
import { consoleLogger, type Logger, levelFromEnv, redactingLogger, silentLogger } from '../logger.js';
import { Redactor } from '../redact.js';
import {
  DEFAULT_RETRY_OPTIONS,
  defaultRetryDecision,
  type RetryDecision,
  type RetryOptions,
} from '../retry/policy.js';
import { abortErrorFrom, throwIfAborted } from '../signals.js';
import { validateResponse } from '../validation.js';
import { guardBody } from './guarded-body.js';
import { streamingUpload } from './node-upload.js';
import {
  buildApiError,
  type ErrorContext,
  errorFromResponse,
  mapTransportError,
  parseJsonText,
  requestIdOf,
} from './response.js';
import type {
  ClientOptions,
  FetchLike,
  Middleware,
  RequestBody,
  RequestOptions,
  ServiceProfile,
  Transport,
  ValidationMode,
} from './types.js';
import { appendQuery, joinUrl } from './url.js';

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RETRIES = 2;

/** A successful response whose body is handed over as a stream. */
export interface StreamResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The final URL, redacted. */
  readonly url: string;
  /** Length announced by the server (undefined when unknown or content-encoded). */
  readonly contentLength: number | undefined;
  readonly requestId: string | undefined;
  /** The body, guarded: idle timeout, abort, typed errors, length check, progress. */
  readonly body: ReadableStream<Uint8Array>;
}

interface PreparedBody {
  /** Small bodies (JSON, forms) are kept as strings and replayed freely. */
  readonly text?: string;
  readonly source?: BodySource;
  readonly contentType?: string | undefined;
}

interface Attempt {
  readonly response: Response;
  readonly controller: AbortController;
  readonly url: string;
  /** Detaches the caller's signal and timers once the response is fully consumed. */
  readonly release: () => void;
}

/** Requests whose body is a stream: sent through node:http unless the user injected a fetch. */
const streamedRequests = new WeakSet<Request>();

async function prepareBody(body: RequestBody | undefined): Promise<PreparedBody> {
  if (body === undefined) return {};
  if ('json' in body) return { text: JSON.stringify(body.json), contentType: 'application/json' };
  if ('form' in body) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body.form))
      if (value !== undefined) form.append(name, String(value));
    return { text: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if ('multipart' in body) {
    const source = multipartBody(body.multipart);
    return { source, contentType: source.contentType };
  }
  const options = body.size === undefined ? {} : { size: body.size };
  return { source: await toBodySource(body.source, options), contentType: body.contentType };
}

/**
 * The base client. Service packages create one with their {@link ServiceProfile} and describe their
 * endpoints on top of it; users only ever pass {@link ClientOptions}.
 */
export class BaseClient implements Transport {
  readonly profile: ServiceProfile;
  readonly options: ClientOptions;
  /** Register secrets here (keys, tokens) so they never reach a log line or an error. */
  readonly redactor: Redactor;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly auth: AuthStrategy | undefined;
  readonly #fetch: FetchLike;
  readonly #retry: RetryOptions;
  readonly #middleware: readonly Middleware[];
  readonly #userAgent: string;

  constructor(options: ClientOptions, profile: ServiceProfile, auth?: AuthStrategy) {
    this.options = options;
    this.profile = profile;
    this.auth = auth;
    this.redactor = new Redactor(profile.redact);
    if (auth) this.redactor.addSecretSource(() => auth.secrets());
    const level = options.logLevel ?? levelFromEnv(options.logger ? 'info' : 'off');
    const inner = options.logger ?? (level === 'off' ? silentLogger : consoleLogger());
    this.logger = redactingLogger(inner, this.redactor, level);
    this.clock = options.clock ?? systemClock;
    // Without an injected fetch, streamed uploads go through node:http: the built-in fetch would hold the
    // whole body in memory (nodejs/undici#4058).
    this.#fetch =
      options.fetch ??
      ((input, init) =>
        input instanceof Request && streamedRequests.has(input)
          ? streamingUpload(input)
          : fetch(input, init));
    this.#retry = { ...DEFAULT_RETRY_OPTIONS, ...profile.retry, ...options.retry };
    this.#middleware = options.middleware ?? [];
    this.#userAgent = [profile.userAgent, `node/${process.versions.node}`, options.userAgent]
      .filter(Boolean)
      .join(' ');
  }

  get baseUrl(): string {
    return this.options.baseUrl ?? '';
  }

  /** Sends a request and returns its JSON body, validated with `options.schema` when given. */
  async request<T = unknown>(options: RequestOptions<T>): Promise<T> {
    const attempt = await this.#send(options, true);
    const { response } = attempt;
    const what = this.#describe(options, attempt.url);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw mapTransportError(
        error,
        attempt.controller.signal,
        options.signal,
        this.redactor,
        `${what} (reading the body)`,
      );
    } finally {
      attempt.release();
    }
    const body = parseJsonText(text, what);
    const failure = this.profile.successBodyError?.(body, response);
    if (failure) throw buildApiError(response, body, this.#errorContext(options, attempt.url), failure);
    if (!options.schema) return body as T;
    return validateResponse(options.schema, body, this.#validationMode(options), this.logger, what);
  }

  /** Sends a request and hands back the body as a guarded stream (downloads). */
  async stream(options: RequestOptions): Promise<StreamResponse> {
    const attempt = await this.#send(options, false);
    const { response, controller } = attempt;
    const encoded = response.headers.has('content-encoding');
    const lengthHeader = response.headers.get('content-length');
    const contentLength =
      !encoded && lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    const url = this.redactor.url(attempt.url);
    const empty = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const body = response.body
      ? guardBody(response.body, {
          controller,
          userSignal: options.signal,
          idleTimeoutMs: options.idleTimeout ?? this.options.idleTimeout ?? DEFAULT_IDLE_TIMEOUT_MS,
          expectedLength: options.method === 'HEAD' ? undefined : contentLength,
          onProgress: options.onDownloadProgress,
          redactor: this.redactor,
          what: this.#describe(options, attempt.url),
          onSettled: attempt.release,
        })
      : empty;
    if (!response.body) attempt.release();
    return {
      status: response.status,
      headers: this.redactor.safeHeaders(response.headers),
      url,
      contentLength,
      requestId: requestIdOf(response.headers, this.profile),
      body,
    };
  }

  #validationMode(options: RequestOptions): ValidationMode {
    return options.validate ?? this.options.validate ?? 'warn';
  }

  #describe(options: RequestOptions, url: string): string {
    const endpoint = options.endpoint ? `${options.endpoint} ` : '';
    return `${this.profile.name} ${endpoint}(${options.method ?? 'GET'} ${this.redactor.url(url)})`;
  }

  #errorContext(options: RequestOptions, url: string): ErrorContext {
    return {
      profile: this.profile,
      redactor: this.redactor,
      method: options.method ?? 'GET',
      url,
      endpoint: options.endpoint,
      now: this.clock.now(),
    };
  }

  #authContext(signal: AbortSignal | undefined): AuthContext {
    return { transport: this, clock: this.clock, signal };
  }

  /** The retry loop: one iteration per attempt. */
  async #send(options: RequestOptions, bufferedBody: boolean): Promise<Attempt> {
    const method = options.method ?? 'GET';
    const userSignal = options.signal;
    throwIfAborted(userSignal);
    const body = await prepareBody(options.body);
    const auth = options.auth === false ? undefined : (options.auth ?? this.auth);
    const maxRetries =
      options.maxRetries ?? this.options.maxRetries ?? this.profile.maxRetries ?? DEFAULT_MAX_RETRIES;
    const retryOptions: RetryOptions = { ...this.#retry, ...options.retry };
    let retries = 0;
    let refreshed = false;

    for (let attemptIndex = 0; ; attemptIndex++) {
      throwIfAborted(userSignal);
      const url = appendQuery(
        new URL(joinUrl(this.baseUrl, options.path)),
        this.options.defaultQuery,
        options.query,
      );
      const headers = new Headers(this.options.defaultHeaders);
      headers.set('user-agent', this.#userAgent);
      if (body.contentType) headers.set('content-type', body.contentType);
      for (const [name, value] of Object.entries(options.headers ?? {}))
        if (value !== undefined) headers.set(name, value);

      // A failure to obtain credentials is final here: the token request had its own retries.
      const ticket: AuthTicket | undefined = auth
        ? await auth.authorize({ headers, url }, this.#authContext(userSignal))
        : undefined;
      let attempt: Attempt | undefined;
      let failure: MediaferryError;
      try {
        attempt = await this.#attempt(options, method, url, headers, body, attemptIndex, bufferedBody);
        if ((options.okStatus ?? isSuccess)(attempt.response.status)) return attempt;
        failure = await errorFromResponse(attempt.response, this.#errorContext(options, url.toString()));
        attempt.release();
      } catch (error) {
        attempt?.release();
        if (error instanceof BodyConsumedError || !(error instanceof MediaferryError)) throw error;
        failure = error;
      }

      const canReplay = !body.source || body.source.replayable || !body.source.consumed;
      if (failure instanceof ApiError) failure.attempts = attemptIndex + 1;

      if (
        failure instanceof ApiError &&
        auth?.refresh &&
        ticket &&
        !refreshed &&
        canReplay &&
        (this.profile.isAuthRejection ?? isUnauthorized)(failure)
      ) {
        refreshed = true;
        this.logger.info(
          `${this.#describe(options, url.toString())}: credentials rejected (${failure.code ?? failure.status}); refreshing once`,
        );
        if (await auth.refresh(ticket, this.#authContext(userSignal))) continue;
      }

      const decision = this.#decide(options, failure, retries, method, retryOptions);
      if (!decision.retry || retries >= maxRetries) throw failure;
      if (!canReplay) {
        this.logger.warn(
          `${this.#describe(options, url.toString())}: not retrying after ${failure.name}: the body was a one-shot stream already sent`,
        );
        throw failure;
      }
      this.logger.warn(
        `${this.#describe(options, url.toString())}: ${decision.reason}; retry ${retries + 1}/${maxRetries} in ${decision.delayMs} ms`,
      );
      await this.clock.sleep(decision.delayMs, userSignal);
      retries += 1;
    }
  }

  #decide(
    options: RequestOptions,
    error: MediaferryError,
    retries: number,
    method: string,
    retryOptions: RetryOptions,
  ): RetryDecision {
    const context = { attempt: retries, error, method, endpoint: options.endpoint };
    let decision = defaultRetryDecision(context, retryOptions);
    decision = this.profile.retryHook?.(context, decision) ?? decision;
    decision = options.retryHook?.(context, decision) ?? decision;
    return decision;
  }

  /** One attempt: fetch through the middleware chain under a per-attempt timeout linked to the caller's signal. */
  async #attempt(
    options: RequestOptions,
    method: string,
    url: URL,
    headers: Headers,
    body: PreparedBody,
    attemptIndex: number,
    bufferedBody: boolean,
  ): Promise<Attempt> {
    const controller = new AbortController();
    const userSignal = options.signal;
    const onUserAbort = () => controller.abort(userSignal?.reason);
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const timeoutMs = options.timeout ?? this.options.timeout ?? DEFAULT_TIMEOUT_MS;
    const what = this.#describe(options, url.toString());
    let timer: NodeJS.Timeout | undefined = setTimeout(
      () => controller.abort(new TimeoutError(`${what}: no response within ${timeoutMs} ms`, timeoutMs)),
      timeoutMs,
    );
    // The request body, when it is a stream: released (its file closed) once the exchange is over, even if
    // the server answered without reading all of it.
    let sentBody: ReturnType<typeof ownedStream> | undefined;
    const release = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      userSignal?.removeEventListener('abort', onUserAbort);
      sentBody?.release();
    };

    try {
      const init: RequestInit & { duplex?: 'half' } = {
        ...this.options.fetchOptions,
        method,
        headers,
        signal: controller.signal,
      };
      if (body.text !== undefined) init.body = body.text;
      else if (body.source) {
        sentBody = ownedStream(await body.source.open());
        let stream = sentBody.stream;
        if (body.source.size !== undefined) headers.set('content-length', String(body.source.size));
        const listener = options.onUploadProgress;
        if (listener) {
          const total = body.source.size;
          stream = stream.pipeThrough(countingStream((loaded) => listener({ loaded, total })));
        }
        init.body = stream;
        init.duplex = 'half';
      }
      const request = new Request(url, init);
      if (init.duplex === 'half') streamedRequests.add(request);
      this.logger.debug(
        `→ ${method} ${this.redactor.url(url)}${attemptIndex > 0 ? ` (attempt ${attemptIndex + 1})` : ''}`,
      );
      const started = this.clock.now();
      const response = await this.#runMiddleware(request, attemptIndex, options.endpoint, controller.signal);
      this.logger.debug(
        `← ${response.status} ${method} ${this.redactor.url(url)} ${this.clock.now() - started} ms`,
      );
      // Headers arrived: a streamed body is now governed by the idle timeout instead.
      if (!bufferedBody && timer) {
        clearTimeout(timer);
        timer = undefined;
      }
      return { response, controller, url: url.toString(), release };
    } catch (error) {
      release();
      if (error instanceof BodyConsumedError) throw error;
      throw mapTransportError(error, controller.signal, userSignal, this.redactor, what);
    }
  }

  #runMiddleware(
    request: Request,
    attempt: number,
    endpoint: string | undefined,
    signal: AbortSignal,
  ): Promise<Response> {
    const context = { attempt, endpoint, logger: this.logger, signal };
    const chain = this.#middleware;
    const dispatch = (index: number, current: Request): Promise<Response> => {
      const middleware = chain[index];
      if (!middleware) return this.#fetch(current);
      return middleware(current, (next) => dispatch(index + 1, next), context);
    };
    return dispatch(0, request);
  }

  /** Waits `ms` on the client's clock, cancellable. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
    return this.clock.sleep(ms, signal);
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function isUnauthorized(error: ApiError): boolean {
  return error.status === 401;
}

/**
 * The transport every service client is built on: request assembly, credentials (for their own origins
 * only), middleware, time limits, abort, retries with the service's rules and bounded waits, single-flight
 * credential refresh, bounded bodies, typed errors, redacted logs and response validation.
 *
 * @module
 */
import { setMaxListeners } from 'node:events';
import { APIPromise, type WithResponse } from '../api/api-promise.js';
import type { AuthContext, AuthStrategy, AuthTicket } from '../auth/strategy.js';
import { offerLeases } from '../body/leases.js';
import { progressReporter } from '../body/progress.js';
import { BodyConsumedError } from '../body/sources.js';
import { type Clock, systemClock } from '../clock.js';
import {
  AbortError,
  ApiError,
  MediaferryError,
  ResponseValidationError,
  UntrustedOriginError,
} from '../errors.js';
import { consoleLogger, type Logger, levelFromEnv, redactingLogger, silentLogger } from '../logger.js';
import { Redactor } from '../redact.js';
import {
  boundedWait,
  checkRetryOptions,
  DEFAULT_RETRY_OPTIONS,
  defaultRetryDecision,
  markIfOverCap,
  type RetryDecision,
  type RetryOptions,
} from '../retry/policy.js';
import { abortErrorFrom, anySignal, throwIfAborted } from '../signals.js';
import { validateResponse } from '../validation.js';
import { type Attempt, type AttemptEnvironment, runAttempt } from './attempt.js';
import { CredentialScope, publicHeaders, publicQuery } from './credentials.js';
import { BodyGuard, type GuardOptions, guardBody } from './guarded-body.js';
import { checkLimits, DEFAULT_MAX_RETRIES, type EffectiveLimits, effectiveLimits } from './limits.js';
import { dispatcherUpload, isDispatcher, nodeFetch } from './node-fetch.js';
import { prepareBody, requestHeaders, requestUrl } from './prepare.js';
import { LostAnswer, readAnswer } from './read-body.js';
import {
  buildApiError,
  type ErrorContext,
  errorFromResponse,
  parseJsonText,
  requestIdOf,
} from './response.js';
import { leasedSourceOf, socketCanCarry, socketDownload } from './socket-download.js';
import type {
  ClientOptions,
  FetchLike,
  Middleware,
  ParsedServiceError,
  RequestOptions,
  ServiceProfile,
  Transport,
  ValidationMode,
} from './types.js';

/** A successful response whose body is handed over as a stream. */
export interface StreamResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The final URL, redacted. */
  readonly url: string;
  /** Length announced by the server (undefined when unknown or content-encoded). */
  readonly contentLength: number | undefined;
  readonly requestId: string | undefined;
  /** The body, guarded: idle timeout, deadline, throughput, abort, typed errors, length check, progress. */
  readonly body: ReadableStream<Uint8Array>;
}

/** Methods a connection lost while reading the answer may replay (RFC 9110 §9.2.2). */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Requests whose body is a stream: sent through node:http (or the dispatcher) unless the user injected a fetch. */
const streamedRequests = new WeakSet<Request>();
/** Downloads: sent over a bare socket unless the user injected a fetch or a dispatcher. */
const downloadRequests = new WeakSet<Request>();

type Mode = 'json' | 'text' | 'stream';

interface Sent {
  readonly attempt: Attempt;
  readonly limits: EffectiveLimits;
  readonly what: string;
  readonly text?: string;
  readonly body?: unknown;
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
  /** Retry options in force: defaults, the service's, then the user's. */
  readonly retryOptions: RetryOptions;
  readonly #fetch: FetchLike;
  readonly #middleware: readonly Middleware[];
  readonly #userAgent: string;
  readonly #scope: CredentialScope;
  readonly #env: AttemptEnvironment;
  /** Shared by the clients {@link withOptions} derives: closing one closes them all. */
  #lifetime = lifetimeController();

  constructor(options: ClientOptions, profile: ServiceProfile, auth?: AuthStrategy) {
    checkLimits(options);
    this.options = options;
    this.profile = profile;
    this.auth = auth;
    this.redactor = new Redactor(profile.redact);
    if (auth) this.redactor.addSecretSource(() => auth.secrets());
    const level = options.logLevel ?? levelFromEnv(options.logger ? 'info' : 'off');
    const inner = options.logger ?? (level === 'off' ? silentLogger : consoleLogger());
    this.logger = redactingLogger(inner, this.redactor, level);
    this.clock = options.clock ?? systemClock;
    // Without an injected fetch, streamed uploads go through node:http, or the user's undici dispatcher
    // (a proxy): the built-in fetch would hold the whole body in memory (nodejs/undici#4058).
    const dispatcher = options.fetchOptions?.dispatcher;
    this.#fetch =
      options.fetch ??
      ((input, init) => {
        if (!(input instanceof Request)) return fetch(input, init);
        const streamed = streamedRequests.has(input);
        if (isDispatcher(dispatcher)) return streamed ? dispatcherUpload(input, dispatcher) : fetch(input);
        if (downloadRequests.has(input) && socketCanCarry(input)) return socketDownload(input);
        // Other fetch options (RequestInit fields) only fetch understands.
        if (options.fetchOptions && !streamed) return fetch(input);
        return nodeFetch(input, streamed);
      });
    this.retryOptions = checkRetryOptions({ ...DEFAULT_RETRY_OPTIONS, ...profile.retry, ...options.retry });
    this.#middleware = options.middleware ?? [];
    this.#userAgent = [profile.userAgent, `node/${process.versions.node}`, options.userAgent]
      .filter(Boolean)
      .join(' ');
    this.#scope = new CredentialScope(options.baseUrl);
    this.#env = {
      logger: this.logger,
      redactor: this.redactor,
      now: () => this.clock.now(),
      send: (request, context) => this.#runMiddleware(request, context),
      markStreamed: (request) => streamedRequests.add(request),
      markDownload: (request) => downloadRequests.add(request),
    };
  }

  get baseUrl(): string {
    return this.options.baseUrl ?? '';
  }

  /**
   * A client with `options` (in place of this one's, not merged: a client computes its whole set, so nothing
   * of this one's, a dispatcher say, leaks into the new one) that shares this one's service profile,
   * credentials (the same auth strategy, so a renewed token serves both, unless `auth` replaces it, `null`
   * meaning none) and lifetime: closing either closes both. What a service client's `withOptions()` builds on.
   */
  derive(options: ClientOptions, auth?: AuthStrategy | null): BaseClient {
    const chosen = auth === undefined ? this.auth : (auth ?? undefined);
    const derived = new BaseClient(options, this.profile, chosen);
    derived.#lifetime = this.#lifetime;
    return derived;
  }

  /**
   * Ends the client and every client sharing its lifetime ({@link derive}): calls in flight are aborted,
   * streamed bodies included, and later calls are refused with {@link AbortError}. Idempotent.
   */
  close(): void {
    if (!this.#lifetime.signal.aborted) this.#lifetime.abort(new AbortError('The client was closed'));
  }

  /** Whether {@link close} was called (on this client or on one sharing its lifetime). */
  get closed(): boolean {
    return this.#lifetime.signal.aborted;
  }

  /**
   * `signals` joined with the client's lifetime: the signal for work a client runs beside its requests
   * (transfers, pulls, listings), so that {@link close} ends it too. Aborted once the client is closed.
   */
  lifetimeSignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
    return anySignal(...signals, this.#lifetime.signal) ?? this.#lifetime.signal;
  }

  /** The call's own signal joined with the client's lifetime. */
  #signalOf(options: RequestOptions): AbortSignal {
    return this.lifetimeSignal(options.signal);
  }

  /** Retries after the first attempt for a call with these options. */
  maxRetriesFor(call: { readonly maxRetries?: number | undefined }): number {
    return call.maxRetries ?? this.options.maxRetries ?? this.profile.maxRetries ?? DEFAULT_MAX_RETRIES;
  }

  /** Sends a request and returns its JSON body, parsed by `options.schema` when given. */
  request<T = unknown>(options: RequestOptions<T>): Promise<T> {
    return this.call(options).then((data) => data);
  }

  /**
   * Like {@link request}, as an {@link APIPromise}: `await` it for the data, or `.withResponse()` for the data
   * with the status, headers and request id of the response that carried it (one request either way).
   */
  call<T = unknown>(options: RequestOptions<T>): APIPromise<T> {
    return new APIPromise(this.#callWithResponse(options));
  }

  async #callWithResponse<T>(options: RequestOptions<T>): Promise<WithResponse<T>> {
    const { body, what, attempt } = await this.#send(options, 'json');
    const data = options.schema
      ? validateResponse(options.schema, body, this.#validationMode(options), this.logger, what, (b) =>
          this.redactor.value(b),
        )
      : (body as T);
    return { data, ...this.#responseInfo(attempt) };
  }

  /** Sends a request and returns its body as text (bounded like JSON bodies). */
  text(options: RequestOptions): Promise<string> {
    return this.callText(options).then((text) => text);
  }

  /** Like {@link text}, as an {@link APIPromise} (`.withResponse()` gives the status, headers and request id). */
  callText(options: RequestOptions): APIPromise<string> {
    return new APIPromise(
      this.#send(options, 'text').then(({ attempt, text }) => ({
        data: text ?? '',
        ...this.#responseInfo(attempt),
      })),
    );
  }

  #responseInfo(attempt: Attempt): Omit<WithResponse<unknown>, 'data'> {
    const { response } = attempt;
    return {
      response: {
        status: response.status,
        headers: this.redactor.safeHeaders(response.headers),
        url: this.redactor.url(attempt.url),
      },
      requestId: requestIdOf(response.headers, this.profile),
    };
  }

  /** Sends a request and hands back the body as a guarded stream (downloads). */
  async stream(options: RequestOptions): Promise<StreamResponse> {
    const { attempt, limits, what } = await this.#send(options, 'stream');
    const { response, controller } = attempt;
    const encoded = response.headers.has('content-encoding');
    const lengthHeader = response.headers.get('content-length');
    const contentLength =
      !encoded && lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : undefined;
    const empty = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const guard: GuardOptions = {
      controller,
      userSignal: this.#signalOf(options),
      idleTimeoutMs: limits.idleTimeoutMs,
      deadlineMs: limits.transferMs - (performance.now() - attempt.startedAt),
      minThroughput: limits.minThroughput,
      expectedLength: options.method === 'HEAD' ? undefined : contentLength,
      onProgress: options.onDownloadProgress,
      redactor: this.redactor,
      what,
      onSettled: attempt.release,
    };
    // A socket download guards its own reads (and offers them as leases); any other body is wrapped.
    const leased = leasedSourceOf(response);
    leased?.guard(new BodyGuard(guard));
    const body = response.body ? (leased ? response.body : guardBody(response.body, guard)) : empty;
    if (leased && response.body) offerLeases(body, leased);
    if (!response.body) attempt.release();
    return {
      status: response.status,
      headers: this.redactor.safeHeaders(response.headers),
      url: this.redactor.url(attempt.url),
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

  /** The service's reading of an error inside a 2xx body; a hook that throws counts as an unusable body. */
  #successBodyError(body: unknown, response: Response, what: string): ParsedServiceError | undefined {
    try {
      return this.profile.successBodyError?.(body, response);
    } catch (error) {
      throw new ResponseValidationError(
        `${what}: unreadable answer`,
        [{ path: '(root)', message: 'unreadable' }],
        {
          cause: error,
          body: this.redactor.value(body),
        },
      );
    }
  }

  /** The retry loop: one iteration per attempt; buffered bodies are read inside it. */
  async #send(options: RequestOptions, mode: Mode): Promise<Sent> {
    const method = options.method ?? 'GET';
    const userSignal = this.#signalOf(options);
    checkLimits(options);
    throwIfAborted(userSignal);
    const limits = effectiveLimits(options, this.options);
    const body = await prepareBody(options.body);
    const auth = options.auth === false ? undefined : (options.auth ?? this.auth);
    const maxRetries = this.maxRetriesFor(options);
    const retryOptions = options.retry
      ? checkRetryOptions({ ...this.retryOptions, ...options.retry })
      : this.retryOptions;
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const uploaded = progressReporter(options.onUploadProgress, body.source?.size);
    let retries = 0;
    let refreshed = false;

    for (let attemptIndex = 0; ; attemptIndex++) {
      throwIfAborted(userSignal);
      const authContext = this.#authContext(userSignal);
      const target = requestUrl(this.baseUrl, options.path);
      const what = this.#describe(options, target.toString());
      const trusted = await this.#scope.trusts(target, auth, authContext);
      if (auth && !trusted && options.credentials === 'required')
        throw new UntrustedOriginError(what, target.origin);
      const defaultQuery = trusted
        ? this.options.defaultQuery
        : publicQuery(this.options.defaultQuery, this.redactor);
      const url = requestUrl(this.baseUrl, options.path, defaultQuery, options.query);
      const headers = requestHeaders({
        defaults: trusted
          ? this.options.defaultHeaders
          : publicHeaders(this.options.defaultHeaders, this.redactor),
        userAgent: this.#userAgent,
        contentType: body.contentType,
        call: options.headers,
      });
      // A failure to obtain credentials is final here: the token request had its own retries.
      const credentials = trusted ? auth : undefined;
      const ticket: AuthTicket | undefined = credentials
        ? await credentials.authorize({ headers, url }, authContext)
        : undefined;
      let attempt: Attempt | undefined;
      let failure: MediaferryError;
      try {
        attempt = await runAttempt(
          {
            method,
            url,
            headers,
            body,
            attemptIndex,
            userSignal,
            limits,
            streamedResponse: mode === 'stream',
            fetchOptions: this.options.fetchOptions,
            onBytesSent: options.onUploadProgress ? (n) => uploaded.report(n) : undefined,
            endpoint: options.endpoint,
            what,
          },
          this.#env,
        );
        const { response } = attempt;
        if (!(options.okStatus ?? isSuccess)(response.status)) {
          failure = await errorFromResponse(response, this.#errorContext(options, url.toString()));
          attempt.release();
        } else if (mode === 'stream') {
          return { attempt, limits, what };
        } else {
          const text = await readAnswer(attempt, limits.maxResponseBytes, what, userSignal, this.redactor);
          if (mode === 'text') return { attempt, limits, what, text };
          const parsed = parseJsonText(text, what, this.redactor);
          const inBody = this.#successBodyError(parsed, response, what);
          if (!inBody) return { attempt, limits, what, body: parsed };
          failure = buildApiError(response, parsed, this.#errorContext(options, url.toString()), inBody);
        }
      } catch (error) {
        attempt?.release();
        if (error instanceof BodyConsumedError || !(error instanceof MediaferryError)) throw error;
        // The server has the request: an answer lost on the way is replayed only when that is harmless.
        if (error instanceof LostAnswer) {
          if (!idempotent) throw error.error;
          failure = error.error;
        } else failure = error;
      }

      const canReplay = !body.source || body.source.replayable || !body.source.consumed;
      if (failure instanceof ApiError) failure.attempts = attemptIndex + 1;

      if (
        failure instanceof ApiError &&
        credentials?.refresh &&
        ticket &&
        !refreshed &&
        canReplay &&
        (this.profile.isAuthRejection ?? isUnauthorized)(failure)
      ) {
        refreshed = true;
        this.logger.info(
          `${what}: credentials rejected (${failure.code ?? failure.status}); refreshing once`,
        );
        if (await credentials.refresh(ticket, authContext)) continue;
      }

      const decision = this.#decide(options, failure, retries, method, retryOptions);
      if (!decision.retry || retries >= maxRetries) {
        markIfOverCap(failure, retryOptions);
        throw failure;
      }
      if (!canReplay) {
        this.logger.warn(
          `${what}: not retrying after ${failure.name}: the body was a one-shot stream already sent`,
        );
        throw failure;
      }
      const wait = boundedWait(decision.delayMs, failure, retries, retryOptions);
      this.logger.warn(`${what}: ${decision.reason}; retry ${retries + 1}/${maxRetries} in ${wait} ms`);
      await this.clock.sleep(wait, userSignal);
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
    const context = { attempt: retries, error, method, endpoint: options.endpoint, options: retryOptions };
    let decision = defaultRetryDecision(context, retryOptions);
    decision = this.profile.retryHook?.(context, decision) ?? decision;
    decision = options.retryHook?.(context, decision) ?? decision;
    return decision;
  }

  #runMiddleware(
    request: Request,
    attempt: { attempt: number; endpoint: string | undefined; signal: AbortSignal },
  ): Promise<Response> {
    const context = { ...attempt, logger: this.logger };
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

/** Every call of a client listens on its lifetime: many listeners are the design, not a leak. */
function lifetimeController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function isUnauthorized(error: ApiError): boolean {
  return error.status === 401;
}

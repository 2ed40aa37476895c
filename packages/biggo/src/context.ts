/**
 * What every resource of a {@link BigGoClient} shares: the transport (whose lifetime ends every call when the
 * client is closed) and the region header. Internal.
 *
 * @module
 */
import {
  type APIPromise,
  anySignal,
  type BaseClient,
  type CallOptions,
  type Clock,
  type ProgressListener,
  type RequestOptions,
  type StreamResponse,
  Transfer,
  type TransferContext,
  type TransferOptions,
} from '@mediaferry/core';

/** Per-call options of every BigGo call: `signal`, `timeout`, `maxRetries`, `headers`. */
export type BigGoRequestOptions = CallOptions;

/** Per-call options of uploads and downloads: {@link BigGoRequestOptions}, `transferTimeout`, `onProgress`. */
export interface BigGoTransferOptions extends TransferOptions {
  /** Called on every progress event, like `transfer.on('progress', …)`. */
  readonly onProgress?: ProgressListener | undefined;
}

/** The transport of one client, with BigGo's conventions applied to every call. */
export class BigGoContext {
  constructor(
    readonly http: BaseClient,
    readonly region: string | undefined,
  ) {}

  get clock(): Clock {
    return this.http.clock;
  }

  /** The caller's signals joined with the client's lifetime: closing the client ends the call. */
  signal(...signals: (AbortSignal | undefined)[]): AbortSignal {
    return this.http.lifetimeSignal(...signals);
  }

  /**
   * A request with the call's options applied: its signals (the transport adds the client's lifetime), its
   * limits, and headers in order of precedence (region for `/api/v1/` calls, the endpoint's, the caller's).
   */
  prepare<T>(
    request: RequestOptions<T>,
    options: BigGoTransferOptions = {},
    scope: 'api' | 'public' = 'api',
  ): RequestOptions<T> {
    const region = scope === 'api' && this.region ? { region: this.region } : {};
    return {
      ...request,
      signal: anySignal(request.signal, options.signal),
      timeout: options.timeout,
      transferTimeout: options.transferTimeout,
      maxRetries: options.maxRetries,
      headers: { ...region, ...request.headers, ...options.headers },
    };
  }

  /** An API call: its JSON answer, validated by the request's schema. */
  call<T>(request: RequestOptions<T>, options: BigGoTransferOptions = {}): APIPromise<T> {
    return this.http.call(this.prepare(request, options));
  }

  /** Runs `work` as a {@link Transfer} tied to the call's signal and the client's lifetime. */
  transfer<R>(options: BigGoTransferOptions, work: (transfer: TransferContext) => Promise<R>): Transfer<R> {
    return new Transfer(work, { signal: this.signal(options.signal), onProgress: options.onProgress });
  }

  /** A download from a public link a model carries (no credentials, no region header). */
  stream(request: RequestOptions, options: BigGoTransferOptions = {}): Promise<StreamResponse> {
    return this.http.stream(this.prepare({ ...request, auth: false }, options, 'public'));
  }
}

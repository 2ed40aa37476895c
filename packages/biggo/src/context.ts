/**
 * What every resource of a {@link BigGoClient} shares: the transport, the region header, and the client's
 * lifecycle (a closed client refuses new calls and ends the ones in flight). Internal.
 *
 * @module
 */
import {
  AbortError,
  APIPromise,
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

/** A client's open/closed state: its signal ends every call when the client is closed. */
export class Lifecycle {
  readonly #controller = new AbortController();

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get closed(): boolean {
    return this.#controller.signal.aborted;
  }

  close(): void {
    if (!this.closed) this.#controller.abort(new AbortError('The BigGo client was closed'));
  }
}

/** The transport of one client, with BigGo's conventions applied to every call. */
export class BigGoContext {
  constructor(
    readonly http: BaseClient,
    readonly region: string | undefined,
    readonly lifecycle: Lifecycle,
  ) {}

  get clock(): Clock {
    return this.http.clock;
  }

  /** The error of a call made on a closed client. */
  closedError(): AbortError {
    return new AbortError('The BigGo client is closed: create a new one');
  }

  /** The caller's signals joined with the client's: closing the client ends the call. */
  signal(...signals: (AbortSignal | undefined)[]): AbortSignal {
    return anySignal(...signals, this.lifecycle.signal) ?? this.lifecycle.signal;
  }

  /**
   * A request with the call's options applied: its signal tied to the client's lifecycle, its limits, and
   * headers in order of precedence (region for `/api/v1/` calls, the endpoint's, the caller's).
   */
  prepare<T>(
    request: RequestOptions<T>,
    options: BigGoTransferOptions = {},
    scope: 'api' | 'public' = 'api',
  ): RequestOptions<T> {
    const region = scope === 'api' && this.region ? { region: this.region } : {};
    return {
      ...request,
      signal: this.signal(request.signal, options.signal),
      timeout: options.timeout,
      transferTimeout: options.transferTimeout,
      maxRetries: options.maxRetries,
      headers: { ...region, ...request.headers, ...options.headers },
    };
  }

  /** An API call: its JSON answer, validated by the request's schema. */
  call<T>(request: RequestOptions<T>, options: BigGoTransferOptions = {}): APIPromise<T> {
    if (this.lifecycle.closed) return new APIPromise(Promise.reject(this.closedError()));
    return this.http.call(this.prepare(request, options));
  }

  /** Runs `work` as a {@link Transfer} tied to the call's signal and the client's lifecycle. */
  transfer<R>(options: BigGoTransferOptions, work: (transfer: TransferContext) => Promise<R>): Transfer<R> {
    return new Transfer(
      async (transfer) => {
        if (this.lifecycle.closed) throw this.closedError();
        return work(transfer);
      },
      { signal: this.signal(options.signal), onProgress: options.onProgress },
    );
  }

  /** A download from a public link a model carries (no credentials, no region header). */
  stream(request: RequestOptions, options: BigGoTransferOptions = {}): Promise<StreamResponse> {
    if (this.lifecycle.closed) return Promise.reject(this.closedError());
    return this.http.stream(this.prepare({ ...request, auth: false }, options, 'public'));
  }
}

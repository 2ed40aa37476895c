/**
 * The result of every client call: `await` it for the data, or call `.withResponse()` for the data with the
 * response it came in (status, headers, request id) — the same request, never a second one. Modelled on the
 * Stainless SDKs' `APIPromise`.
 *
 * @module
 */

/** What a caller can see of the HTTP response that carried a result. */
export interface ResponseInfo {
  readonly status: number;
  /** The response headers, with secrets (cookies…) redacted. */
  readonly headers: Headers;
  /** The final URL, redacted. */
  readonly url: string;
}

/** The data with the response that carried it. */
export interface WithResponse<T> {
  readonly data: T;
  readonly response: ResponseInfo;
  readonly requestId: string | undefined;
}

/**
 * A promise of `T` that also offers the response. It is a thenable rather than a `Promise` subclass, so an
 * unobserved failure is never reported as an unhandled rejection twice (once for each view).
 */
export class APIPromise<T> implements PromiseLike<T> {
  readonly #result: Promise<WithResponse<T>>;
  #data: Promise<T> | undefined;

  constructor(result: Promise<WithResponse<T>>) {
    this.#result = result;
    // The request runs whether or not anyone looks; a failure nobody awaits must not crash the process.
    result.catch(() => {});
  }

  /** An APIPromise of data that did not come from one response (a computed result, a cached value). */
  static of<T>(data: T, response: ResponseInfo, requestId?: string): APIPromise<T> {
    return new APIPromise(Promise.resolve({ data, response, requestId }));
  }

  #dataPromise(): Promise<T> {
    this.#data ??= this.#result.then((r) => r.data);
    return this.#data;
  }

  /** The data together with the response's status, headers and request id. */
  withResponse(): Promise<WithResponse<T>> {
    return this.#result;
  }

  /** A new APIPromise whose data is transformed; the response stays the one that carried it. */
  map<U>(transform: (data: T) => U | PromiseLike<U>): APIPromise<U> {
    return new APIPromise(
      this.#result.then(async (r) => ({
        data: await transform(r.data),
        response: r.response,
        requestId: r.requestId,
      })),
    );
  }

  // biome-ignore lint/suspicious/noThenProperty: an APIPromise is awaited like a promise, by design.
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#dataPromise().then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#dataPromise().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.#dataPromise().finally(onFinally);
  }

  get [Symbol.toStringTag](): string {
    return 'APIPromise';
  }
}

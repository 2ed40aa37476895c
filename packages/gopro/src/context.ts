/**
 * What a client's resources share: the transport, the client's defaults and its lifetime (closing the
 * client aborts what it started and refuses new calls).
 *
 * @module
 */
import type { BaseClient, CallOptions } from '@mediaferry/core';
import type { VariationTarget } from './assets.js';

/** Per-call options of every GoPro call (Stainless's `RequestOptions`). */
export interface GoProRequestOptions extends CallOptions {
  /** Extra request headers for this call. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** Per-call options of calls that move a file: {@link GoProRequestOptions} plus the transfer limit. */
export interface GoProTransferOptions extends GoProRequestOptions {
  /** Time limit in ms for the whole transfer, when longer than `timeout` (overrides the client's). */
  readonly transferTimeout?: number | undefined;
}

/** @internal */
export interface GoProContext {
  readonly http: BaseClient;
  /** Metadata requests and downloads in flight at once. */
  readonly concurrency: number;
  /** Items per search page unless a call says otherwise. */
  readonly pageSize: number;
  /** The resolution videos are chosen for unless a call says otherwise. */
  readonly target: VariationTarget;
  /** The call's signal combined with the client's lifetime; an `AbortError` once the client is closed. */
  signal(call: AbortSignal | undefined): AbortSignal;
}

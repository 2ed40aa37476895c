/**
 * How a raw endpoint is called: its parameters checked first (bad input rejects before any request), then
 * the request with the current authorization, answered as an `APIPromise` of the validated body.
 *
 * @module
 */
import {
  APIPromise,
  type BaseClient,
  type CallOptions,
  type TransferOptions,
  type WithResponse,
} from '@mediaferry/core';
import type { z } from 'zod';
import { type CustomerKey, customerKeySecret, type ServerSideEncryption } from '../encryption.js';
import type { Authorization } from '../models.js';

/** Calls that change nothing on the server: safe to send again when their answer was lost. */
const READ_CALLS = new Set([
  'b2_list_buckets',
  'b2_list_file_names',
  'b2_list_file_versions',
  'b2_list_unfinished_large_files',
  'b2_list_parts',
  'b2_list_keys',
  'b2_get_file_info',
  'b2_get_upload_url',
  'b2_get_upload_part_url',
  'b2_get_download_authorization',
]);

/** What the raw API needs from the client. */
export interface RawContext {
  readonly http: BaseClient;
  readonly apiVersion: string;
  /** The key that authorizes (`b2_authorize_account` only). */
  readonly credentials: { readonly keyId: string; readonly applicationKey: string };
  /** The current authorization, obtained (once, for everyone) when missing or expired. */
  session(signal: AbortSignal | undefined): Promise<Authorization>;
}

/** Per-call options of the raw API: cancel, time limits, retries, extra headers. */
export type RawOptions = TransferOptions;

/** Drops absent fields: B2 reads a `null` as a value. */
export const defined = (body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));

/** The request fields of per-call options. */
export function callLimits(options: RawOptions) {
  return {
    signal: options.signal,
    timeout: options.timeout,
    maxRetries: options.maxRetries,
    transferTimeout: options.transferTimeout,
  };
}

/** The base of the raw API: the two ways an endpoint is called. */
export abstract class RawCalls {
  protected readonly context: RawContext;

  constructor(context: RawContext) {
    this.context = context;
  }

  /** Registers SSE-C keys in use as secrets: they never reach a log line or an error. */
  protected keepSecret(...keys: (ServerSideEncryption | CustomerKey | undefined)[]): void {
    for (const key of keys) this.context.http.redactor.addSecret(customerKeySecret(key));
  }

  /** Runs `check`, then `call` with the current authorization. */
  protected send<T>(
    check: () => void,
    call: (session: Authorization) => Promise<WithResponse<T>>,
    signal: AbortSignal | undefined,
  ): APIPromise<T> {
    return new APIPromise(
      (async () => {
        check();
        return call(await this.context.session(signal));
      })(),
    );
  }

  /**
   * A JSON call to `{apiUrl}/b2api/vN/<name>`; `account` puts the account id first. A body that needs
   * encoding is given as a function: it runs after `check`, so bad input still rejects before any request.
   */
  protected json<T>(
    name: string,
    body: Record<string, unknown> | (() => Record<string, unknown>),
    schema: z.ZodType<T>,
    options: CallOptions,
    check: () => void = () => {},
    account = false,
  ): APIPromise<T> {
    return this.send(
      check,
      (session) => {
        const fields = typeof body === 'function' ? body() : body;
        return this.context.http
          .call({
            ...callLimits(options),
            method: 'POST',
            path: `${session.apiUrl}/b2api/${this.context.apiVersion}/${name}`,
            endpoint: name,
            headers: options.headers,
            credentials: 'required',
            // B2 sends reads as POST too: they may be replayed when their answer is lost on the way.
            idempotent: READ_CALLS.has(name),
            body: { json: defined(account ? { accountId: session.accountId, ...fields } : fields) },
            schema,
          })
          .withResponse();
      },
      options.signal,
    );
  }
}

/**
 * What the transfer manager works with: the raw API, the transport's settings (logger, retry rules), the
 * upload-URL pool, the clock, the authorization (part sizes) and the client's transfer defaults.
 *
 * @module
 */
import type { BaseClient, Clock, Transfer } from '@mediaferry/core';
import type { Authorization } from '../models.js';
import type { B2Raw } from '../raw/index.js';
import type { UploadUrlPool } from './upload-pool.js';

export interface ManagerContext {
  readonly raw: B2Raw;
  readonly http: BaseClient;
  readonly pool: UploadUrlPool;
  readonly clock: Clock;
  session(signal: AbortSignal | undefined): Promise<Authorization>;
  /** Part size for large files and ranged downloads; default the account's recommended part size. */
  readonly partSize: number | undefined;
  /** Parts (or ranges) in flight per transfer. */
  readonly concurrency: number;
  /** Aborted when the client is closed: every transfer stops with it. */
  readonly lifetime: AbortSignal;
}

/** An upload as an object (AWS `lib-storage`'s shape): `done()`, `abort()`, `progress` events. */
export type Upload<R> = Transfer<R>;

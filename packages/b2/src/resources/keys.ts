/**
 * `b2.keys`: application keys. `create` answers the only time B2 shows a key's secret.
 *
 * @module
 */
import type { APIPromise, CallOptions, Paginator } from '@mediaferry/core';
import type { ApplicationKey, CreatedApplicationKey } from '../models.js';
import { keys, type PageOptions } from '../paging.js';
import type { CreateKeyParams } from '../raw/params.js';
import type { ResourceContext } from './context.js';

/** `b2.keys`. */
export class Keys {
  readonly #context: ResourceContext;

  /** @internal */
  constructor(context: ResourceContext) {
    this.#context = context;
  }

  /** Every key but the master key, across pages. */
  list(params: PageOptions = {}, options: CallOptions = {}): Paginator<ApplicationKey, string | undefined> {
    return keys(this.#context.raw, params, options);
  }

  /** Creates a key; keep `applicationKey` from the answer, B2 never shows it again. */
  create(params: CreateKeyParams, options: CallOptions = {}): APIPromise<CreatedApplicationKey> {
    return this.#context.raw.createKey(params, options);
  }

  /** Deletes a key; tokens issued for it stop working. */
  delete(applicationKeyId: string, options: CallOptions = {}): APIPromise<ApplicationKey> {
    return this.#context.raw.deleteKey({ applicationKeyId }, options);
  }
}

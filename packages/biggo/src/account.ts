/**
 * `biggo.account`: what the client's credentials stand for.
 *
 * @module
 */
import type { APIPromise } from '@mediaferry/core';
import { hasPermission } from './api.js';
import type { BigGoContext, BigGoRequestOptions } from './context.js';
import type { VideoPermissionResponse } from './models.js';

/** The account behind the client's credentials. */
export class Account {
  readonly #ctx: BigGoContext;

  /** @hidden */
  constructor(ctx: BigGoContext) {
    this.#ctx = ctx;
  }

  /**
   * Whether the client may upload videos, and as whom (`userid`, `at_userid`) in which region; a client the
   * server refuses is a `BigGoError`.
   */
  permission(options: BigGoRequestOptions = {}): APIPromise<VideoPermissionResponse> {
    return hasPermission(this.#ctx, options);
  }
}

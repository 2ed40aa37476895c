/**
 * Follow, favorite, repost and listen later: a POST to do, a DELETE to undo (`/<key>/<action>/`), with the
 * token, never replayed blindly (a lost answer to a POST is not retried).
 *
 * @module
 */
import type { APIPromise, CallOptions, RequestOptions } from '@mediaferry/core';
import { callOptions, deferred, type MixcloudContext, requireToken } from '../http.js';
import { type ActionResult, actionAnswerSchema } from '../models.js';

/** The actions Mixcloud has, as path segments. */
export type ActionName = 'follow' | 'favorite' | 'repost' | 'listen-later';

/** The request of an action on the object at `path` (`/bob/`). */
export function actionRequest(
  path: string,
  action: ActionName,
  method: 'POST' | 'DELETE',
  options: CallOptions = {},
): RequestOptions {
  return {
    ...callOptions(options),
    method,
    path: `${path}${action}/`,
    endpoint: method === 'POST' ? action : `un${action}`,
  };
}

/** `POST` (do) or `DELETE` (undo) `action` on the object at `path` (resolved inside, so bad input rejects). */
export function act(
  context: MixcloudContext,
  path: () => string,
  action: ActionName,
  method: 'POST' | 'DELETE',
  options: CallOptions = {},
): APIPromise<ActionResult> {
  return deferred(() => {
    const target = path();
    requireToken(context, action);
    return context.http.call({
      ...actionRequest(target, action, method, options),
      schema: actionAnswerSchema,
    });
  });
}

/**
 * What the core transport knows of B2: its error bodies (and errors inside a 2xx), its error classes, which
 * rejections mean "authorize again", its retry rules, and the secrets its headers carry.
 *
 * @module
 */
import type { ServiceProfile } from '@mediaferry/core';
import { b2ErrorInSuccess, createB2Error, isExpiredToken, parseB2Error } from './errors.js';

export const b2Profile: ServiceProfile = {
  name: 'b2',
  userAgent: 'mediaferry-b2/0.1.0',
  parseError: parseB2Error,
  successBodyError: b2ErrorInSuccess,
  createError: createB2Error,
  isAuthRejection: isExpiredToken,
  // 401 `unauthorized` is a capability problem and 403 a cap: waiting does not help (spec §3.6).
  retryHook: (context) => {
    const error = context.error as { status?: number };
    if (error.status === 401 || error.status === 403)
      return { retry: false, reason: 'B2 does not retry this' };
    return undefined;
  },
  // An SSE-C key travels in a header and in copy bodies: never in a log line or an error.
  redact: {
    headers: ['x-bz-server-side-encryption-customer-key'],
    params: ['customerKey'],
  },
};

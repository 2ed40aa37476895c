/**
 * The one transport of the Mixcloud client (the new API and the aiomixcloud entry point alike): the service's
 * rules for the core's `BaseClient`, its roots, and the request shapes every resource uses.
 *
 * @module
 */
import {
  APIPromise,
  type BaseClient,
  type CallOptions,
  delayFor,
  InvalidInputError,
  type Query,
  type RequestOptions,
  type ServiceProfile,
  type WithResponse,
} from '@mediaferry/core';
import type { ZodType } from 'zod';
import { createMixcloudError, MixcloudError, parseMixcloudError } from './errors.js';

export const API_ROOT = 'https://api.mixcloud.com';
export const MIXCLOUD_ROOT = 'https://www.mixcloud.com';
export const OEMBED_ROOT = 'https://www.mixcloud.com/oembed';
export const OAUTH_ROOT = 'https://www.mixcloud.com/oauth';

export const mixcloudProfile: ServiceProfile = {
  name: 'mixcloud',
  userAgent: 'mediaferry-mixcloud/0.1.0',
  parseError: parseMixcloudError,
  // Mixcloud's rule, not HTTP's: a body with `error` is an error whatever the status.
  successBodyError: (body) =>
    body && typeof body === 'object' && 'error' in body ? parseMixcloudError(body) : undefined,
  createError: createMixcloudError,
  // A rate limit says how long to wait: wait (bounded by the core, like every wait), then try again; a 403
  // is otherwise final.
  retryHook: (context, fallback) => {
    const error = context.error;
    if (error instanceof MixcloudError && error.code === 'RateLimitException')
      return delayFor(error, context.attempt, context.options, 'rate limited');
    return fallback;
  },
  // Tokens do not expire on a schedule; an invalid one cannot be refreshed.
  isAuthRejection: () => false,
};

/** Where each part of Mixcloud lives (one emulator serves them all under its URL). */
export interface MixcloudRoots {
  readonly api: string;
  /** mixcloud.com: the pages oEmbed describes. */
  readonly site: string;
  readonly oembed: string;
  readonly oauth: string;
}

/** The client's state that resources share. */
export interface MixcloudContext {
  readonly http: BaseClient;
  readonly roots: MixcloudRoots;
  readonly hasToken: boolean;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
}

/** A call's options as the transport takes them. */
export function callOptions(options: CallOptions = {}): Partial<RequestOptions> {
  return {
    signal: options.signal,
    timeout: options.timeout,
    maxRetries: options.maxRetries,
    headers: options.headers,
  };
}

/** Runs `start`, turning bad input it throws into a rejected APIPromise (never a throw where the call is written). */
export function deferred<T>(start: () => APIPromise<T>): APIPromise<T> {
  try {
    return start();
  } catch (error) {
    return new APIPromise<T>(Promise.reject(error));
  }
}

/** Like {@link deferred}, for calls prepared asynchronously (files opened, sizes checked). */
export function prepared<T>(start: () => Promise<WithResponse<T>>): APIPromise<T> {
  return new APIPromise(Promise.resolve().then(start));
}

/** Calls that act for a user need a token: refused before any request without one. */
export function requireToken(context: MixcloudContext, what: string): void {
  if (!context.hasToken)
    throw new InvalidInputError(
      'accessToken',
      `${what} needs an access token: pass the accessToken option or set MIXCLOUD_ACCESS_TOKEN`,
    );
}

/** A GET of the API that always asks for `type` and `metadata` (`metadata=1`). */
export function getJson<T>(
  context: MixcloudContext,
  path: string,
  schema: ZodType<T>,
  endpoint: string,
  options: CallOptions = {},
  query: Query = {},
): APIPromise<T> {
  return context.http.call({
    ...callOptions(options),
    path,
    endpoint,
    query: { ...query, metadata: 1 },
    schema,
  });
}

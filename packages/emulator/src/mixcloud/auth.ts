import type { EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { mcFail } from './errors.js';
import type { McCtx } from './views.js';

/** The caller's token: `access_token` in the query (as Mixcloud documents) or, by option, a Bearer header. */
export function tokenOf(c: EmulatorContext, ctx: McCtx): string | undefined {
  const query = new URL(c.req.url).searchParams.get('access_token');
  if (query) return query;
  if (!ctx.options.acceptBearer) return undefined;
  return /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
}

/** The user behind the token, if one was sent; an unknown token is an OAuthException. */
export function viewer(c: EmulatorContext, ctx: McCtx): string | undefined {
  const token = tokenOf(c, ctx);
  if (token === undefined) return undefined;
  const user = ctx.state.tokens[token];
  if (!user) fail(ctx.options.oauthErrorStatus, 'OAuthException', 'An invalid access token was provided.');
  return user;
}

export function requireViewer(c: EmulatorContext, ctx: McCtx): string {
  const user = viewer(c, ctx);
  if (!user)
    fail(
      ctx.options.oauthErrorStatus,
      'OAuthException',
      'An access_token is required to access this resource.',
    );
  return user;
}

const windows = new WeakMap<object, Map<string, { start: number; count: number }>>();

/** Optional rate limiting (spec §2.15): 403, `Retry-After`, RateLimitException with `retry_after`. */
export function rateLimit(c: EmulatorContext, ctx: McCtx): void {
  const max = ctx.options.rateLimitPerMinute;
  if (max <= 0) return;
  const counters = windows.get(ctx.clock) ?? new Map<string, { start: number; count: number }>();
  windows.set(ctx.clock, counters);
  const who = tokenOf(c, ctx) ?? 'anonymous';
  const now = ctx.clock.now();
  const window = counters.get(who);
  if (!window || now - window.start >= 60_000) {
    counters.set(who, { start: now, count: 1 });
    return;
  }
  window.count += 1;
  if (window.count > max) {
    const retry = Math.ceil((window.start + 60_000 - now) / 1000);
    mcFail(
      403,
      'RateLimitException',
      `You have hit your rate limit. Retry after ${retry} seconds.`,
      { retry_after: retry },
      { 'retry-after': String(retry) },
    );
  }
}

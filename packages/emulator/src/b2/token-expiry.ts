/**
 * Forgetting tokens long expired. Every account, upload and download token the emulator issued used to stay
 * in its state for good, and with `--data` each request that changes something writes the whole state: an
 * emulator that had handed out many tokens (a `b2_get_upload_url` per upload, an authorization per CLI run
 * on the embedded state) answered each request slower than the last.
 *
 * A token is kept for a day after it expires, so one presented late still gets `expired_auth_token`, as on
 * B2, rather than `bad_auth_token`. The sweep runs at most once per emulated minute, when a token is issued.
 */
import type { B2Ctx } from './auth.js';

export const KEPT_AFTER_EXPIRY_MS = 86_400_000;
const SWEEP_EVERY_MS = 60_000;

const lastSweep = new WeakMap<B2Ctx, number>();

/** Drops the tokens that expired more than {@link KEPT_AFTER_EXPIRY_MS} ago; call it where a token is issued. */
export function forgetExpiredTokens(ctx: B2Ctx): void {
  const now = ctx.clock.now();
  const last = lastSweep.get(ctx);
  if (last !== undefined && Math.abs(now - last) < SWEEP_EVERY_MS) return;
  lastSweep.set(ctx, now);
  const before = now - KEPT_AFTER_EXPIRY_MS;
  for (const issued of [ctx.state.tokens, ctx.state.uploadTokens, ctx.state.downloadAuths])
    for (const [token, { expires }] of Object.entries(issued)) if (expires < before) delete issued[token];
}

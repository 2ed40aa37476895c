/**
 * Forgetting tokens long expired. Every account, upload and download token the emulator issued used to stay
 * for good, and with `--data` each request that changes something writes the whole state: an emulator that
 * had handed out many tokens (an authorization per CLI run on the embedded state) answered each request
 * slower than the last.
 *
 * A token is kept for a day after it expires, so one presented late still gets `expired_auth_token`, as on
 * B2, rather than `bad_auth_token`. The sweep runs at most once per emulated minute, when a token is issued.
 */
import type { B2Ctx } from './auth.js';

export const KEPT_AFTER_EXPIRY_MS = 86_400_000;
const SWEEP_EVERY_MS = 60_000;

/** When each set of tokens (a context's state, a map of upload tokens) was last swept, on its clock. */
const lastSweep = new WeakMap<object, number>();

/** True once per {@link SWEEP_EVERY_MS} of emulated time for `what`. */
function sweepDue(what: object, now: number): boolean {
  const last = lastSweep.get(what);
  if (last !== undefined && Math.abs(now - last) < SWEEP_EVERY_MS) return false;
  lastSweep.set(what, now);
  return true;
}

/**
 * Drops the tokens that expired more than {@link KEPT_AFTER_EXPIRY_MS} ago, in the state and in `inMemory`
 * (the upload tokens, which are not saved); call it where a token is issued.
 */
export function forgetExpiredTokens(ctx: B2Ctx, inMemory?: Map<string, { expires: number }>): void {
  const now = ctx.clock.now();
  const before = now - KEPT_AFTER_EXPIRY_MS;
  if (inMemory && sweepDue(inMemory, now))
    for (const [token, { expires }] of inMemory) if (expires < before) inMemory.delete(token);
  if (!sweepDue(ctx, now)) return;
  for (const issued of [ctx.state.tokens, ctx.state.downloadAuths])
    for (const [token, { expires }] of Object.entries(issued)) if (expires < before) delete issued[token];
  // A state saved before upload tokens moved out of it still holds them: they are no use now.
  delete (ctx.state as { uploadTokens?: unknown }).uploadTokens;
}

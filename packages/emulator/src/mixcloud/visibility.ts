/**
 * Who sees a show (spec §2.11, §2.12): a scheduled `publish_date` or a move to drafts hides it from everyone
 * but its owner; `unlisted` only keeps it out of lists (the private link still works).
 */
import type { McCloudcast } from './model.js';
import type { McCtx } from './views.js';

/** When a scheduled show goes public (epoch ms), or undefined when it is not scheduled. */
export function publishTime(cc: McCloudcast): number | undefined {
  if (cc.publish_date === null) return undefined;
  const at = Date.parse(cc.publish_date);
  return Number.isNaN(at) ? undefined : at;
}

/** Reachable by its key for anyone: not a draft, and its publish date (if any) has come. */
export function isAvailable(ctx: McCtx, cc: McCloudcast): boolean {
  if (cc.draft) return false;
  const at = publishTime(cc);
  return at === undefined || at <= ctx.clock.now();
}

/** Shown in lists (the user's shows, new, popular, search, tags…). */
export function isListed(ctx: McCtx, cc: McCloudcast): boolean {
  return !cc.unlisted && isAvailable(ctx, cc);
}

/** The owner sees their own scheduled shows and drafts; others get a 404. */
export function canView(ctx: McCtx, cc: McCloudcast, viewer: string | undefined): boolean {
  return viewer === cc.user || isAvailable(ctx, cc);
}

/** The time a show takes in date-ordered lists: when it went public. */
export function listTime(cc: McCloudcast): number {
  return Math.max(cc.created, publishTime(cc) ?? 0);
}

/** Whether the show is, or has been, public (then `publish_date` no longer applies, spec §2.11). */
export function wasPublic(ctx: McCtx, cc: McCloudcast): boolean {
  return cc.ever_public === true || isListed(ctx, cc);
}

/**
 * What counts as a usable server wait hint. Kept apart from the policy so that errors (which carry the
 * hint) and the policy (which bounds it) share one rule without importing each other.
 *
 * @module
 */

/** The longest delay `setTimeout` honours (2³¹−1 ms); anything longer fires at once with a warning. */
export const MAX_TIMER_MS = 2_147_483_647;

/** A wait in ms from a server hint, or `undefined` when it is absent, negative, not finite or not a number. */
export function usableWaitMs(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  return Math.ceil(value);
}

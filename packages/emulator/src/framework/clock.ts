/**
 * The latest virtual time the clock may reach: the end of year 9999, the last instant every ISO 8601 and
 * HTTP date the services print can still express (`Date` itself stops at 275760, where nothing prints).
 */
export const MAX_VIRTUAL_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * The emulator's notion of time: the wall clock plus an offset that only grows. Advancing it expires tokens,
 * signed URLs and processing jobs without anyone sleeping.
 */
export class EmulatorClock {
  #offsetMs = 0;

  constructor(offsetMs = 0) {
    this.advance(offsetMs);
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** How far ahead of the wall clock the emulator runs. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** The largest `advance` accepted right now. */
  maxAdvanceMs(): number {
    return Math.max(0, MAX_VIRTUAL_TIME - this.now());
  }

  /**
   * Moves time forward by a whole number of ms; time never goes back, as real services never see it go
   * back. A value that is not a non-negative integer, or that would carry the clock past
   * {@link MAX_VIRTUAL_TIME}, throws a `RangeError` and leaves the clock as it was.
   */
  advance(ms: number): void {
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0)
      throw new RangeError('advanceMs must be a non-negative whole number of milliseconds');
    if (ms > this.maxAdvanceMs())
      throw new RangeError(
        `advanceMs must be at most ${this.maxAdvanceMs()} (the virtual clock stops at ${new Date(MAX_VIRTUAL_TIME).toISOString()})`,
      );
    this.#offsetMs += ms;
  }

  /**
   * Takes over an offset saved by an earlier run. An offset that is not a valid one (a file written by an
   * older emulator, or edited by hand) is refused, so a broken clock never survives a restart.
   */
  restore(offsetMs: unknown): boolean {
    if (typeof offsetMs !== 'number' || !Number.isSafeInteger(offsetMs) || offsetMs < 0) return false;
    if (Date.now() + offsetMs > MAX_VIRTUAL_TIME) return false;
    if (offsetMs > this.#offsetMs) this.#offsetMs = offsetMs;
    return true;
  }
}

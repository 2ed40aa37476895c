/**
 * The emulator's notion of time: the wall clock plus an offset that only grows. Advancing it expires tokens,
 * signed URLs and processing jobs without anyone sleeping.
 */
export class EmulatorClock {
  #offsetMs: number;

  constructor(offsetMs = 0) {
    this.#offsetMs = offsetMs;
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /** How far ahead of the wall clock the emulator runs. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Moves time forward; time never goes back, as real services never see it go back. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError('clock can only move forward by a finite number of ms');
    this.#offsetMs += ms;
  }
}

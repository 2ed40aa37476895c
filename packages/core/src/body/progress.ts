/**
 * Progress that a user can put on a progress bar: it never goes backwards (a retried attempt or a restarted
 * download counts its bytes again without showing them twice) and never passes the total.
 *
 * @module
 */
import type { ProgressListener } from '../http/types.js';

/**
 * A reporter of bytes for one transfer. `report(loaded)` takes the count of the current attempt (it may
 * restart at 0); the listener sees the highest count so far, clamped to `total`, and only when it grows.
 */
export interface ProgressReporter {
  report(loaded: number): void;
  /** Adds bytes to the running count (parts finishing in any order). */
  add(bytes: number): void;
  /** The total changed (learnt from a response): later events carry it. */
  setTotal(total: number | undefined): void;
  readonly loaded: number;
}

export function progressReporter(
  listener: ProgressListener | undefined,
  total: number | undefined,
): ProgressReporter {
  let shown = -1;
  let sum = 0;
  let currentTotal = total;
  const emit = (value: number) => {
    const clamped = currentTotal === undefined ? value : Math.min(value, currentTotal);
    if (clamped <= shown) return;
    shown = clamped;
    listener?.({ loaded: clamped, total: currentTotal });
  };
  return {
    report: emit,
    add(bytes) {
      sum += bytes;
      emit(sum);
    },
    setTotal(value) {
      currentTotal = value;
    },
    get loaded() {
      return Math.max(shown, 0);
    },
  };
}

/**
 * The bound on the embedded emulators' saved state, read by every command: kept apart from
 * `embedded-state.ts` so that reading it does not load the emulators (a command against a real service or a
 * running `mediaferry emulator` never needs them).
 *
 * @module
 */
import { parseSize } from './units.js';

/** The state may grow to 1 GiB before it is reset (it once reached 806 MB without a bound). */
export const DEFAULT_MAX_STATE = 1024 ** 3;

/** `--max-state`, else `$MEDIAFERRY_EMULATOR_MAX_STATE`, else 1 GiB; `0` turns the bound off. */
export function maxStateOf(flag: string | undefined): number {
  const text = flag ?? process.env.MEDIAFERRY_EMULATOR_MAX_STATE;
  return text === undefined || text === '' ? DEFAULT_MAX_STATE : parseSize(text, '--max-state');
}

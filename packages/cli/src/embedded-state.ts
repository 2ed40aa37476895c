/**
 * The embedded emulators' saved state on disk: how big it is, and resetting it (each service through its own
 * control plane's seed, so blobs are deleted by the code that wrote them). `mediaferry emulator reset` and the
 * `--max-state` bound both end here.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ControlInputError,
  createEmulator,
  DataDirBusyError,
  type Emulator,
  services as emulated,
} from '@mediaferry/emulator';
import { CliError } from './errors.js';

export { DEFAULT_MAX_STATE, maxStateOf } from './embedded-limits.js';

/** Bytes of every file under `dir` (links not followed); 0 when it does not exist. */
export async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(path);
    else if (entry.isFile()) total += (await lstat(path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** The emulated services that have saved state under `dir`. */
export function servicesIn(dir: string): string[] {
  return Object.keys(emulated).filter((name) => existsSync(join(dir, name, 'state.json')));
}

/**
 * Resets every service saved under `dir` to `seed` (`demo`, or `none` for empty services). The caller holds
 * the directory (the CLI's lock); a service that another process serves is refused with what to do.
 */
export async function resetServices(dir: string, seed: string, command: string): Promise<string[]> {
  const names = servicesIn(dir);
  for (const name of names) {
    const emulator = createEmulator(emulated[name]!, {
      data: dir,
      seed: 'none',
      lock: { command },
    }) as Emulator;
    try {
      await emulator.ready;
      await emulator.control.seed(seed);
    } catch (error) {
      if (error instanceof DataDirBusyError)
        throw new CliError(
          `${name}: ${error.message}`,
          error.holder.url
            ? `stop it first (mediaferry emulator stop, or Ctrl+C), or reset it where it runs: curl -X POST ${error.holder.url}/__emulator/reset`
            : 'wait for it to finish, or stop it',
        );
      if (error instanceof ControlInputError)
        throw new CliError(error.message, `seeds: ${emulator.control.seeds().join(', ')}`);
      throw error;
    } finally {
      await emulator.close().catch(() => {});
    }
  }
  return names;
}

import { resolve } from 'node:path';
import { DataDirBusyError, DirLock } from '@mediaferry/emulator';
import { embeddedDataDir } from '../connections.js';
import { resetServices, servicesIn, sizeOf } from '../embedded-state.js';
import { CliError } from '../errors.js';
import { formatBytes, info, type OutputOptions, printJson } from '../output.js';

/**
 * `mediaferry emulator reset`: the embedded emulators (or a `--data` directory) back to their demo data
 * (`--seed none`: empty), their blobs deleted. Refused while another process uses the directory.
 */
export async function resetEmulatorState(
  options: { data?: string; seed: string },
  output: OutputOptions,
): Promise<void> {
  const dir = resolve(options.data ?? embeddedDataDir());
  const found = servicesIn(dir);
  if (found.length === 0) {
    if (options.data !== undefined)
      throw new CliError(
        `${dir} holds no emulator state`,
        'give the directory passed to `mediaferry emulator --data`',
      );
    if (output.json) return printJson({ dir, reset: [], before: 0, after: 0 });
    info(output, `nothing to reset: the embedded emulators have no state in ${dir} yet`);
    return;
  }
  let lock: DirLock;
  try {
    lock = await DirLock.acquire(dir, { command: 'mediaferry emulator reset' });
  } catch (error) {
    if (error instanceof DataDirBusyError)
      throw new CliError(error.message, 'let that command finish (or stop it), then reset');
    throw error;
  }
  try {
    const before = await sizeOf(dir);
    const reset = await resetServices(dir, options.seed, 'mediaferry emulator reset');
    const after = await sizeOf(dir);
    if (output.json) return printJson({ dir, reset, seed: options.seed, before, after });
    info(
      output,
      `reset ${reset.join(', ')} in ${dir} to the ${options.seed === 'none' ? 'empty state' : `${options.seed} data`}: ${formatBytes(before)} → ${formatBytes(after)}`,
    );
  } finally {
    await lock.release();
  }
}

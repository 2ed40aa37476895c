import {
  createEmulator,
  DataDirBusyError,
  DataDirError,
  DirLock,
  type Emulator,
  services as emulated,
  makeDir,
} from '@mediaferry/emulator';
import { DEFAULT_MAX_STATE, resetServices, sizeOf } from './embedded-state.js';
import { CliError } from './errors.js';
import { formatBytes, notice, type OutputOptions } from './output.js';

/** How a command reaches an embedded service: in-process, or a running `mediaferry emulator` on its data. */
export interface EmbeddedService {
  readonly credentials: Record<string, string>;
  /** Set when the service runs in this process. */
  readonly fetch?: typeof fetch;
  /** Set when another process serves the data directory: its URL. */
  readonly url?: string;
}

const running = new Map<string, Emulator>();
let held: Promise<DirLock> | undefined;

/** What the lock file says this process is: the command, never its arguments (they may hold secrets). */
export const whoAmI = () => `mediaferry ${process.argv[2] ?? ''}`.trim();

/**
 * One CLI process at a time uses the embedded emulators' data directory: a second one waits for the first
 * to finish (saying so once), then sees everything the first wrote. Without this, both would load the same
 * state and the last to save would silently drop the other's uploads.
 */
function holdDataDir(
  dir: string,
  output: OutputOptions,
  maxState: number,
  signal?: AbortSignal,
): Promise<DirLock> {
  held ??= (async () => {
    await makeDir(dir);
    const lock = await DirLock.acquire(dir, {
      wait: true,
      command: whoAmI(),
      ...(signal ? { signal } : {}),
      onWait: (holder) =>
        notice(
          output,
          `waiting for ${holder.command} (pid ${holder.pid}) to finish with the embedded emulators in ${dir} (Ctrl+C to give up)`,
        ),
    });
    try {
      await boundState(dir, output, maxState);
    } catch (error) {
      await lock.release();
      throw error;
    }
    return lock;
  })();
  held.catch(() => {
    held = undefined;
  });
  return held;
}

/**
 * Keeps the saved state under `maxState` bytes: over it, every service goes back to the demo data (with a
 * note saying so). Checked when a command first opens the state, so it stays within the bound plus what one
 * command adds.
 */
async function boundState(dir: string, output: OutputOptions, maxState: number): Promise<void> {
  if (maxState <= 0) return;
  const size = await sizeOf(dir);
  if (size <= maxState) return;
  await resetServices(dir, 'demo', whoAmI());
  notice(
    output,
    `the embedded emulators' state in ${dir} had grown to ${formatBytes(size)}, over --max-state ${formatBytes(maxState)}: reset to the demo data (now ${formatBytes(await sizeOf(dir))})`,
  );
}

/**
 * Opens a service on the embedded emulators' data (`dir`), seeded with demo data the first time. When a
 * `mediaferry emulator --data <dir>` already serves that data, the command talks to it instead.
 */
export async function openEmbedded(
  service: string,
  dir: string,
  output: OutputOptions,
  signal?: AbortSignal,
  maxState: number = DEFAULT_MAX_STATE,
): Promise<EmbeddedService> {
  const definition = emulated[service];
  if (!definition) throw new CliError(`no emulator for ${service}`);
  await holdDataDir(dir, output, maxState, signal);
  let emulator = running.get(service);
  if (!emulator) {
    emulator = createEmulator(definition, {
      seed: 'demo',
      data: dir,
      lock: { command: whoAmI() },
    }) as Emulator;
    running.set(service, emulator);
  }
  try {
    await emulator.ready;
  } catch (error) {
    running.delete(service);
    if (error instanceof DataDirBusyError && error.holder.url) {
      const url = error.holder.url;
      notice(
        output,
        `${service}: using the running emulator at ${url} (pid ${error.holder.pid}), which holds ${dir}`,
      );
      const answer = await fetch(`${url}/__emulator/credentials`, signal ? { signal } : {}).catch(
        () => undefined,
      );
      if (!answer?.ok) throw new CliError(`${error.message}; it does not answer at ${url}`);
      return { url, credentials: (await answer.json()) as Record<string, string> };
    }
    if (error instanceof DataDirBusyError || error instanceof DataDirError)
      throw new CliError(
        error.message,
        'set MEDIAFERRY_EMULATOR_DATA to another directory, or stop the other process',
      );
    throw error;
  }
  return { fetch: emulator.fetch, credentials: emulator.control.credentials() };
}

/** Writes the state of every embedded emulator and lets the next process in; call before exiting. */
export async function closeEmbedded(): Promise<void> {
  await Promise.all([...running.values()].map((emulator) => emulator.close()));
  running.clear();
  const lock = held;
  held = undefined;
  await (await lock?.catch(() => undefined))?.release();
}

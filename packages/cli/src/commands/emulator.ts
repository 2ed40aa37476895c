import { DataDirBusyError, DataDirError, startEmulators } from '@mediaferry/emulator';
import { CliError, UsageError } from '../errors.js';
import { colors, type OutputOptions, printJson, table } from '../output.js';

export interface EmulatorCommandOptions {
  readonly host: string;
  readonly port: string;
  readonly data?: string;
  readonly seed: string;
  readonly services?: string;
}

/** `mediaferry emulator`: serves every emulated cloud on local ports until interrupted. */
export async function runEmulator(options: EmulatorCommandOptions, output: OutputOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be 0-65535, got ${options.port}`);
  const services = options.services
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  let started: Awaited<ReturnType<typeof startEmulators>>;
  try {
    started = await startEmulators({
      host: options.host,
      port,
      seed: options.seed,
      command: 'mediaferry emulator',
      ...(options.data === undefined ? {} : { data: options.data }),
      ...(services === undefined ? {} : { services }),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    if (error instanceof DataDirBusyError)
      throw new CliError(error.message, 'two emulators on one --data directory would overwrite each other');
    if (error instanceof DataDirError)
      throw new CliError(error.message, '--data needs a directory this user can create and write');
    throw error;
  }
  if (output.json) {
    printJson(
      Object.fromEntries(
        started.emulators.map((e) => [e.name, { url: e.url, console: e.console, ...e.credentials }]),
      ),
    );
  } else {
    const rows = started.emulators.map((e) => [
      colors.cyan(e.name),
      e.url,
      Object.entries(e.credentials)
        .map(([key, value]) => `${key}=${value}`)
        .join(' '),
    ]);
    process.stdout.write(`${table(['service', 'url', 'credentials'], rows)}\n`);
    if (!output.quiet) {
      process.stdout.write(
        `\nConsole: ${colors.bold(started.index)} (state, live journal, faults, clock; each service at <url>/__emulator/ui/)\nControl plane: <url>/__emulator/ (faults, wire-faults, journal, clock, reset, seed, state).${options.data ? ` State persists in ${options.data}.` : ''}\nPress Ctrl+C to stop.\n`,
      );
    }
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await started.close();
}

import { startEmulators } from '@mediaferry/emulator';
import { UsageError } from '../errors.js';
import { colors, type OutputOptions, printJson, table } from '../output.js';

export interface EmulatorCommandOptions {
  readonly host: string;
  readonly port: string;
  readonly data?: string;
  readonly seed: string;
  readonly services?: string;
  /** `service.name=value`, repeatable. */
  readonly option?: readonly string[];
}

/** `--option mixcloud.oauthErrorStatus=401` … → `{ mixcloud: { oauthErrorStatus: '401' } }` (typed later). */
export function parseOptionFlags(flags: readonly string[] = []): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const flag of flags) {
    const match = /^([a-z0-9]+)\.([A-Za-z0-9_]+)=(.*)$/s.exec(flag);
    if (!match)
      throw new UsageError(
        `--option takes service.name=value (e.g. mixcloud.oauthErrorStatus=401), got ${flag}`,
      );
    const [, service, name, value] = match;
    out[service!] = { ...out[service!], [name!]: value! };
  }
  return out;
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
  const serviceOptions = parseOptionFlags(options.option);
  let started: Awaited<ReturnType<typeof startEmulators>>;
  try {
    started = await startEmulators({
      host: options.host,
      port,
      seed: options.seed,
      ...(options.data === undefined ? {} : { data: options.data }),
      ...(services === undefined ? {} : { services }),
      ...(options.option?.length ? { options: serviceOptions } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  if (output.json) {
    printJson(Object.fromEntries(started.emulators.map((e) => [e.name, { url: e.url, ...e.credentials }])));
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
        `\nControl plane: <url>/__emulator/ (faults, wire-faults, journal, clock, options, reset, seed, state).${options.data ? ` State persists in ${options.data}.` : ''}\nPress Ctrl+C to stop.\n`,
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

import { DataDirBusyError, DataDirError, startEmulators } from '@mediaferry/emulator';
import { CREDENTIALS, isServiceName } from '../credentials.js';
import { CliError, UsageError } from '../errors.js';
import { colors, type OutputOptions, printJson, table } from '../output.js';
import { type EmulatorInfo, startDetached } from './emulator-detached.js';

export interface EmulatorCommandOptions {
  readonly host: string;
  readonly port: string;
  readonly data?: string;
  readonly seed: string;
  readonly services?: string;
  /** Start in the background, print how to reach it, and return. */
  readonly detach?: boolean;
  /** Print `export VAR=value` lines for a shell instead of the table. */
  readonly env?: boolean;
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

/** Checks the flags before anything starts: a bad port is a usage error, not a half-started server. */
export function checkedPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be 0-65535, got ${text}`);
  return port;
}

/** `mediaferry emulator`: serves every emulated cloud on local ports until interrupted. */
export async function runEmulator(options: EmulatorCommandOptions, output: OutputOptions): Promise<void> {
  const port = checkedPort(options.port);
  const serviceOptions = parseOptionFlags(options.option);
  if (options.detach) {
    printInfo(await startDetached(options, output), options, output);
    return;
  }
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
      ...(options.option?.length ? { options: serviceOptions } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    if (error instanceof DataDirBusyError)
      throw new CliError(error.message, 'two emulators on one --data directory would overwrite each other');
    if (error instanceof DataDirError)
      throw new CliError(error.message, '--data needs a directory this user can create and write');
    throw error;
  }
  const info: EmulatorInfo = Object.fromEntries(
    started.emulators.map((e) => [
      e.name,
      { url: e.url, console: e.console, ...e.credentials, endpoints: e.endpoints },
    ]),
  );
  printInfo(info, options, output);
  if (!output.json && !options.env && !output.quiet) {
    process.stdout.write(
      `\nConsole: ${colors.bold(started.index)} (state, live journal, faults, clock; each service at <url>/__emulator/ui/)\nControl plane: <url>/__emulator/ (faults, wire-faults, journal, clock, options, reset, seed, state).${options.data ? ` State persists in ${options.data}.` : ''}\nPress Ctrl+C to stop.\n`,
    );
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

/** One JSON line (`--json`), shell exports (`--env`), or a table for people. */
function printInfo(info: EmulatorInfo, options: EmulatorCommandOptions, output: OutputOptions): void {
  if (options.env) {
    process.stdout.write(`${envLines(info).join('\n')}\n`);
    return;
  }
  if (output.json) {
    printJson(info);
    return;
  }
  const rows = Object.entries(info).map(
    ([name, { url, endpoints: _endpoints, console: _console, ...credentials }]) => [
      colors.cyan(name),
      url,
      Object.entries(credentials)
        .map(([key, value]) => `${key}=${value}`)
        .join(' '),
    ],
  );
  process.stdout.write(`${table(['service', 'url', 'credentials'], rows)}\n`);
}

/** Single quotes keep every character literal in a POSIX shell; a quote inside is closed, escaped, reopened. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `export` lines that point the CLI and the libraries at the running emulators: the service URL variables
 * and each service's usual credential variables.
 */
export function envLines(info: EmulatorInfo): string[] {
  const lines: string[] = [];
  for (const [name, service] of Object.entries(info)) {
    if (!isServiceName(name)) continue;
    const table = CREDENTIALS[name];
    lines.push(`export ${table.urlEnv}=${shellQuote(service.url)}`);
    for (const credential of table.fields) {
      const value = service[credential.emulator];
      if (typeof value === 'string') lines.push(`export ${credential.env}=${shellQuote(value)}`);
    }
  }
  return lines;
}

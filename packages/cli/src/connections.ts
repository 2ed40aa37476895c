import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type Emulator, services as emulated } from '@mediaferry/emulator';
import { CliError, EXIT } from './errors.js';
import { notice, type OutputOptions } from './output.js';

/** How to reach one service: its real API, a running `mediaferry emulator`, or an in-process emulator. */
export interface Connection {
  readonly service: string;
  readonly mode: 'remote' | 'embedded';
  /** Overrides the client's default API URL (a running emulator, a proxy). */
  readonly baseUrl?: string | undefined;
  /** Set for embedded emulators: requests never touch the network. */
  readonly fetch?: typeof fetch | undefined;
  readonly credentials: Readonly<Record<string, string>>;
}

/** What a service needs from the environment: credential fields and the variable each comes from. */
export interface CredentialSpec {
  readonly service: string;
  /** field → environment variable, named as the service's own ecosystem names it. */
  readonly env: Readonly<Record<string, string>>;
  /** The emulator credential each field takes when running embedded. */
  readonly fromEmulator: (credentials: Record<string, string>) => Record<string, string>;
}

export interface ConnectionFlags {
  /** Use in-process emulators (`--emulator`; `MEDIAFERRY_EMULATOR=1` does the same). */
  readonly emulator?: boolean;
  /** Credential values given as flags, by field. */
  readonly credentials?: Readonly<Record<string, string | undefined>>;
}

/** `$XDG_CONFIG_HOME/mediaferry/config.json` (or ~/.config/…). */
export function configPath(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mediaferry', 'config.json');
}

/** Where embedded emulators keep state between CLI runs, so `upload` then `ls` sees the upload. */
export function embeddedDataDir(): string {
  return (
    process.env.MEDIAFERRY_EMULATOR_DATA ||
    join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'mediaferry', 'emulators')
  );
}

async function readConfig(output: OutputOptions): Promise<Record<string, Record<string, string>>> {
  const path = configPath();
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    return {};
  }
  if ((info.mode & 0o077) !== 0) {
    notice(output, `${path} is readable by other users; it holds credentials (chmod 600 ${path})`);
  }
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, Record<string, string>>;
  } catch (error) {
    throw new CliError(
      `cannot read ${path}: ${(error as Error).message}`,
      'fix or delete the file; it is plain JSON',
    );
  }
}

const running = new Map<string, Emulator>();

/** Starts (once per process) the in-process emulator of a service, seeded with demo data. */
export function embeddedEmulator(service: string, options: { data?: string | undefined } = {}): Emulator {
  let emulator = running.get(service);
  if (!emulator) {
    const definition = emulated[service];
    if (!definition) throw new CliError(`no emulator for ${service}`);
    emulator = createEmulator(definition, {
      seed: 'demo',
      ...(options.data ? { data: options.data } : {}),
    }) as Emulator;
    running.set(service, emulator);
  }
  return emulator;
}

/** Whether the user asked for the embedded emulators: `--emulator` or `MEDIAFERRY_EMULATOR=1`. */
export function emulatorRequested(flags: ConnectionFlags): boolean {
  return flags.emulator === true || process.env.MEDIAFERRY_EMULATOR === '1';
}

/** The embedded emulators' state folder, readable by its owner only (it holds emulator credentials). */
async function privateDataDir(): Promise<string> {
  const dir = embeddedDataDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  return dir;
}

/** Writes the state of every embedded emulator; call before exiting. */
export async function closeEmbedded(): Promise<void> {
  await Promise.all([...running.values()].map((emulator) => emulator.close()));
  running.clear();
}

/**
 * Resolves credentials: flags, then the service's environment variables, then the config file. The embedded
 * emulators are used only when asked for (`--emulator`, `MEDIAFERRY_EMULATOR=1`); without credentials the
 * command stops with exit 2 and names what is missing, so no data ever goes to a stand-in by accident.
 */
export async function resolveConnection(
  spec: CredentialSpec,
  flags: ConnectionFlags,
  output: OutputOptions,
): Promise<Connection> {
  const prefix = `MEDIAFERRY_${spec.service.toUpperCase()}`;
  const baseUrl = process.env[`${prefix}_URL`] || undefined;
  if (!emulatorRequested(flags)) {
    const config = (await readConfig(output))[spec.service] ?? {};
    const credentials: Record<string, string> = {};
    for (const [field, variable] of Object.entries(spec.env)) {
      const value = flags.credentials?.[field] ?? process.env[variable] ?? config[field];
      if (value) credentials[field] = value;
    }
    const missing = Object.keys(spec.env).filter((field) => !credentials[field]);
    if (missing.length === 0)
      return { service: spec.service, mode: 'remote', baseUrl: baseUrl ?? config.url, credentials };
    throw new CliError(
      `no ${spec.service} credentials: missing ${missing.map((f) => spec.env[f]).join(' and ')}`,
      `set ${missing.map((f) => spec.env[f]).join(', ')}, or save them with ${missing.map((f) => `\`mediaferry config set ${spec.service} ${f} …\``).join(', ')} (${configPath()}), or pass --emulator (or MEDIAFERRY_EMULATOR=1) to use the embedded emulator with demo data`,
      EXIT.usage,
    );
  }
  notice(output, `${spec.service}: using the embedded emulator with demo data (--emulator)`);
  const emulator = embeddedEmulator(spec.service, { data: await privateDataDir() });
  await emulator.ready;
  return {
    service: spec.service,
    mode: 'embedded',
    baseUrl: `http://${spec.service}.emulator.mediaferry.invalid`,
    fetch: emulator.fetch,
    credentials: spec.fromEmulator(emulator.control.credentials()),
  };
}

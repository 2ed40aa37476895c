import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { openEmbedded } from './embedded.js';
import { CliError } from './errors.js';
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
  /** Force in-process emulators. */
  readonly emulator?: boolean;
  /** Credential values given as flags, by field. */
  readonly credentials?: Readonly<Record<string, string | undefined>>;
  /** Stops a wait for the embedded emulators (another process using them). */
  readonly signal?: AbortSignal;
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

/**
 * Resolves credentials: flags, then the service's environment variables, then the config file. With none of
 * them (or `--emulator`) the service runs embedded, with a notice, so every command works out of the box.
 */
export async function resolveConnection(
  spec: CredentialSpec,
  flags: ConnectionFlags,
  output: OutputOptions,
): Promise<Connection> {
  const prefix = `MEDIAFERRY_${spec.service.toUpperCase()}`;
  const baseUrl = process.env[`${prefix}_URL`] || undefined;
  if (!flags.emulator) {
    const config = (await readConfig(output))[spec.service] ?? {};
    const credentials: Record<string, string> = {};
    for (const [field, variable] of Object.entries(spec.env)) {
      const value = flags.credentials?.[field] ?? process.env[variable] ?? config[field];
      if (value) credentials[field] = value;
    }
    const missing = Object.keys(spec.env).filter((field) => !credentials[field]);
    if (missing.length === 0)
      return { service: spec.service, mode: 'remote', baseUrl: baseUrl ?? config.url, credentials };
    if (Object.keys(credentials).length > 0) {
      throw new CliError(
        `${spec.service}: missing ${missing.map((f) => spec.env[f]).join(', ')}`,
        `set them, or add them to ${configPath()}, or pass --emulator to use the embedded emulator`,
      );
    }
    notice(
      output,
      `no ${spec.service} credentials (${Object.values(spec.env).join(', ')}): using the embedded emulator with demo data`,
    );
  }
  const embedded = await openEmbedded(spec.service, embeddedDataDir(), output, flags.signal);
  return {
    service: spec.service,
    mode: 'embedded',
    baseUrl: embedded.url ?? `http://${spec.service}.emulator.mediaferry.invalid`,
    fetch: embedded.fetch,
    credentials: spec.fromEmulator(embedded.credentials),
  };
}

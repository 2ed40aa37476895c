import { homedir } from 'node:os';
import { join } from 'node:path';
import { configPath, readConfig } from './config-file.js';
import { CREDENTIALS, type ServiceName } from './credentials.js';
import { CliError, EXIT } from './errors.js';
import type { OutputOptions } from './output.js';

/** How to reach one service: its real API, a running `mediaferry emulator`, or an in-process emulator. */
export interface Connection {
  readonly service: string;
  readonly mode: 'remote' | 'embedded';
  /** Overrides the client's default API URL (a running emulator, a proxy). */
  readonly baseUrl?: string | undefined;
  /** Set for embedded emulators: requests never touch the network. */
  readonly fetch?: typeof fetch | undefined;
  readonly credentials: Readonly<Record<string, string>>;
  /** Where the credentials came from, for error hints: `$B2_APPLICATION_KEY`, `--key`, the config file… */
  readonly origin?: string | undefined;
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
  /** The embedded emulators' state bound in bytes (`--max-state`). */
  readonly maxState?: number;
}

/** Where embedded emulators keep state between CLI runs, so `upload` then `ls` sees the upload. */
export function embeddedDataDir(): string {
  return (
    process.env.MEDIAFERRY_EMULATOR_DATA ||
    join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'mediaferry', 'emulators')
  );
}

/** True when the user asked for the embedded emulators: `--emulator` or `MEDIAFERRY_EMULATOR=1`. */
export function emulatorRequested(flag: boolean | undefined): boolean {
  const env = process.env.MEDIAFERRY_EMULATOR?.toLowerCase();
  return flag === true || env === '1' || env === 'true' || env === 'yes';
}

/**
 * Asks a running `mediaferry emulator` for its credentials, so `MEDIAFERRY_B2_URL=<its url>` is all a user
 * needs. Anything but an emulator's control plane answering JSON means "not an emulator".
 */
async function askEmulator(baseUrl: string): Promise<Record<string, string> | undefined> {
  try {
    const response = await fetch(new URL('/__emulator/credentials', baseUrl), {
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as unknown;
    if (typeof body !== 'object' || body === null) return undefined;
    return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<
      string,
      string
    >;
  } catch {
    return undefined;
  }
}

function missingCredentials(spec: CredentialSpec, missing: readonly string[], partial: boolean): CliError {
  const table = CREDENTIALS[spec.service as ServiceName];
  const fields = table?.fields.filter((f) => missing.includes(f.field)) ?? [];
  const variables = fields.map((f) => f.env).join(' and ');
  const flags = fields.map((f) => `--${f.flag}`).join('/');
  const config = fields.map((f) => `mediaferry config set ${spec.service} ${f.field} …`).join('` and `');
  return new CliError(
    partial
      ? `${spec.service}: ${variables} is missing (the other ${spec.service} credentials are set)`
      : `${spec.service}: no credentials (${variables} are not set)`,
    `set ${variables}, or run \`${config}\`, or pass ${flags}; to try it without an account, add --emulator`,
    EXIT.usage,
  );
}

/**
 * Resolves a service's connection. Credentials come from flags, then the service's environment variables,
 * then the config file; the host from `MEDIAFERRY_<SERVICE>_URL`, then the config file. With a host and no
 * credentials, a running `mediaferry emulator` there is asked for its own. The embedded emulators are used
 * only when asked for (`--emulator`, `MEDIAFERRY_EMULATOR=1`): without credentials a command fails (exit 2)
 * naming what is missing, never silently writing to a fake cloud.
 */
export async function resolveConnection(
  spec: CredentialSpec,
  flags: ConnectionFlags,
  output: OutputOptions,
): Promise<Connection> {
  const connection = await resolve(spec, flags, output);
  resolved.set(spec.service, connection);
  return connection;
}

/** Connections this process resolved, by service: error hints name where a rejected key came from. */
const resolved = new Map<string, Connection>();

/** The connection this process resolved for a service, if any. */
export function resolvedConnection(service: string): Connection | undefined {
  return resolved.get(service);
}

async function resolve(
  spec: CredentialSpec,
  flags: ConnectionFlags,
  output: OutputOptions,
): Promise<Connection> {
  if (emulatorRequested(flags.emulator))
    return embeddedConnection(spec, output, flags.signal, flags.maxState);
  const prefix = `MEDIAFERRY_${spec.service.toUpperCase()}`;
  const config = (await readConfig(output))[spec.service] ?? {};
  const baseUrl = process.env[`${prefix}_URL`] || config.url || undefined;
  const credentials: Record<string, string> = {};
  const origins = new Set<string>();
  const flagOf = (field: string) =>
    CREDENTIALS[spec.service as ServiceName]?.fields.find((f) => f.field === field)?.flag ?? field;
  for (const [field, variable] of Object.entries(spec.env)) {
    const fromFlag = flags.credentials?.[field];
    const value = fromFlag || process.env[variable] || config[field];
    if (!value) continue;
    credentials[field] = value;
    origins.add(
      fromFlag
        ? `--${flagOf(field)}`
        : process.env[variable]
          ? `$${variable}`
          : `${configPath()} (${spec.service}.${field})`,
    );
  }
  const missing = Object.keys(spec.env).filter((field) => !credentials[field]);
  if (missing.length === 0)
    return { service: spec.service, mode: 'remote', baseUrl, credentials, origin: [...origins].join(', ') };
  if (missing.length < Object.keys(spec.env).length) throw missingCredentials(spec, missing, true);
  const fromEmulator = baseUrl ? await askEmulator(baseUrl) : undefined;
  if (fromEmulator) {
    return {
      service: spec.service,
      mode: 'remote',
      baseUrl,
      credentials: spec.fromEmulator(fromEmulator),
      origin: `the emulator at ${baseUrl}`,
    };
  }
  throw missingCredentials(spec, missing, false);
}

/**
 * The embedded emulators, loaded only by a command that uses them: loading them (hono, busboy, every service)
 * cost every other command a noticeable part of its start.
 */
let embeddedModule: Promise<typeof import('./embedded.js')> | undefined;

/** Stops the embedded emulators, if this process started any. */
export async function closeEmbeddedIfOpen(): Promise<void> {
  if (embeddedModule) await (await embeddedModule).closeEmbedded();
}

async function embeddedConnection(
  spec: CredentialSpec,
  output: OutputOptions,
  signal: AbortSignal | undefined,
  maxState: number | undefined,
): Promise<Connection> {
  embeddedModule ??= import('./embedded.js');
  const { openEmbedded } = await embeddedModule;
  const embedded = await openEmbedded(spec.service, embeddedDataDir(), output, signal, maxState);
  return {
    service: spec.service,
    mode: 'embedded',
    baseUrl: embedded.url ?? `http://${spec.service}.emulator.mediaferry.invalid`,
    fetch: embedded.fetch,
    credentials: spec.fromEmulator(embedded.credentials),
    origin: 'the embedded emulator',
  };
}

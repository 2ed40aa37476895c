/**
 * How a bench runs one transfer through a tool driver (`bench/tools/`) or the mediaferry CLI, each a separate
 * process measured the same way: drivers time their own transfer call (after authorizing), the CLI is timed
 * whole, start to exit; peak RSS from GNU time for all.
 */
import { fileURLToPath } from 'node:url';
import { CLI_BIN } from './emulator-process.js';
import { lastJsonLine, measureProcess } from './process.js';

/** A B2 account on an emulator, and the bucket a bench works in. */
export interface B2Connection {
  readonly url: string;
  readonly keyId: string;
  readonly key: string;
  readonly bucket: string;
}

export interface Measured {
  /** Wall time, ms. */
  readonly ms: number;
  /** Peak RSS of the process, bytes. */
  readonly peakRss: number;
  /** For a tool that times its own transfer: its process from start to exit, ms (authorizing included). */
  readonly processMs?: number;
}

/** The driver scripts (python, CommonJS) as committed, and the compiled TypeScript ones. */
export const TOOLS_DIR = fileURLToPath(new URL('../../tools/', import.meta.url));
export const LIBRARY_DRIVER = fileURLToPath(new URL('../tools/mediaferry-lib.js', import.meta.url));

/**
 * The job a driver reads from its last argument: upload the local `path` as `name`, or download `name` to
 * `path`; `parallel` parts in flight where the driver chooses (backblaze-b2).
 */
export function driverJob(
  conn: B2Connection,
  op: 'upload' | 'download',
  name: string,
  path: string,
  parallel = 1,
): string {
  return JSON.stringify({ ...conn, op, name, path, parallel });
}

/** A driver that times its own call: its reported ms, the process's peak RSS. */
export async function runDriver(command: string, args: readonly string[]): Promise<Measured> {
  const result = await measureProcess(command, args);
  return {
    ms: lastJsonLine<{ ms: number }>(result.stdout).ms,
    peakRss: result.peakRss,
    processMs: result.ms,
  };
}

/** mediaferry's library (`b2.files.upload` / `downloadToFile` with their defaults) in its own process. */
export function runLibrary(conn: B2Connection, op: 'upload' | 'download', name: string, path: string) {
  return runDriver(process.execPath, [LIBRARY_DRIVER, driverJob(conn, op, name, path)]);
}

/**
 * Environment for the CLI: the variables given (a service URL and its documented credential variables), and
 * nothing inherited that could steer it elsewhere.
 */
export function cliEnvFor(variables: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(MEDIAFERRY_|B2_|GP_|BIGGO_|MIXCLOUD_)/.test(name)),
  );
  return { ...inherited, ...variables };
}

/** `mediaferry <args>` with that environment; timed whole, start to exit. */
export async function runCliWith(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Measured & { stdout: string }> {
  const result = await measureProcess(process.execPath, [CLI_BIN, ...args], { env });
  return { ms: result.ms, peakRss: result.peakRss, stdout: result.stdout };
}

/** `mediaferry <args>` against a B2 connection, credentials through the documented variables. */
export function runCli(conn: B2Connection, args: readonly string[]): Promise<Measured & { stdout: string }> {
  return runCliWith(
    args,
    cliEnvFor({
      MEDIAFERRY_B2_URL: conn.url,
      B2_APPLICATION_KEY_ID: conn.keyId,
      B2_APPLICATION_KEY: conn.key,
    }),
  );
}

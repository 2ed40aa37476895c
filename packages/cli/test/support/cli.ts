/**
 * Drives the built `mediaferry` binary as a user would: a subprocess with its own environment (no real
 * credentials, a private config and state dir), optionally against `mediaferry emulator` on free ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A clean environment: none of the developer's credentials leak into tests. */
export async function isolatedEnv(extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const home = await mkdtemp(join(tmpdir(), 'mf-cli-home-'));
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'SYSTEMROOT', 'TMPDIR', 'TEMP'])
    if (process.env[key]) env[key] = process.env[key];
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_STATE_HOME: join(home, 'state'),
    NO_COLOR: '1',
    ...extra,
  };
}

export function start(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function finish(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr?.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => {
      // A Node warning from the CLI (a leaked file handle, a listener leak) is a bug in the CLI.
      const warning = /\(node:\d+\) (\[\w+\] )?\w*Warning.*/.exec(stderr);
      if (warning) reject(new Error(`the CLI printed a Node warning: ${warning[0]}`));
      else resolve({ code, stdout, stderr });
    }),
  );
}

export async function run(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<RunResult> {
  return finish(start(args, env ?? (await isolatedEnv())));
}

/** Reads the first stdout line of a long-running child (e.g. `emulator --json`). */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.setEncoding('utf8');
    const onData = (chunk: string) => {
      buffer += chunk;
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        child.stdout?.off('data', onData);
        resolve(buffer.slice(0, newline));
      }
    };
    child.stdout?.on('data', onData);
    child.once('close', (code) => reject(new Error(`exited with ${code} before printing a line`)));
  });
}

/** One service as `mediaferry emulator --json` describes it: URL, credentials, entry points. */
export type EmulatedService = { url: string; endpoints: Record<string, string> } & Partial<
  Record<string, string>
>;

/** Starts `mediaferry emulator --json` on free ports; returns its endpoints and a stop function. */
export async function startEmulator(services?: string, extra: readonly string[] = []) {
  const env = await isolatedEnv();
  const child = start(
    ['emulator', '--json', '--port', '0', ...(services ? ['--services', services] : []), ...extra],
    env,
  );
  const endpoints = JSON.parse(await firstLine(child)) as Record<string, EmulatedService>;
  return {
    endpoints,
    async stop(): Promise<number | null> {
      const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      return closed;
    },
  };
}

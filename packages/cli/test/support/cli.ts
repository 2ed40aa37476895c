/**
 * Drives the built `mediaferry` binary as a user would: a subprocess with its own environment (no real
 * credentials, a private config and state dir), optionally against `mediaferry emulator` on free ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The launcher npm links as `mediaferry`: it runs the bundle `npm run build` made (or, after a bare `tsc -b`, the modules). */
export const BIN = fileURLToPath(new URL('../../bin/mediaferry.js', import.meta.url));

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

/** Runs the CLI with `input` on its standard input (a pipe, not a terminal). */
export function runWithInput(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input: string,
): Promise<RunResult> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.end(input);
  return finish(child);
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
    pid: child.pid!,
    async stop(): Promise<number | null> {
      const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      return closed;
    },
  };
}

export type Emulated = Awaited<ReturnType<typeof startEmulator>>;

/** The environment that points every service of the CLI at a running `mediaferry emulator`. */
export function envFor(emulator: Emulated, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const { b2, gopro, biggo, mixcloud } = emulator.endpoints;
  return isolatedEnv({
    ...(b2
      ? { MEDIAFERRY_B2_URL: b2.url, B2_APPLICATION_KEY_ID: b2.keyId!, B2_APPLICATION_KEY: b2.key! }
      : {}),
    ...(gopro ? { MEDIAFERRY_GOPRO_URL: gopro.url, GP_ACCESS_TOKEN: gopro.accessToken! } : {}),
    ...(biggo
      ? {
          MEDIAFERRY_BIGGO_URL: biggo.url,
          BIGGO_CLIENT_ID: biggo.clientId!,
          BIGGO_CLIENT_SECRET: biggo.clientSecret!,
        }
      : {}),
    ...(mixcloud
      ? { MEDIAFERRY_MIXCLOUD_URL: mixcloud.url, MIXCLOUD_ACCESS_TOKEN: mixcloud.accessToken! }
      : {}),
    ...extra,
  });
}

/**
 * A library B2 client on the emulator (for checking what the CLI did), the demo bucket's id, and two helpers
 * on that bucket: `put` stores content (a string is text, not a path), `bytesOf` reads a file back whole.
 */
export async function b2ClientFor(emulator: Emulated) {
  const { B2Client } = await import('@mediaferry/b2');
  const endpoint = emulator.endpoints.b2!;
  const b2 = new B2Client({ keyId: endpoint.keyId!, applicationKey: endpoint.key!, baseUrl: endpoint.url });
  const bucketId = (await b2.buckets.get({ bucketName: 'mediaferry-demo' })).bucketId;
  const put = (fileName: string, content: Uint8Array | string) =>
    b2.files
      .upload({
        bucketId,
        fileName,
        source: typeof content === 'string' ? new TextEncoder().encode(content) : content,
      })
      .done();
  const bytesOf = async (fileName: string) => {
    const file = await b2.files.download({ bucketName: 'mediaferry-demo', fileName });
    return new Uint8Array(await new Response(file.body).arrayBuffer());
  };
  return { b2, bucketId, put, bytesOf };
}

/** Calls an emulator's control plane: GET without a body, POST with one. */
export async function control<T = unknown>(
  emulator: Emulated,
  service: string,
  path: string,
  body?: unknown,
  method?: string,
): Promise<T> {
  const response = await fetch(
    `${emulator.endpoints[service]!.url}/__emulator/${path}`,
    body === undefined
      ? { method: method ?? 'GET' }
      : { method: method ?? 'POST', body: JSON.stringify(body) },
  );
  if (!response.ok) throw new Error(`control ${path}: HTTP ${response.status}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** The journal entries of one endpoint. */
export async function journal(emulator: Emulated, service: string, endpoint: string) {
  return (
    await control<{ entries: Array<{ status: number; method: string; path: string; fault: string | null }> }>(
      emulator,
      service,
      `journal?endpoint=${endpoint}`,
    )
  ).entries;
}

/** Polls `condition` every 10 ms until it holds (a test's own timeout bounds the wait). */
export async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Whether process `pid` holds `file` open (Linux: /proc/PID/fd). */
export async function holdsOpen(pid: number, file: string): Promise<boolean> {
  const { readdir, readlink } = await import('node:fs/promises');
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === file) return true;
  return false;
}

/** Parses a `copy --json` report (and fails on any Node warning the run printed: a warning is a bug). */
export function report(result: RunResult) {
  if (/\bWarning\b/.test(result.stderr)) throw new Error(`the CLI printed a warning:\n${result.stderr}`);
  return JSON.parse(result.stdout) as {
    copied: number;
    skipped: number;
    failed: number;
    interrupted: boolean;
    bytes: number;
    items: Array<{
      path: string;
      status: string;
      name?: string;
      reason?: string;
      error?: string;
      sha1?: string;
    }>;
  };
}

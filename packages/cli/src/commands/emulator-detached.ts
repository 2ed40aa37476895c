/**
 * `mediaferry emulator --detach` and `mediaferry emulator stop`: the emulators as a background process a
 * script can start, use through the printed variables, and stop.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from '../errors.js';
import { notice, type OutputOptions } from '../output.js';
import type { EmulatorCommandOptions } from './emulator.js';

/** What a client needs of one running service: its URL, credentials and entry points. */
export interface ServiceInfo {
  readonly url: string;
  readonly endpoints: Readonly<Record<string, string>>;
  readonly [credential: string]: string | Readonly<Record<string, string>>;
}

/** Every running service by name, as `mediaferry emulator --json` prints it. */
export type EmulatorInfo = Readonly<Record<string, ServiceInfo>>;

interface DetachedRecord {
  readonly pid: number;
  readonly info: EmulatorInfo;
  readonly log: string;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

function stateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'mediaferry');
}

const recordPath = () => join(stateDir(), 'emulator.json');

async function readRecord(): Promise<DetachedRecord | undefined> {
  try {
    return JSON.parse(await readFile(recordPath(), 'utf8')) as DetachedRecord;
  } catch {
    return undefined;
  }
}

/** A recorded emulator counts as running only if its process lives and its control plane answers. */
async function isRunning(record: DetachedRecord): Promise<boolean> {
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  const first = Object.values(record.info)[0];
  if (!first) return false;
  try {
    const health = await fetch(new URL('/__emulator/health', first.url), {
      signal: AbortSignal.timeout(2_000),
    });
    return health.ok;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for the child's first stdout line (the JSON `--json` prints once every service listens). */
async function waitForInfo(log: string, exited: () => number | null | undefined): Promise<EmulatorInfo> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const text = await readFile(log, 'utf8').catch(() => '');
    const line = text.split('\n').find((l) => l.startsWith('{'));
    if (line) return JSON.parse(line) as EmulatorInfo;
    const code = exited();
    if (code !== undefined) {
      const tail = text.trim().split('\n').slice(-3).join(' / ');
      throw new CliError(`the emulator exited (${code ?? 'signal'}) before it was ready: ${tail}`);
    }
    await sleep(50);
  }
  throw new CliError(`the emulator was not ready within ${START_TIMEOUT_MS / 1000} s`, `see ${log}`);
}

/** Starts `mediaferry emulator --json` in the background (or finds the one already started) and describes it. */
export async function startDetached(
  options: EmulatorCommandOptions,
  output: OutputOptions,
): Promise<EmulatorInfo> {
  const existing = await readRecord();
  if (existing && (await isRunning(existing))) {
    notice(output, `an emulator is already running in the background (pid ${existing.pid}); using it`);
    return existing.info;
  }
  await mkdir(stateDir(), { recursive: true, mode: 0o700 });
  const log = join(stateDir(), 'emulator.log');
  const fd = openSync(log, 'w', 0o600);
  const args = ['emulator', '--json', '--host', options.host, '--port', options.port, '--seed', options.seed];
  if (options.data !== undefined) args.push('--data', resolve(options.data));
  if (options.services !== undefined) args.push('--services', options.services);
  for (const option of options.option ?? []) args.push('--option', option);
  // A file, not a pipe, for its output: a pipe would break (EPIPE) once this process exits.
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exitCode: number | null | undefined;
  child.once('exit', (code) => {
    exitCode = code;
  });
  const info = await waitForInfo(log, () => exitCode);
  child.unref();
  const record: DetachedRecord = { pid: child.pid!, info, log };
  await writeFile(recordPath(), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  return info;
}

/** `mediaferry emulator stop`: stops the background emulator, if any, and forgets it. */
export async function stopDetached(output: OutputOptions): Promise<void> {
  const record = await readRecord();
  if (!record || !(await isRunning(record))) {
    await rm(recordPath(), { force: true });
    notice(output, 'no emulator is running in the background');
    return;
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  for (;;) {
    try {
      process.kill(record.pid, 0);
    } catch {
      break;
    }
    if (Date.now() > deadline) throw new CliError(`the emulator (pid ${record.pid}) did not stop`);
    await sleep(50);
  }
  await rm(recordPath(), { force: true });
  if (!output.quiet && !output.json) process.stdout.write(`stopped the emulator (pid ${record.pid})\n`);
}

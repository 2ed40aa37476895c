/**
 * Runs an external process (python, curl, the CLI, a Node child) under GNU `time`, so every tool's peak RSS is
 * measured the same way: the kernel's `ru_maxrss` of that one process, as `getrusage(RUSAGE_CHILDREN)` sees it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';
let counter = 0;

export interface ProcessResult {
  /** Wall time from spawn to exit, ms. */
  readonly ms: number;
  /** Peak resident set size of the process, bytes. */
  readonly peakRss: number;
  readonly stdout: string;
}

export interface ProcessOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Stops early with a clear message when GNU time is missing (Debian package `time`). */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME))
    throw new Error(`${GNU_TIME} is missing: install GNU time (apt-get install time) to measure peak RSS`);
}

/** Runs `command args…` to completion; throws with its stderr when it exits non-zero. */
export async function measureProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  counter += 1;
  const rssFile = join(tmpdir(), `mf-bench-rss-${process.pid}-${counter}`);
  const started = performance.now();
  const child = spawn(GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (stdout.length < 1_000_000) stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - started;
  const timeOutput = await readFile(rssFile, 'utf8').catch(() => '');
  await rm(rssFile, { force: true });
  if (code !== 0) {
    throw new Error(
      `${command} ${args
        .filter((a) => !a.startsWith('{'))
        .slice(0, 4)
        .join(' ')}… exited with ${code}\n${stderr.trim()}\n${timeOutput.trim()}`,
    );
  }
  // GNU time prints `%M` (KiB) on the last line; a line before it may say the command was signalled.
  const kib = Number(timeOutput.trim().split('\n').at(-1));
  if (!Number.isFinite(kib)) throw new Error(`no peak RSS from ${GNU_TIME} for ${command}: ${timeOutput}`);
  return { ms, peakRss: kib * 1024, stdout };
}

/** The last stdout line of a tool driver, as JSON: `{ "ms": … }` and whatever else it reports. */
export function lastJsonLine<T>(stdout: string): T {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`expected a JSON line, got: ${line.slice(0, 200)}`);
  }
}

/**
 * Runs an external process (python, curl, the CLI, a Node child) under GNU `time`, so every tool's peak RSS is
 * measured the same way: the kernel's `ru_maxrss` of that one process, as `getrusage(RUSAGE_CHILDREN)` sees it.
 * Every run starts on a clean disk: what an earlier run left in the page cache is written out first, untimed.
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
  /**
   * Run {@link flushDisk} first (default true). False for a step of a sequence timed as one, where a flush
   * of the whole disk before it would be counted in the sequence's time.
   */
  readonly flushFirst?: boolean;
}

/** Stops early with a clear message when GNU time is missing (Debian package `time`). */
export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME))
    throw new Error(`${GNU_TIME} is missing: install GNU time (apt-get install time) to measure peak RSS`);
}

/**
 * Writes out what the page cache holds for the disk (`sync`), before a timed run. A tool that leaves its file
 * unflushed (curl, b2sdk) otherwise hands its writeback to whichever run comes next: measured here, a GoPro
 * pull right after curl's took 2.58–2.69 s, and 2.47–2.48 s after a `sync`. A tool's own flushing, during
 * its run, is still its cost.
 */
export async function flushDisk(): Promise<void> {
  await new Promise<void>((resolve) => {
    const child = spawn('sync', [], { stdio: 'ignore' });
    child.on('error', () => resolve());
    child.on('close', () => resolve());
  });
}

/** Runs `command args…` to completion (after {@link flushDisk}, unless told not to); throws with its stderr when it exits non-zero. */
export async function measureProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): Promise<ProcessResult> {
  if (options.flushFirst !== false) await flushDisk();
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

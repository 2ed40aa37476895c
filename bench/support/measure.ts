/**
 * Shared benchmark plumbing: time a reference `curl`, run the measured client in a child process (so the
 * emulator, curl and setup do not count against its memory), and print comparable figures.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const MiB = 1024 * 1024;

/** Runs curl with the given arguments; returns wall time in ms. Throws when curl fails or is absent. */
export async function timeCurl(args: readonly string[]): Promise<number> {
  const started = performance.now();
  await run('curl', ['--silent', '--show-error', '--fail', ...args], { maxBuffer: 1024 * 1024 });
  return performance.now() - started;
}

/** What a child measurement reports back on its last stdout line. */
export interface ChildResult {
  readonly ms: number;
  /** Peak resident set size in bytes. */
  readonly maxRss: number;
  readonly [key: string]: unknown;
}

/** Runs `node <script> --child ...args` and parses the JSON line it prints last. */
export async function runChild(script: string, args: readonly string[]): Promise<ChildResult> {
  const child = spawn(process.execPath, [script, '--child', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`child ${script} exited with ${code}`);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as ChildResult;
}

/** Called at the end of a child: reports its time and peak memory to the parent. */
export function reportFromChild(ms: number, extra: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ ms, maxRss: process.resourceUsage().maxRSS * 1024, ...extra })}\n`,
  );
}

export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'mf-bench-'));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function throughput(bytes: number, ms: number): string {
  return `${((bytes / MiB) * (1000 / ms)).toFixed(0)} MiB/s`;
}

export function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)} MiB`;
}

/** Prints a figure against its target, and remembers failures for the exit code. */
export class Verdicts {
  #failed = 0;

  check(label: string, value: string, ok: boolean, target: string): void {
    if (!ok) this.#failed += 1;
    process.stdout.write(`${ok ? 'PASS' : 'MISS'}  ${label}: ${value} (target ${target})\n`);
  }

  get failed(): number {
    return this.#failed;
  }
}

/**
 * Shared benchmark plumbing: time a reference `curl`, run the measured client in a child process (so the
 * emulator, curl and setup do not count against its memory), and print comparable figures.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { MiB } from './files.js';
import { flushDisk } from './process.js';

const run = promisify(execFile);

export { MiB };

/** Runs curl with the given arguments (after `flushDisk`); returns wall time in ms. Throws when curl fails or is absent. */
export async function timeCurl(args: readonly string[]): Promise<number> {
  await flushDisk();
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

/** Runs `node <script> --child ...args` (after `flushDisk`) and parses the JSON line it prints last. */
export async function runChild(script: string, args: readonly string[]): Promise<ChildResult> {
  await flushDisk();
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

/** Runs `use` in a fresh directory (under `base`, default the OS temp dir), removed afterwards. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>, base = tmpdir()): Promise<T> {
  const dir = await mkdtemp(join(base, 'mf-bench-'));
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

/** One figure judged against a target. */
export interface Verdict {
  readonly label: string;
  readonly value: string;
  /** `skip`: the figure could not be measured (a peer is not installed); never counted as a pass. */
  readonly status: 'pass' | 'miss' | 'skip';
  readonly target: string;
}

/** Prints a figure against its target (unless `quiet`, for `--json`), and remembers misses for the exit code. */
export class Verdicts {
  readonly #list: Verdict[] = [];
  readonly #quiet: boolean;

  constructor(options: { quiet?: boolean } = {}) {
    this.#quiet = options.quiet ?? false;
  }

  check(label: string, value: string, ok: boolean, target: string): void {
    this.#add({ label, value, status: ok ? 'pass' : 'miss', target });
  }

  /** A target that could not be measured this run, with why. */
  skip(label: string, why: string, target: string): void {
    this.#add({ label, value: why, status: 'skip', target });
  }

  #add(verdict: Verdict): void {
    this.#list.push(verdict);
    if (this.#quiet) return;
    const mark = { pass: 'PASS', miss: 'MISS', skip: 'SKIP' }[verdict.status];
    process.stdout.write(`${mark}  ${verdict.label}: ${verdict.value} (target ${verdict.target})\n`);
  }

  get failed(): number {
    return this.#list.filter((v) => v.status === 'miss').length;
  }

  get list(): readonly Verdict[] {
    return this.#list;
  }
}

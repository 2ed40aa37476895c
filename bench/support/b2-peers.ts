/**
 * The tools `peers` races: how each one uploads and downloads, every one a separate process measured the same
 * way (wall time, and GNU time's peak RSS). In-process SDKs time their transfer call after authorizing (as a
 * program using them would see it); the CLIs and curl are timed whole, process start to exit.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RawB2 } from './b2-raw.js';
import { curlDownload, curlUploadParts, curlUploadStream, type SplitParts } from './curl-b2.js';
import { CLI_BIN } from './emulator-process.js';
import type { SourceFile } from './files.js';
import {
  type B2Connection,
  driverJob,
  type Measured,
  runCli,
  runDriver,
  runLibrary,
  TOOLS_DIR,
} from './tool-runs.js';

const run = promisify(execFile);
/** The file every download fetches (uploaded once, in one stream, so its SHA-1 is on record). */
export const DOWNLOAD_NAME = 'peers/source.bin';
const PYTHON = '/usr/bin/python3';
/** The latest `backblaze-b2` on npm (engines: node ≥ 10; runs on Node 20). Pinned so runs compare. */
export const BACKBLAZE_B2 = 'backblaze-b2@1.7.1';

export interface PeerContext extends B2Connection {
  readonly bucketId: string;
  readonly raw: RawB2;
  readonly source: SourceFile;
  /** Parts in flight: mediaferry's default, given to curl and backblaze-b2 too. */
  readonly parallel: number;
  /** The source split as mediaferry's library split it, for curl's large-file upload; absent when it sent one stream. */
  parts?: SplitParts;
  /** Where backblaze-b2 is installed; absent when it could not be. */
  readonly backblazePrefix: string | undefined;
  readonly b2sdk: boolean;
}

/** One measured transfer: an upload to a file name, or a download of a file name to a path. */
export interface Transfer {
  /** Stable id in `--json` (`b2sdk.upload`…). */
  readonly id: string;
  readonly tool: string;
  readonly direction: 'upload' | 'download';
  /** False for `/dev/null`: nothing to compare afterwards. */
  readonly writesFile: boolean;
  run(target: string): Promise<Measured>;
}

/** The tools that take part, grouped by peer (a peer uploads, then downloads), and the ones skipped. */
export interface PeerSet {
  readonly groups: Transfer[][];
  readonly skipped: string[];
}

/** Is Debian's b2sdk importable by the system Python? */
export async function hasB2sdk(): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  return run(PYTHON, ['-c', 'import b2sdk.v2']).then(
    () => true,
    () => false,
  );
}

/**
 * Installs the pinned backblaze-b2 into a prefix under the OS temp dir (reused by later runs), never into the
 * project. Returns the prefix, or the reason it could not.
 */
export async function installBackblazeB2(): Promise<{ prefix: string } | { reason: string }> {
  const prefix = join(tmpdir(), 'mediaferry-bench-npm', BACKBLAZE_B2);
  const manifest = join(prefix, 'node_modules', 'backblaze-b2', 'package.json');
  const wanted = BACKBLAZE_B2.split('@')[1];
  const installed = await readFile(manifest, 'utf8').then(
    (text) => (JSON.parse(text) as { version: string }).version,
    () => undefined,
  );
  if (installed === wanted) return { prefix };
  try {
    await run('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', BACKBLAZE_B2], {
      timeout: 300_000,
    });
    return { prefix };
  } catch (error) {
    return { reason: `npm install ${BACKBLAZE_B2} failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** mediaferry's default parts in flight, read from `mediaferry b2 upload --help` so the bench follows it. */
export async function mediaferryUploadJobs(): Promise<number> {
  const { stdout } = await run(process.execPath, [CLI_BIN, 'b2', 'upload', '--help']);
  const jobs = /--jobs <n>\s+parts in flight \(default: "(\d+)"\)/.exec(stdout)?.[1];
  if (!jobs) throw new Error('cannot read the default --jobs from `mediaferry b2 upload --help`');
  return Number(jobs);
}

/** An upload sends the source as `target`; a download fetches the shared file to `target`. */
function job(ctx: PeerContext, op: 'upload' | 'download', target: string): string {
  return op === 'upload'
    ? driverJob(ctx, op, target, ctx.source.path, ctx.parallel)
    : driverJob(ctx, op, DOWNLOAD_NAME, target, ctx.parallel);
}

export function peerSet(ctx: PeerContext): PeerSet {
  const groups: Transfer[][] = [];
  const skipped: string[] = [];
  const both = (
    id: string,
    tool: string,
    go: (op: 'upload' | 'download', target: string) => Promise<Measured>,
  ) => [
    {
      id: `${id}.upload`,
      tool,
      direction: 'upload' as const,
      writesFile: true,
      run: (t: string) => go('upload', t),
    },
    {
      id: `${id}.download`,
      tool,
      direction: 'download' as const,
      writesFile: true,
      run: (t: string) => go('download', t),
    },
  ];
  if (ctx.b2sdk)
    groups.push(
      both('b2sdk', 'b2sdk (Python)', (op, target) =>
        runDriver(PYTHON, [join(TOOLS_DIR, 'python-b2sdk.py'), job(ctx, op, target)]),
      ),
    );
  else
    skipped.push('b2sdk: not installed (apt-get install -y python3-b2sdk): its rows and ratios are skipped');
  if (ctx.backblazePrefix)
    groups.push(
      both('backblaze-b2', `npm ${BACKBLAZE_B2}`, (op, target) =>
        runDriver(process.execPath, [
          join(TOOLS_DIR, 'backblaze-b2.cjs'),
          ctx.backblazePrefix!,
          job(ctx, op, target),
        ]),
      ),
    );
  else skipped.push(`npm ${BACKBLAZE_B2}: not installed: its rows are skipped`);
  const curl: Transfer[] = [
    {
      id: 'curl.upload',
      tool: 'curl, one stream',
      direction: 'upload',
      writesFile: true,
      run: (name) => curlUploadStream(ctx.raw, ctx.bucketId, ctx.source, name),
    },
  ];
  if (ctx.parts)
    curl.push({
      id: 'curl-parts.upload',
      tool: `curl, ${ctx.parts.files.length} parts ×${ctx.parallel}`,
      direction: 'upload',
      writesFile: true,
      run: (name) => curlUploadParts(ctx.raw, ctx.bucketId, name, ctx.parts!, ctx.parallel),
    });
  curl.push(
    {
      id: 'curl.download',
      tool: 'curl → file',
      direction: 'download',
      writesFile: true,
      run: (dest) => curlDownload(ctx.raw, ctx.bucket, DOWNLOAD_NAME, dest),
    },
    {
      id: 'curl-synced.download',
      tool: "curl → file, fsync'd",
      direction: 'download',
      writesFile: true,
      run: (dest) => curlDownload(ctx.raw, ctx.bucket, DOWNLOAD_NAME, dest, { fsync: true }),
    },
    {
      id: 'curl-null.download',
      tool: 'curl → /dev/null',
      direction: 'download',
      writesFile: false,
      run: () => curlDownload(ctx.raw, ctx.bucket, DOWNLOAD_NAME, '/dev/null'),
    },
  );
  groups.push(curl);
  groups.push(
    both('library', 'mediaferry library', (op, target) =>
      op === 'upload'
        ? runLibrary(ctx, op, target, ctx.source.path)
        : runLibrary(ctx, op, DOWNLOAD_NAME, target),
    ),
  );
  groups.push(
    both('cli', 'mediaferry CLI', (op, target) =>
      runCli(
        ctx,
        op === 'upload'
          ? ['b2', 'upload', ctx.source.path, `b2://${ctx.bucket}/${target}`]
          : ['b2', 'download', `b2://${ctx.bucket}/${DOWNLOAD_NAME}`, target],
      ),
    ),
  );
  return { groups, skipped };
}

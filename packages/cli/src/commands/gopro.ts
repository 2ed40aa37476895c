import type { Command } from 'commander';
import { copy } from '../copy/engine.js';
import { laidOut, parseLayout, withLayout } from '../copy/layout.js';
import { localTarget } from '../copy/local-target.js';
import { EXIT, UsageError } from '../errors.js';
import { formatBytes, print, printJson, table } from '../output.js';
import { copyProgress } from '../progress/index.js';
import { connect, withRuntime } from '../runtime.js';
import { goproClient } from '../services/gopro.js';
import { goproSource } from '../services/gopro-copy.js';
import type { Runtime } from '../services/types.js';
import { printReport } from './report.js';

function day(text: string, flag: string): Date {
  const date = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(date.getTime()))
    throw new UsageError(`${flag} must be YYYY-MM-DD, got ${text}`);
  return date;
}

function range(options: { from: string; to: string }): { from: Date; to: Date } {
  const from = day(options.from, '--from');
  const to = new Date(day(options.to, '--to').getTime() + 86_400_000 - 1);
  if (to < from) throw new UsageError('--to is before --from');
  return { from, to };
}

const positive = (value: string | undefined, flag: string) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer`);
  return n;
};

interface GoProFlags {
  from: string;
  to: string;
  height?: string;
  width?: string;
  layout?: string;
}

/** The media of a date range as a copy source, with the chosen variation size. */
async function mediaSource(options: GoProFlags, command: Command, runtime: Runtime) {
  const { from, to } = range(options);
  const target = {
    targetHeight: positive(options.height, '--height'),
    targetWidth: positive(options.width, '--width'),
  };
  const { connection } = await connect('gopro', command, runtime);
  return goproSource(goproClient(connection, runtime), { kind: 'gopro', from, to }, target);
}

/** `gopro ls`: the files `gopro pull` (with the same flags) would write, with their size and capture time. */
export async function goproLs(options: GoProFlags, command: Command): Promise<void> {
  const layout = parseLayout(options.layout);
  await withRuntime(command, async (runtime) => {
    const source = await mediaSource(options, command, runtime);
    const rows: Array<{ name: string; size: number | undefined; captured: string | undefined; id: string }> =
      [];
    for await (const entry of source.list(runtime.signal))
      rows.push({
        name: laidOut(entry, layout),
        size: entry.size,
        captured: entry.modifiedMs === undefined ? undefined : new Date(entry.modifiedMs).toISOString(),
        id: (entry.ref as { mediaId: string }).mediaId,
      });
    if (runtime.output.json) return printJson(rows);
    print(
      table(
        ['name', 'size', 'captured', 'media id'],
        rows.map((r) => [r.name, r.size === undefined ? '?' : formatBytes(r.size), r.captured ?? '', r.id]),
      ),
    );
  });
}

/**
 * `gopro pull DEST`: the media of a date range into a folder, through the copy engine: skipped when already
 * there (same size and capture time), partial files resumed, each file's time set to its capture time,
 * `--layout date` filing them by capture day.
 */
export async function goproPull(
  dest: string,
  options: GoProFlags & { jobs: string },
  command: Command,
): Promise<number> {
  const concurrency = Number(options.jobs);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError('-j/--jobs must be 1-64');
  const layout = parseLayout(options.layout);
  return withRuntime(command, async (runtime) => {
    const source = withLayout(await mediaSource(options, command, runtime), layout);
    const target = await localTarget(dest);
    const progress = copyProgress(runtime.output);
    let report: Awaited<ReturnType<typeof copy>>;
    try {
      report = await copy(source, target, {
        concurrency,
        dryRun: false,
        signal: runtime.signal,
        observer: progress,
      });
    } finally {
      progress.stop();
    }
    printReport(report, runtime, 0);
    if (report.interrupted) return EXIT.interrupted;
    return report.outcomes.some((o) => o.status === 'failed') ? EXIT.failure : EXIT.ok;
  });
}

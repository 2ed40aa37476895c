import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { formatBytes, info, printJson, table } from '../output.js';
import { connect, withRuntime } from '../runtime.js';
import { goproClient } from '../services/gopro.js';

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

export async function goproLs(options: { from: string; to: string }, command: Command): Promise<void> {
  const { from, to } = range(options);
  await withRuntime(command, async (runtime) => {
    const { connection } = await connect('gopro', command, runtime);
    const items = await goproClient(connection, runtime)
      .media.list({ from, to }, { signal: runtime.signal })
      .toArray({ limit: 100_000 });
    if (runtime.output.json) return printJson(items);
    info(
      runtime.output,
      table(
        ['captured', 'type', 'file', 'size', 'id'],
        items.map((i) => [
          i.captured_at?.toISOString() ?? '',
          String(i.type ?? ''),
          i.filename ?? '',
          i.file_size === undefined ? '' : formatBytes(i.file_size),
          i.id,
        ]),
      ),
    );
  });
}

export async function goproPull(
  dest: string,
  options: { from: string; to: string; jobs: string; height?: string; width?: string },
  command: Command,
): Promise<number> {
  const { from, to } = range(options);
  const concurrency = Number(options.jobs);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('-j/--jobs must be a positive integer');
  const positive = (value: string | undefined, flag: string) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} must be a positive integer`);
    return n;
  };
  const height = positive(options.height, '--height');
  const width = positive(options.width, '--width');
  return withRuntime(command, async (runtime) => {
    const { connection } = await connect('gopro', command, runtime);
    const client = goproClient(connection, runtime, { preferHeight: height, preferWidth: width });
    const report = await client.media
      .pull({ from, to, dest, concurrency }, { signal: runtime.signal })
      .done();
    if (runtime.output.json) {
      printJson({
        downloaded: report.downloaded.map((d) => ({ name: d.name, size: d.size })),
        skipped: report.skipped,
        failed: report.failed.map((f) => ({
          name: f.name,
          error: f.error instanceof Error ? f.error.message : String(f.error),
        })),
        bytes: report.bytes,
      });
    } else {
      for (const failure of report.failed)
        process.stderr.write(
          `failed ${failure.name}: ${failure.error instanceof Error ? failure.error.message : String(failure.error)}\n`,
        );
      info(
        runtime.output,
        `${report.downloaded.length} downloaded (${formatBytes(report.bytes)}), ${report.skipped.length} already there, ${report.failed.length} failed → ${dest}`,
      );
    }
    return report.failed.length > 0 ? 1 : 0;
  });
}

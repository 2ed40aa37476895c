import cliProgress from 'cli-progress';
import type { CopyObserver, Outcome } from './copy/engine.js';
import type { Entry } from './copy/types.js';
import { colors, formatBytes, type OutputOptions } from './output.js';

/**
 * Progress for a copy: bars (one per active transfer plus a total) on a terminal, one plain line per finished
 * item otherwise, nothing with --quiet or --json.
 */
export function copyProgress(output: OutputOptions): CopyObserver & { stop(): void } {
  if (output.quiet || output.json) return { stop() {} };
  if (!process.stderr.isTTY) {
    return {
      finish: (outcome) => process.stderr.write(`${describe(outcome)}\n`),
      stop() {},
    };
  }
  const multibar = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {bar} {percentage}% | {done}/{size} | {name}',
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  const total = multibar.create(0, 0, { name: colors.bold('total'), done: '0 B', size: '?' });
  let totalBytes = 0;
  let totalDone = 0;
  const bars = new Map<Entry, { bar: cliProgress.SingleBar; last: number }>();
  return {
    start(entry) {
      const size = entry.size ?? 0;
      totalBytes += size;
      total.setTotal(totalBytes);
      bars.set(entry, {
        bar: multibar.create(size, 0, { name: entry.path, done: '0 B', size: formatBytes(size) }),
        last: 0,
      });
    },
    progress(entry, loaded) {
      const state = bars.get(entry);
      if (!state) return;
      totalDone += loaded - state.last;
      state.last = loaded;
      state.bar.update(loaded, { done: formatBytes(loaded) });
      total.update(totalDone, { done: formatBytes(totalDone), size: formatBytes(totalBytes) });
    },
    finish(outcome) {
      const state = bars.get(outcome.entry);
      if (state) {
        multibar.remove(state.bar);
        bars.delete(outcome.entry);
      }
      multibar.log(`${describe(outcome)}\n`);
    },
    stop() {
      multibar.stop();
    },
  };
}

export function describe(outcome: Outcome): string {
  switch (outcome.status) {
    case 'copied':
      return `${colors.green('copied')}  ${outcome.entry.path}${outcome.name === outcome.entry.path ? '' : ` as ${outcome.name}`} (${formatBytes(outcome.bytes)}, sha1 ${outcome.sha1.slice(0, 12)}…)`;
    case 'skipped':
      return `${colors.dim('skipped')} ${outcome.entry.path} (${outcome.reason})`;
    case 'planned':
      return `${colors.cyan('would copy')} ${outcome.entry.path}${outcome.entry.size === undefined ? '' : ` (${formatBytes(outcome.entry.size)})`}`;
    case 'failed':
      return `${colors.red('failed')}  ${outcome.entry.path}: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
  }
}

/**
 * Progress a person can trust. On a terminal: the job's total (files n/N, bytes done/total, rate, ETA) and a
 * bar per transfer in flight, redrawn in place, with each finished file logged above. Elsewhere (a pipe, a
 * log file): each finished file, and a plain progress line every `--stats` interval. Skipped files are
 * counted, and listed only with -v; --quiet and --json show no progress at all.
 *
 * @module
 */
import type { CopyObserver, Outcome } from '../copy/engine.js';
import type { Entry } from '../copy/types.js';
import { colors, formatBytes, type OutputOptions } from '../output.js';
import { LiveRegion } from './live.js';
import { frame, plainLine } from './render.js';
import { JobStats } from './stats.js';

/** How often a terminal frame may be redrawn. */
const REDRAW_MS = 100;

export interface ProgressDisplay {
  /** A line for the log (above the live region on a terminal). */
  log(line: string): void;
  stop(): void;
}

/** Drives a display of `stats`: a live region on a terminal, periodic plain lines elsewhere. */
function display(stats: JobStats, output: OutputOptions): ProgressDisplay & { changed(): void } {
  const stream = process.stderr;
  if (stream.isTTY) {
    const region = new LiveRegion(stream);
    let dirty = true;
    const timer = setInterval(() => {
      if (!dirty) return;
      dirty = false;
      region.draw(frame(stats, region.width, Math.max(1, (stream.rows || 24) - 4)));
    }, REDRAW_MS);
    timer.unref();
    return {
      changed: () => {
        dirty = true;
      },
      log: (line) => region.log(line),
      stop: () => {
        clearInterval(timer);
        region.close();
      },
    };
  }
  let changed = false;
  const timer =
    output.statsMs > 0
      ? setInterval(() => {
          if (!changed) return;
          changed = false;
          stream.write(`${plainLine(stats)}\n`);
        }, output.statsMs)
      : undefined;
  timer?.unref();
  return {
    changed: () => {
      changed = true;
    },
    log: (line) => stream.write(`${line}\n`),
    stop: () => clearInterval(timer),
  };
}

export interface CopyProgress extends CopyObserver, ProgressDisplay {
  /** A listed entry the filters left out: counted, and shown with -v. */
  excluded(entry: Entry, reason: string): void;
  /** How many entries the filters left out. */
  readonly excludedCount: number;
}

/** Progress for a copy or a sync. */
export function copyProgress(output: OutputOptions): CopyProgress {
  let excludedCount = 0;
  if (output.quiet || output.json) {
    return {
      excluded: () => {
        excludedCount += 1;
      },
      get excludedCount() {
        return excludedCount;
      },
      log() {},
      stop() {},
    };
  }
  const stats = new JobStats();
  const view = display(stats, output);
  return {
    excluded(entry, reason) {
      excludedCount += 1;
      if (output.verbose) view.log(`${colors.dim('excluded')} ${entry.path} (${reason})`);
    },
    get excludedCount() {
      return excludedCount;
    },
    listed(entry) {
      stats.listed(entry.size);
      view.changed();
    },
    listingDone() {
      stats.listing = false;
      view.changed();
    },
    start(entry) {
      stats.start(entry, entry.path, entry.size);
      view.changed();
    },
    progress(entry, loaded) {
      stats.progress(entry, loaded);
      view.changed();
    },
    finish(outcome) {
      const how = outcome.status === 'planned' ? 'skipped' : outcome.status;
      stats.finish(outcome.entry, outcome.entry.size, how, outcome.status === 'copied' ? outcome.bytes : 0);
      if (outcome.status === 'planned') stats.skipped -= 1;
      if (outcome.status !== 'skipped' || output.verbose) view.log(describe(outcome));
      view.changed();
    },
    log: (line) => view.log(line),
    stop: () => view.stop(),
  };
}

/** Progress of one transfer (`b2 upload`, `gopro pull` of one file…): a bar, or plain periodic lines. */
export function transferProgress(
  output: OutputOptions,
  name: string,
  size: number | undefined,
): { onProgress(progress: { loaded: number; total?: number | undefined }): void; stop(): void } {
  if (output.quiet || output.json) return { onProgress() {}, stop() {} };
  const stats = new JobStats();
  const key = {};
  stats.listed(size);
  stats.listing = false;
  stats.start(key, name, size);
  const view = display(stats, output);
  view.changed();
  return {
    onProgress({ loaded, total }) {
      if (size === undefined && total !== undefined) {
        size = total;
        stats.unknownSizes = 0;
        stats.bytesTotal = total;
        stats.start(key, name, total);
      }
      stats.progress(key, loaded);
      view.changed();
    },
    stop: () => view.stop(),
  };
}

export function describe(outcome: Outcome): string {
  switch (outcome.status) {
    case 'copied':
      return `${colors.green('copied')}  ${outcome.entry.path}${outcome.name === outcome.entry.path ? '' : ` as ${outcome.name}`} (${formatBytes(outcome.bytes)}, sha1 ${outcome.sha1.slice(0, 12)}…)`;
    case 'skipped':
      return `${colors.dim('skipped')} ${outcome.entry.path} (${outcome.reason})`;
    case 'planned':
      return `${colors.cyan('would copy')} ${outcome.entry.path}${outcome.name === outcome.entry.path ? '' : ` as ${outcome.name}`}${outcome.entry.size === undefined ? '' : ` (${formatBytes(outcome.entry.size)})`}`;
    case 'failed':
      return `${colors.red('failed')}  ${outcome.entry.path}: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`;
  }
}

import { InvalidInputError } from '@mediaferry/core';
import type { Command } from 'commander';
import type { CompareMode } from '../copy/decide.js';
import { type CopyReport, copy } from '../copy/engine.js';
import { localSource } from '../copy/local-source.js';
import { localTarget } from '../copy/local-target.js';
import type { Source, Target } from '../copy/types.js';
import { CliError, EXIT, UsageError } from '../errors.js';
import { type Location, parseLocation } from '../locations.js';
import { colors, formatBytes, formatDuration, printJson } from '../output.js';
import { copyProgress, describe } from '../progress.js';
import { connect, withRuntime } from '../runtime.js';
import type { Runtime, TargetOptions } from '../services/types.js';

export interface CopyCommandOptions {
  readonly jobs: string;
  readonly dryRun?: boolean;
  readonly checksum?: boolean;
  readonly sizeOnly?: boolean;
  readonly partSize?: string;
}

async function sourceFor(location: Location, command: Command, runtime: Runtime): Promise<Source> {
  if (location.kind === 'local') return localSource(location.path);
  const { module, connection } = await connect(location.kind, command, runtime);
  if (!module.source) throw new UsageError(`${location.kind}:// cannot be a copy source`);
  return module.source(location, connection, runtime);
}

async function targetFor(
  location: Location,
  command: Command,
  runtime: Runtime,
  options: TargetOptions,
): Promise<Target> {
  if (location.kind === 'local') {
    try {
      return await localTarget(location.path);
    } catch (error) {
      // Not a folder one can write into (`/proc/x`, a file, read-only): one line, before any transfer.
      if (error instanceof InvalidInputError && error.field === 'destination') throw new CliError(error.rule);
      throw error;
    }
  }
  const { module, connection } = await connect(location.kind, command, runtime);
  if (!module.target) throw new UsageError(`${location.kind}:// cannot be a copy destination`);
  return module.target(location, connection, runtime, options);
}

/** `--part-size 64M` → bytes. */
function parseSize(text: string): number {
  const match = /^(\d+)([kmg]i?b?)?$/i.exec(text.trim());
  const units: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  const bytes = match ? Number(match[1]) * (match[2] ? units[match[2][0]!.toLowerCase()]! : 1) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new UsageError(`--part-size must be a size like 64M or 104857600, got ${text}`);
  return bytes;
}

/** `mediaferry copy SRC DST`. Exit 0 when everything is there, 1 when anything failed, 130 when interrupted. */
export async function runCopy(
  src: string,
  dst: string,
  options: CopyCommandOptions,
  command: Command,
): Promise<number> {
  const concurrency = Number(options.jobs);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`-j/--jobs must be 1-64, got ${options.jobs}`);
  if (options.checksum && options.sizeOnly)
    throw new UsageError('--checksum and --size-only exclude each other');
  const compare: CompareMode = options.checksum ? 'checksum' : options.sizeOnly ? 'size-only' : 'default';
  const partSize = options.partSize === undefined ? undefined : parseSize(options.partSize);
  const from = parseLocation(src);
  const to = parseLocation(dst);
  if (from.kind === 'local' && to.kind === 'local')
    throw new UsageError('both sides are local paths', 'use cp or rsync for disk-to-disk copies');
  return withRuntime(command, async (runtime) => {
    let source: Source;
    let target: Target;
    try {
      // The source first: a missing credential stops the command before anything is created at the target.
      source = await sourceFor(from, command, runtime);
      target = await targetFor(to, command, runtime, { partSize });
    } catch (error) {
      // Interrupted while connecting: nothing started, and the exit code says interrupted, not failed.
      if (!runtime.signal.aborted) throw error;
      process.stderr.write(`${colors.yellow('interrupted')} before anything was copied\n`);
      return EXIT.interrupted;
    }
    const progress = copyProgress(runtime.output);
    let report: CopyReport;
    try {
      report = await copy(source, target, {
        concurrency,
        dryRun: options.dryRun ?? false,
        compare,
        signal: runtime.signal,
        observer: progress,
      });
    } finally {
      progress.stop();
    }
    printReport(report, runtime);
    if (report.interrupted) return EXIT.interrupted;
    return report.outcomes.some((o) => o.status === 'failed') ? EXIT.failure : EXIT.ok;
  });
}

function count(report: CopyReport, status: string): number {
  return report.outcomes.filter((o) => o.status === status).length;
}

function printReport(report: CopyReport, runtime: Runtime): void {
  if (runtime.output.json) {
    printJson({
      source: report.source,
      target: report.target,
      copied: count(report, 'copied'),
      skipped: count(report, 'skipped'),
      planned: count(report, 'planned'),
      failed: count(report, 'failed'),
      bytes: report.bytes,
      ms: Math.round(report.ms),
      interrupted: report.interrupted,
      items: report.outcomes.map((o) => ({
        path: o.entry.path,
        status: o.status,
        ...('name' in o && o.name !== o.entry.path ? { name: o.name } : {}),
        ...(o.entry.size === undefined ? {} : { size: o.entry.size }),
        ...(o.status === 'copied' ? { sha1: o.sha1, location: o.location } : {}),
        ...(o.status === 'skipped' ? { reason: o.reason } : {}),
        ...(o.status === 'failed'
          ? { error: o.error instanceof Error ? o.error.message : String(o.error) }
          : {}),
      })),
    });
    return;
  }
  const failed = report.outcomes.filter((o) => o.status === 'failed');
  // Failures are always shown, even with --quiet: they are why the exit code is not 0.
  if (runtime.output.quiet) for (const outcome of failed) process.stderr.write(`${describe(outcome)}\n`);
  if (runtime.output.quiet) return;
  const seconds = report.ms / 1000;
  const rate = seconds > 0 ? `${formatBytes(report.bytes / seconds)}/s` : '-';
  const parts = [
    `${count(report, 'copied')} copied`,
    `${count(report, 'skipped')} skipped`,
    ...(count(report, 'planned') ? [`${count(report, 'planned')} would be copied (dry run)`] : []),
    `${failed.length} failed`,
  ];
  process.stdout.write(
    `${failed.length ? colors.red('✗') : colors.green('✓')} ${report.source} → ${report.target}: ${parts.join(', ')}; ${formatBytes(report.bytes)} in ${formatDuration(report.ms)} (${rate})${report.interrupted ? colors.yellow(' — interrupted; run again to finish') : ''}\n`,
  );
  if (
    failed.length > 0 &&
    report.outcomes.length === failed.length &&
    failed[0]?.entry.path === '(listing)'
  ) {
    const error = failed[0].error;
    throw new CliError(
      `could not list ${report.source}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

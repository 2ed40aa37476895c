/**
 * What `copy` and `sync` share: their flags, opening both sides, the filters, the layout, what a media
 * target accepts, and running the engine with progress.
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';
import type { Command } from 'commander';
import type { CompareMode } from '../copy/decide.js';
import { type CopyOptions, type CopyReport, copy } from '../copy/engine.js';
import { parseLayout, withLayout } from '../copy/layout.js';
import { localSource } from '../copy/local-source.js';
import { localTarget } from '../copy/local-target.js';
import type { Source, Target } from '../copy/types.js';
import { CliError, UsageError } from '../errors.js';
import { Filter, type FilterFlags, filtered } from '../filters/filter.js';
import { type MediaKind, refusedByBytes, refusedByName } from '../filters/media.js';
import { type Location, parseLocation } from '../locations.js';
import { type CopyProgress, copyProgress } from '../progress/index.js';
import { connect } from '../runtime.js';
import type { Runtime, TargetOptions } from '../services/types.js';
import { parseSize } from '../units.js';

export interface JobFlags extends FilterFlags {
  readonly jobs: string;
  readonly dryRun?: boolean;
  readonly checksum?: boolean;
  readonly sizeOnly?: boolean;
  readonly partSize?: string;
  readonly layout?: string;
}

/** The flags checked and parsed, before anything connects. */
export interface JobPlan {
  readonly from: Location;
  readonly to: Location;
  readonly concurrency: number;
  readonly compare: CompareMode;
  readonly partSize: number | undefined;
  readonly filter: Filter;
  readonly layout: ReturnType<typeof parseLayout>;
  readonly dryRun: boolean;
}

/** What each media service publishes; other targets take any file. */
const MEDIA_TARGETS: Partial<Record<Location['kind'], { kind: MediaKind; service: string }>> = {
  biggo: { kind: 'video', service: 'BigGo' },
  mixcloud: { kind: 'audio', service: 'Mixcloud' },
};

export function planJob(src: string, dst: string, flags: JobFlags): JobPlan {
  const concurrency = Number(flags.jobs);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`-j/--jobs must be 1-64, got ${flags.jobs}`);
  if (flags.checksum && flags.sizeOnly) throw new UsageError('--checksum and --size-only exclude each other');
  const partSize = flags.partSize === undefined ? undefined : parseSize(flags.partSize, '--part-size');
  if (partSize === 0) throw new UsageError('--part-size must be at least 1 byte');
  const from = parseLocation(src);
  const to = parseLocation(dst);
  if (from.kind === 'local' && to.kind === 'local')
    throw new UsageError('both sides are local paths', 'use cp or rsync for disk-to-disk copies');
  return {
    from,
    to,
    concurrency,
    compare: flags.checksum ? 'checksum' : flags.sizeOnly ? 'size-only' : 'default',
    partSize,
    filter: new Filter(flags),
    layout: parseLayout(flags.layout),
    dryRun: flags.dryRun ?? false,
  };
}

/** Opens a location as a copy source (any side but Mixcloud, whose API serves no audio). */
export async function sourceFor(location: Location, command: Command, runtime: Runtime): Promise<Source> {
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

export interface OpenedJob {
  readonly source: Source;
  readonly target: Target;
  readonly progress: CopyProgress;
}

/** Connects both sides (the source first: a missing credential stops before anything is created). */
export async function openJob(plan: JobPlan, command: Command, runtime: Runtime): Promise<OpenedJob> {
  const source = await sourceFor(plan.from, command, runtime);
  const target = await targetFor(plan.to, command, runtime, { partSize: plan.partSize });
  const progress = copyProgress(runtime.output);
  const shaped = withLayout(filtered(source, plan.filter, progress.excluded), plan.layout);
  return { source: shaped, target, progress };
}

/** Runs the engine over an opened job; the progress display is stopped whatever happens. */
export async function runJob(plan: JobPlan, job: OpenedJob, runtime: Runtime): Promise<CopyReport> {
  const media = MEDIA_TARGETS[plan.to.kind];
  const admit: CopyOptions['admit'] = media && {
    byName: (entry) => refusedByName(entry, media.kind, media.service),
    byBytes: (entry, peek) => refusedByBytes(entry, media.kind, peek),
  };
  try {
    return await copy(job.source, job.target, {
      concurrency: plan.concurrency,
      dryRun: plan.dryRun,
      compare: plan.compare,
      signal: runtime.signal,
      observer: job.progress,
      admit,
    });
  } finally {
    job.progress.stop();
  }
}

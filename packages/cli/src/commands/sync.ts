/**
 * `mediaferry sync SRC DST`: make DST like SRC. Copies what is new or changed (the rules of `copy`); with
 * `--delete`, then removes from DST what SRC no longer has: B2 hides it (every version kept), or deletes
 * every version with `--delete-versions`; a local folder deletes the file. Deletes run only after every copy
 * succeeded over a complete listing (rclone's `--delete-after`): a sync that fails part-way deletes nothing.
 *
 * @module
 */
import { settleConcurrent } from '@mediaferry/core';
import type { Command } from 'commander';
import type { CopyReport } from '../copy/engine.js';
import { localPruner, type Pruner } from '../copy/prune.js';
import { EXIT, UsageError } from '../errors.js';
import type { Filter } from '../filters/filter.js';
import type { Location } from '../locations.js';
import { colors } from '../output.js';
import { connect, withRuntime } from '../runtime.js';
import type { Runtime } from '../services/types.js';
import { type JobFlags, openJob, planJob, runJob } from './job.js';
import { type DeleteReport, printReport } from './report.js';

export interface SyncCommandOptions extends JobFlags {
  readonly delete?: boolean;
  readonly deleteVersions?: boolean;
}

async function prunerFor(
  location: Location,
  command: Command,
  runtime: Runtime,
  deleteVersions: boolean,
): Promise<Pruner> {
  if (location.kind === 'local') return localPruner(location.path);
  if (location.kind !== 'b2') throw new Error(`no deletes on ${location.kind}://`);
  const { connection } = await connect('b2', command, runtime);
  const { b2Pruner } = await import('../services/b2-prune.js');
  return b2Pruner(location, connection, runtime, deleteVersions);
}

/** Why deletes must not run after these copies, if any reason. */
function withheld(report: CopyReport): string | undefined {
  if (report.interrupted) return 'the sync was interrupted';
  const failed = report.outcomes.filter((o) => o.status === 'failed');
  if (failed.some((o) => o.entry.path === '(listing)')) return 'the source could not be listed completely';
  if (failed.length)
    return `${failed.length} ${failed.length === 1 ? 'copy' : 'copies'} failed; fix that and sync again`;
  return undefined;
}

/** The destination's files that no source entry accounts for (and that the filters do not protect). */
async function doomed(
  pruner: Pruner,
  report: CopyReport,
  filter: Filter,
  signal: AbortSignal,
): Promise<string[]> {
  const kept = new Set<string>();
  for (const outcome of report.outcomes) if ('name' in outcome) kept.add(outcome.name);
  const out: string[] = [];
  for await (const held of pruner.list(signal)) {
    if (kept.has(held.path)) continue;
    // A file the filters leave out is not part of the sync (rclone keeps it too).
    if (filter.verdict(held) !== undefined) continue;
    out.push(held.path);
  }
  return out;
}

async function prune(
  pruner: Pruner,
  report: CopyReport,
  plan: ReturnType<typeof planJob>,
  runtime: Runtime,
): Promise<DeleteReport> {
  const result: DeleteReport = { verb: pruner.verb, deleted: [], planned: [], failed: [] };
  const reason = withheld(report);
  if (reason) return { ...result, withheld: reason };
  const paths = await doomed(pruner, report, plan.filter, runtime.signal);
  if (paths.length > 0 && report.outcomes.length === 0)
    return {
      ...result,
      withheld: `the source holds nothing (after filters), and deleting all ${paths.length} files of the destination is never done by a sync; check the source path`,
    };
  const say = (line: string) => {
    if (!runtime.output.quiet && !runtime.output.json) process.stderr.write(`${line}\n`);
  };
  if (plan.dryRun) {
    for (const path of paths) say(`${colors.cyan(`would ${pruner.verb}`)} ${path}`);
    return { ...result, planned: paths };
  }
  await settleConcurrent(
    paths,
    plan.concurrency,
    async (path, _index, signal) => {
      try {
        await pruner.remove(path, signal);
        result.deleted.push(path);
        say(`${colors.yellow(pruner.verb === 'hide' ? 'hid' : 'deleted')} ${path}`);
      } catch (error) {
        result.failed.push({ path, error });
        say(
          `${colors.red('failed')}  to ${pruner.verb} ${path}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
    { signal: runtime.signal },
  );
  return result;
}

export async function runSync(
  src: string,
  dst: string,
  options: SyncCommandOptions,
  command: Command,
): Promise<number> {
  const plan = planJob(src, dst, options);
  const deleting = Boolean(options.delete || options.deleteVersions);
  if (deleting && plan.to.kind !== 'local' && plan.to.kind !== 'b2')
    throw new UsageError(
      `--delete works on local and b2:// destinations, not ${plan.to.kind}://`,
      'sync without --delete publishes what is new',
    );
  if (options.deleteVersions && plan.to.kind !== 'b2')
    throw new UsageError('--delete-versions is for b2:// destinations (a local delete has no versions)');
  return withRuntime(command, async (runtime) => {
    let job: Awaited<ReturnType<typeof openJob>>;
    let pruner: Pruner | undefined;
    try {
      job = await openJob(plan, command, runtime);
      pruner = deleting
        ? await prunerFor(plan.to, command, runtime, options.deleteVersions ?? false)
        : undefined;
    } catch (error) {
      if (!runtime.signal.aborted) throw error;
      process.stderr.write(`${colors.yellow('interrupted')} before anything was copied\n`);
      return EXIT.interrupted;
    }
    const report = await runJob(plan, job, runtime);
    const deletes = pruner ? await prune(pruner, report, plan, runtime) : undefined;
    printReport(report, runtime, job.progress.excludedCount, deletes);
    if (report.interrupted || runtime.signal.aborted) return EXIT.interrupted;
    const failed = report.outcomes.some((o) => o.status === 'failed') || (deletes?.failed.length ?? 0) > 0;
    return failed ? EXIT.failure : EXIT.ok;
  });
}

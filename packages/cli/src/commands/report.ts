import type { CopyReport, Outcome } from '../copy/engine.js';
import { CliError } from '../errors.js';
import { hintFor } from '../hints.js';
import { colors, formatBytes, formatDuration, printJson } from '../output.js';
import { describe } from '../progress/index.js';
import type { Runtime } from '../services/types.js';

/** What a sync did (or would do) at the destination after its copies. */
export interface DeleteReport {
  readonly verb: string;
  readonly deleted: string[];
  readonly planned: string[];
  readonly failed: Array<{ path: string; error: unknown }>;
  /** Why nothing was deleted, when deletes were asked for and not run. */
  readonly withheld?: string | undefined;
}

const count = (report: CopyReport, status: Outcome['status']) =>
  report.outcomes.filter((o) => o.status === status).length;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function itemJson(o: Outcome) {
  return {
    path: o.entry.path,
    status: o.status,
    ...('name' in o && o.name !== o.entry.path ? { name: o.name } : {}),
    ...(o.entry.size === undefined ? {} : { size: o.entry.size }),
    ...(o.status === 'copied' ? { sha1: o.sha1, location: o.location } : {}),
    ...(o.status === 'skipped' ? { reason: o.reason } : {}),
    ...(o.status === 'failed' ? { error: message(o.error) } : {}),
  };
}

/**
 * The end of a copy or sync: one JSON document with --json; otherwise a summary line on stdout, failures on
 * stderr (even with --quiet: they are why the exit code is not 0), and one hint for the first failure.
 */
export function printReport(
  report: CopyReport,
  runtime: Runtime,
  excluded: number,
  deletes?: DeleteReport,
): void {
  const failed = report.outcomes.filter((o) => o.status === 'failed');
  if (runtime.output.json) {
    printJson({
      source: report.source,
      target: report.target,
      copied: count(report, 'copied'),
      skipped: count(report, 'skipped'),
      planned: count(report, 'planned'),
      failed: failed.length,
      excluded,
      bytes: report.bytes,
      ms: Math.round(report.ms),
      interrupted: report.interrupted,
      items: report.outcomes.map(itemJson),
      ...(deletes
        ? {
            deletes: {
              verb: deletes.verb,
              deleted: deletes.deleted,
              planned: deletes.planned,
              failed: deletes.failed.map((f) => ({ path: f.path, error: message(f.error) })),
              ...(deletes.withheld ? { withheld: deletes.withheld } : {}),
            },
          }
        : {}),
    });
    return;
  }
  const { quiet } = runtime.output;
  if (quiet) for (const outcome of failed) process.stderr.write(`${describe(outcome)}\n`);
  if (deletes && quiet)
    for (const f of deletes.failed)
      process.stderr.write(`${colors.red('failed')}  to ${deletes.verb} ${f.path}: ${message(f.error)}\n`);
  if (!quiet) {
    const seconds = report.ms / 1000;
    const rate = seconds > 0 ? `${formatBytes(report.bytes / seconds)}/s` : '-';
    const planned = count(report, 'planned');
    const parts = [
      `${count(report, 'copied')} copied`,
      `${count(report, 'skipped')} skipped`,
      ...(excluded ? [`${excluded} excluded`] : []),
      ...(planned ? [`${planned} would be copied (dry run)`] : []),
      ...(deletes?.deleted.length
        ? [`${deletes.deleted.length} ${deletes.verb === 'hide' ? 'hidden' : 'deleted'}`]
        : []),
      ...(deletes?.planned.length
        ? [`${deletes.planned.length} would be ${deletes.verb === 'hide' ? 'hidden' : 'deleted'} (dry run)`]
        : []),
      `${failed.length + (deletes?.failed.length ?? 0)} failed`,
    ];
    const bad = failed.length > 0 || (deletes?.failed.length ?? 0) > 0;
    process.stdout.write(
      `${bad ? colors.red('✗') : colors.green('✓')} ${report.source} → ${report.target}: ${parts.join(', ')}; ${formatBytes(report.bytes)} in ${formatDuration(report.ms)} (${rate})${report.interrupted ? colors.yellow(' — interrupted; run again to finish') : ''}\n`,
    );
    if (deletes?.withheld)
      process.stderr.write(`${colors.yellow('note')} nothing was deleted: ${deletes.withheld}\n`);
  }
  if (
    failed.length > 0 &&
    report.outcomes.length === failed.length &&
    failed[0]?.entry.path === '(listing)'
  ) {
    const error = failed[0].error;
    throw new CliError(`could not list ${report.source}: ${message(error)}`, hintFor(error));
  }
  const first = failed[0]?.error ?? deletes?.failed[0]?.error;
  const hint = first === undefined ? undefined : hintFor(first);
  if (hint) process.stderr.write(`${colors.dim('hint')}  ${hint}\n`);
}

import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import { colors } from '../output.js';
import { withRuntime } from '../runtime.js';
import { type JobFlags, openJob, planJob, runJob } from './job.js';
import { printReport } from './report.js';

export type CopyCommandOptions = JobFlags;

/** `mediaferry copy SRC DST`. Exit 0 when everything is there, 1 when anything failed, 130 when interrupted. */
export async function runCopy(
  src: string,
  dst: string,
  options: CopyCommandOptions,
  command: Command,
): Promise<number> {
  const plan = planJob(src, dst, options);
  return withRuntime(command, async (runtime) => {
    let job: Awaited<ReturnType<typeof openJob>>;
    try {
      job = await openJob(plan, command, runtime);
    } catch (error) {
      // Interrupted while connecting: nothing started, and the exit code says interrupted, not failed.
      if (!runtime.signal.aborted) throw error;
      process.stderr.write(`${colors.yellow('interrupted')} before anything was copied\n`);
      return EXIT.interrupted;
    }
    const report = await runJob(plan, job, runtime);
    printReport(report, runtime, job.progress.excludedCount);
    if (report.interrupted) return EXIT.interrupted;
    return report.outcomes.some((o) => o.status === 'failed') ? EXIT.failure : EXIT.ok;
  });
}

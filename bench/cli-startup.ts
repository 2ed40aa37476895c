/**
 * Cold start of `mediaferry --help` as a ratio to `node -e 0` (target ≤ 2×, issue 13): commands load their modules
 * lazily, so help must not pay for the clients or the emulators.
 *
 *   npm run bench -- cli-startup [runs=15]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Verdicts } from './support/measure.js';

// The launcher npm links as `mediaferry` (what a user runs), not dist/bin.js directly.
const bin = fileURLToPath(new URL('../../packages/cli/bin/mediaferry.js', import.meta.url));

function median(args: readonly string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const runs = Number(process.argv[2] ?? 15);
const baseline = median(['-e', '0'], runs);
const help = median([bin, '--help'], runs);
const ratio = help / baseline;
process.stdout.write(
  `node -e 0: ${baseline.toFixed(0)} ms, mediaferry --help: ${help.toFixed(0)} ms (median of ${runs})\n`,
);
const verdicts = new Verdicts();
verdicts.check('cold start vs node -e 0', `${ratio.toFixed(2)}×`, ratio <= 2, '≤ 2×');
process.exitCode = verdicts.failed === 0 ? 0 : 1;

/**
 * The B2 emulator through a long run of small API calls (a `mediaferry emulator` process, `--data` on disk):
 * rounds of sequential `b2_get_upload_url` (each issues a token, a change the emulator saves) and of
 * `b2_list_file_names` (a POST that changes nothing), through the library, timed per call. An emulator that
 * slows down as it serves (a journal that rebuilt its secret scrubber from every token it had learned, a
 * state that grew with every token and was written whole on every POST) shows as later rounds slower than
 * the first.
 *
 *   npm run bench -- emulator-requests [calls=500] [--reps 4] [--json]
 *
 * Check: each kind's last round within 1.3× its first, after a warm-up round (issue 16: "the emulators
 * themselves are never the bottleneck"; a cost that grows with the calls served would make them one). No issue
 * sets a number for one call's cost: those figures are printed for reading.
 */
import { B2Client } from '@mediaferry/b2';
import { benchArgs } from './support/args.js';
import { startB2Bench } from './support/b2-bench.js';
import { Verdicts, withTempDir } from './support/measure.js';
import { loadLine } from './support/report.js';

const BUCKET = 'bench-requests';
/** How much slower the last round may be than the first: what machine noise gives, short of a real trend. */
const MAX_GROWTH = 1.3;
const note = (line: string) => process.stderr.write(`${line}\n`);

interface Round {
  readonly kind: 'b2_get_upload_url' | 'b2_list_file_names';
  readonly round: number;
  readonly msPerCall: number;
}

async function bench(
  options: { calls: number; rounds: number; json: boolean },
  dir: string,
): Promise<number> {
  const loadBefore = loadLine();
  const b2 = await startB2Bench(dir, BUCKET);
  const client = new B2Client({ keyId: b2.conn.keyId, applicationKey: b2.conn.key, baseUrl: b2.conn.url });
  try {
    const { bucketId } = await client.buckets.get({ bucketName: BUCKET });
    const calls: Record<Round['kind'], () => Promise<unknown>> = {
      b2_get_upload_url: () => client.raw.getUploadUrl({ bucketId }),
      b2_list_file_names: () => client.raw.listFileNames({ bucketId, maxFileCount: 10 }),
    };
    const rounds: Round[] = [];
    // Round 0 warms both sides up (compilation, connections) and is not counted.
    for (let round = 0; round <= options.rounds; round += 1) {
      note(
        round === 0
          ? 'emulator-requests: warm-up round'
          : `emulator-requests: round ${round} of ${options.rounds}`,
      );
      for (const kind of Object.keys(calls) as Round['kind'][]) {
        const started = performance.now();
        for (let i = 0; i < options.calls; i += 1) await calls[kind]();
        if (round > 0) rounds.push({ kind, round, msPerCall: (performance.now() - started) / options.calls });
      }
    }
    const verdicts = new Verdicts({ quiet: options.json });
    if (!options.json) {
      process.stdout.write(
        `emulator-requests: ${options.calls} sequential calls of each kind per round, through @mediaferry/b2, one emulator process (--data on disk); ${loadBefore} before, ${loadLine()} after\n\n`,
      );
      for (const kind of Object.keys(calls) as Round['kind'][])
        process.stdout.write(
          `${kind.padEnd(20)} ms per call by round: ${rounds
            .filter((r) => r.kind === kind)
            .map((r) => r.msPerCall.toFixed(2))
            .join('  ')}\n`,
        );
      process.stdout.write('\n');
    }
    for (const kind of Object.keys(calls) as Round['kind'][]) {
      const mine = rounds.filter((r) => r.kind === kind);
      const growth = mine.at(-1)!.msPerCall / mine[0]!.msPerCall;
      verdicts.check(
        `${kind}: last round vs first, ${options.calls * (options.rounds - 1)} calls later`,
        `${growth.toFixed(2)}×`,
        growth <= MAX_GROWTH,
        `≤ ${MAX_GROWTH}× (no slower as it serves)`,
      );
    }
    if (options.json)
      process.stdout.write(
        `${JSON.stringify({ bench: 'emulator-requests', calls: options.calls, rounds, verdicts: verdicts.list })}\n`,
      );
    return verdicts.failed === 0 ? 0 : 1;
  } finally {
    await client.close();
    await b2.close();
  }
}

const args = benchArgs(process.argv.slice(2), { sizeMiB: 500, reps: 4, positional: 'calls' });
if (args.reps < 2)
  throw new Error('--reps must be at least 2: the check compares the last round with the first');
process.exitCode = await withTempDir(
  (dir) => bench({ calls: args.sizeMiB, rounds: args.reps, json: args.json }, dir),
  args.tmp,
);

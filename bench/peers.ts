/**
 * mediaferry against its peers, side by side in one run: Backblaze's b2sdk (Python), npm `backblaze-b2`, curl,
 * and mediaferry (library and CLI) each upload and download the same random file against the same B2
 * emulator (a separate `mediaferry emulator` process, blobs on disk under `--data`). Every download is
 * compared byte for byte (SHA-1) with the source and every upload checked in the emulator's own records, so no
 * tool wins by skipping work. A warm-up round, then `--reps` rounds in rotating order; medians reported.
 *
 *   npm run bench -- peers [MiB=512] [--reps N=3] [--tmp DIR] [--json]
 *
 * Targets (issue 16): mediaferry upload and download each ≤ 1.0× b2sdk's time; download ≥ 0.8× curl-to-file;
 * upload ≥ 0.9× curl with the same parts in parallel; faster than npm backblaze-b2 on both.
 */
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchArgs, benchArgs } from './support/args.js';
import { startB2Bench } from './support/b2-bench.js';
import {
  DOWNLOAD_NAME,
  hasB2sdk,
  installBackblazeB2,
  mediaferryUploadJobs,
  type PeerContext,
  peerSet,
  type Transfer,
} from './support/b2-peers.js';
import { splitParts } from './support/curl-b2.js';
import { assertSameBytes, directory, MiB, type SourceFile, writeRandomFile } from './support/files.js';
import { Verdicts, withTempDir } from './support/measure.js';
import { curlComparisonLines, judgePeers, peersComparisons } from './support/peers-targets.js';
import { requireGnuTime } from './support/process.js';
import { type FigureRow, formatTable, loadLine, median, mibPerSecond } from './support/report.js';
import type { Measured } from './support/tool-runs.js';

const BUCKET = 'bench-peers';
const TMPFS_MAGIC = 0x01021994;

type Options = BenchArgs;

/** Progress goes to stderr, so `--json` keeps stdout to one document. */
const note = (line: string) => process.stderr.write(`${line}\n`);

interface Samples {
  readonly transfer: Transfer;
  readonly ms: number[];
  readonly peakRss: number[];
  /** Whole-process times of a tool that times its own transfer. */
  readonly processMs: number[];
}

async function measureOne(
  transfer: Transfer,
  ctx: PeerContext,
  dir: string,
  label: string,
): Promise<Measured> {
  if (transfer.direction === 'upload') {
    const name = `peers/${transfer.id}-${label}.bin`;
    const measured = await transfer.run(name);
    await ctx.raw.verifyStored(ctx.bucketId, name, ctx.source, transfer.tool);
    await ctx.raw.deleteAll(ctx.bucketId, name);
    return measured;
  }
  const dest = join(dir, `${transfer.id}.bin`);
  const measured = await transfer.run(dest);
  if (transfer.writesFile) {
    await assertSameBytes(dest, ctx.source, transfer.tool);
    await rm(dest, { force: true });
  }
  return measured;
}

async function storageOf(dir: string): Promise<string> {
  const fs = await statfs(dir);
  return fs.type === TMPFS_MAGIC ? 'tmpfs (memory)' : 'disk';
}

async function race(options: Options, dir: string): Promise<number> {
  const size = options.sizeMiB * MiB;
  const loadBefore = loadLine();
  note(`peers: writing ${options.sizeMiB} MiB of random bytes…`);
  const source: SourceFile = await writeRandomFile(join(dir, 'source.bin'), size);
  const storage = await storageOf(dir);
  const b2 = await startB2Bench(dir, BUCKET);
  try {
    const { raw, bucketId } = b2;
    await b2.seed(source, DOWNLOAD_NAME);
    const [b2sdk, backblaze, parallel] = await Promise.all([
      hasB2sdk(),
      installBackblazeB2(),
      mediaferryUploadJobs(),
    ]);
    const ctx: PeerContext = {
      ...b2.conn,
      bucketId,
      raw,
      source,
      parallel,
      backblazePrefix: 'prefix' in backblaze ? backblaze.prefix : undefined,
      b2sdk,
    };
    // curl's large file uses the very parts mediaferry's library sends: learn them from its warm-up upload.
    const downloads = join(dir, 'downloads');
    await mkdir(downloads);
    const layout = peerSet(ctx)
      .groups.flat()
      .find((t) => t.id === 'library.upload')!;
    await layout.run('peers/layout.bin');
    const sizes = await raw.verifyStored(bucketId, 'peers/layout.bin', source, 'mediaferry library');
    await raw.deleteAll(bucketId, 'peers/layout.bin');
    if (sizes.length > 1) ctx.parts = await splitParts(source, sizes, await directory(join(dir, 'parts')));
    const set = peerSet(ctx);
    for (const line of set.skipped) note(`SKIP ${line}`);
    if ('reason' in backblaze) note(`SKIP ${backblaze.reason}`);
    const samples = new Map<string, Samples>();
    for (let rep = 0; rep <= options.reps; rep += 1) {
      const order = [
        ...set.groups.slice(rep % set.groups.length),
        ...set.groups.slice(0, rep % set.groups.length),
      ];
      note(rep === 0 ? 'peers: warm-up round (not counted)' : `peers: round ${rep} of ${options.reps}`);
      for (const transfer of order.flat()) {
        const measured = await measureOne(transfer, ctx, downloads, String(rep));
        if (rep === 0) continue;
        const entry = samples.get(transfer.id) ?? { transfer, ms: [], peakRss: [], processMs: [] };
        entry.ms.push(measured.ms);
        entry.peakRss.push(measured.peakRss);
        if (measured.processMs !== undefined) entry.processMs.push(measured.processMs);
        samples.set(transfer.id, entry);
      }
    }
    const emulatorRss = await b2.emulator.peakRss();
    // Rows in a fixed order (b2sdk, the reference, first), whatever order the last round ran in.
    const ordered = new Map(
      set.groups
        .flat()
        .filter((t) => samples.has(t.id))
        .map((t) => [t.id, samples.get(t.id)!]),
    );
    return report(options, {
      size,
      samples: ordered,
      ctx,
      storage,
      dir,
      loadBefore,
      emulatorRss,
      skipped: [...set.skipped, ...('reason' in backblaze ? [backblaze.reason] : [])],
    });
  } finally {
    await b2.close();
  }
}

interface Outcome {
  readonly size: number;
  readonly samples: Map<string, Samples>;
  readonly ctx: PeerContext;
  readonly storage: string;
  readonly dir: string;
  readonly loadBefore: string;
  readonly emulatorRss: number | undefined;
  readonly skipped: string[];
}

function report(options: Options, outcome: Outcome): number {
  const { size, samples, ctx } = outcome;
  const medianMs = (id: string) => {
    const entry = samples.get(id);
    return entry ? median(entry.ms) : undefined;
  };
  const rowsFor = (
    direction: 'upload' | 'download',
  ): Array<FigureRow & { id: string; samples: number[] }> => {
    const reference = medianMs(`b2sdk.${direction}`);
    return [...samples.values()]
      .filter((s) => s.transfer.direction === direction)
      .map((s) => {
        const ms = median(s.ms);
        return {
          id: s.transfer.id,
          tool: s.transfer.tool,
          size,
          ms,
          ratio: reference === undefined ? undefined : ms / reference,
          peakRss: Math.max(...s.peakRss),
          samples: s.ms,
        };
      });
  };
  const uploads = rowsFor('upload');
  const downloads = rowsFor('download');
  const verdicts = new Verdicts({ quiet: options.json });
  const header = [
    `peers: ${options.sizeMiB} MiB random file, median of ${options.reps} rounds after a warm-up; one B2 emulator process, --data on ${outcome.storage} (${outcome.dir})`,
    `parts: mediaferry's library sent ${ctx.parts ? `${ctx.parts.files.length} parts (${ctx.parts.sizes.join(', ')} bytes)` : 'one stream'}, ${ctx.parallel} in flight (its default); curl and backblaze-b2 get the same`,
    'timed: b2sdk, backblaze-b2 and the library from their transfer call (after authorizing); the CLI and curl whole process',
    'ratio: time ÷ b2sdk time for the same direction (lower is faster); peak RSS: the process (curl: largest single curl)',
    `${outcome.loadBefore} before, ${loadLine()} after; emulator peak RSS ${outcome.emulatorRss === undefined ? '—' : `${(outcome.emulatorRss / MiB).toFixed(0)} MiB`}`,
  ];
  if (!options.json) {
    process.stdout.write(
      `${header.join('\n')}\n\nupload\n${formatTable(uploads)}\n\ndownload\n${formatTable(downloads)}\n\n`,
    );
    for (const line of outcome.skipped) process.stdout.write(`SKIP  ${line}\n`);
  }
  const comparisons = peersComparisons(medianMs);
  // The CLI is timed whole, b2sdk from its transfer call: b2sdk's own whole process, printed for reading
  // beside the CLI's (the targets stay against b2sdk's transfer time).
  const wholeProcess = (['upload', 'download'] as const).flatMap((direction) => {
    const b2sdk = samples.get(`b2sdk.${direction}`);
    const cli = medianMs(`cli.${direction}`);
    if (!b2sdk || b2sdk.processMs.length === 0 || cli === undefined) return [];
    const whole = median(b2sdk.processMs);
    return [{ direction, b2sdkProcessMs: whole, cliMs: cli, ratio: cli / whole }];
  });
  if (!options.json) {
    process.stdout.write(`${curlComparisonLines(comparisons)}\n`);
    for (const w of wholeProcess)
      process.stdout.write(
        `b2sdk ${w.direction}, whole process (start to exit, authorizing included): ${(w.b2sdkProcessMs / 1000).toFixed(2)} s; the CLI, timed the same way: ${(w.cliMs / 1000).toFixed(2)} s (${w.ratio.toFixed(2)}× its time; for reading, not a target)\n`,
      );
    process.stdout.write('\n');
  }
  judgePeers(verdicts, comparisons, { partsSent: ctx.parts !== undefined });
  if (options.json) {
    const describe = (rows: typeof uploads) =>
      rows.map((r) => ({
        id: r.id,
        tool: r.tool,
        size: r.size,
        seconds: r.ms / 1000,
        mibPerSecond: mibPerSecond(r.size, r.ms),
        ratioToB2sdk: r.ratio ?? null,
        peakRssBytes: r.peakRss,
        samplesSeconds: r.samples.map((ms) => ms / 1000),
      }));
    process.stdout.write(
      `${JSON.stringify({
        bench: 'peers',
        sizeBytes: size,
        rounds: options.reps,
        storage: outcome.storage,
        parallel: ctx.parallel,
        partSizes: ctx.parts?.sizes ?? null,
        load: { before: outcome.loadBefore, after: loadLine() },
        emulatorPeakRssBytes: outcome.emulatorRss ?? null,
        upload: describe(uploads),
        download: describe(downloads),
        comparisons,
        b2sdkWholeProcess: wholeProcess,
        verdicts: verdicts.list,
        skipped: outcome.skipped,
      })}\n`,
    );
  }
  return verdicts.failed;
}

const options = benchArgs(process.argv.slice(2), { sizeMiB: 512, reps: 3 });
requireGnuTime();
process.exitCode = (await withTempDir((dir) => race(options, dir), options.tmp)) === 0 ? 0 : 1;

/**
 * Memory of mediaferry's B2 transfers (issue 16): peak RSS of the library process and of the CLI process for
 * an upload and a download of N MiB and of 100 MiB, and of `mediaferry copy` of a directory holding the same
 * N MiB in 8 files, each way, against the single-file command. One `mediaferry emulator` process (blobs on
 * disk) serves them all; every upload is checked in its records, every download byte for byte.
 *
 *   npm run bench -- memory [MiB=1024] [--tmp DIR] [--json]
 *
 * Targets: peak RSS ≤ 100 MiB for a 1 GiB upload and download (library and CLI process); growth ≤ 8 MiB
 * from 100 MiB to 1 GiB; `copy` of a directory within 16 MiB of a single-file command.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchArgs } from './support/args.js';
import { startB2Bench } from './support/b2-bench.js';
import { assertSameBytes, MiB, type SourceFile, sha1OfFile, writeRandomFile } from './support/files.js';
import { Verdicts, withTempDir } from './support/measure.js';
import { requireGnuTime } from './support/process.js';
import { type FigureRow, formatTable, loadLine } from './support/report.js';
import { type Measured, runCli, runLibrary } from './support/tool-runs.js';

const BUCKET = 'bench-memory';
const SMALL_MiB = 100;
const DIRECTORY_FILES = 8;
const note = (line: string) => process.stderr.write(`${line}\n`);

interface Run extends Measured {
  readonly who: 'library' | 'CLI';
  readonly op: 'upload' | 'download';
  readonly size: number;
}

async function measure(options: { sizeMiB: number; json: boolean }, dir: string): Promise<number> {
  const loadBefore = loadLine();
  note(`memory: writing ${options.sizeMiB} MiB + ${SMALL_MiB} MiB + a folder of ${DIRECTORY_FILES} files…`);
  const sources: SourceFile[] = [
    await writeRandomFile(join(dir, 'small.bin'), SMALL_MiB * MiB),
    await writeRandomFile(join(dir, 'big.bin'), options.sizeMiB * MiB),
  ];
  const folder = join(dir, 'folder');
  await mkdir(folder);
  const folderFiles: SourceFile[] = [];
  const each = Math.floor((options.sizeMiB * MiB) / DIRECTORY_FILES);
  for (let i = 0; i < DIRECTORY_FILES; i += 1)
    folderFiles.push(await writeRandomFile(join(folder, `clip-${i}.bin`), each));
  const b2 = await startB2Bench(dir, BUCKET);
  try {
    const { conn, raw, bucketId } = b2;
    const runs: Run[] = [];
    for (const source of sources) {
      const stored = `memory/source-${source.size}.bin`;
      await b2.seed(source, stored);
      for (const who of ['library', 'CLI'] as const) {
        note(`memory: ${who}, ${source.size / MiB} MiB`);
        const name = `memory/${who}-${source.size}.bin`;
        const up =
          who === 'library'
            ? await runLibrary(conn, 'upload', name, source.path)
            : await runCli(conn, ['b2', 'upload', source.path, `b2://${BUCKET}/${name}`]);
        await raw.verifyStored(bucketId, name, source, `${who} upload`);
        await raw.deleteAll(bucketId, name);
        runs.push({ who, op: 'upload', size: source.size, ...up });
        const dest = join(dir, `${who}-${source.size}.down`);
        const down =
          who === 'library'
            ? await runLibrary(conn, 'download', stored, dest)
            : await runCli(conn, ['b2', 'download', `b2://${BUCKET}/${stored}`, dest]);
        await assertSameBytes(dest, source, `${who} download`);
        await rm(dest);
        runs.push({ who, op: 'download', size: source.size, ...down });
      }
    }
    note('memory: copy of the folder up and down');
    const copyUp = await runCli(conn, ['copy', folder, `b2://${BUCKET}/folder/`]);
    for (const file of folderFiles)
      await raw.verifyStored(bucketId, `folder/${file.path.split('/').at(-1)}`, file, 'copy up');
    const restored = join(dir, 'restored');
    const copyDown = await runCli(conn, ['copy', `b2://${BUCKET}/folder/`, restored]);
    for (const file of folderFiles) {
      const name = file.path.split('/').at(-1)!;
      if ((await sha1OfFile(join(restored, name))) !== file.sha1)
        throw new Error(`copy down: ${name} differs`);
    }
    return report(options, {
      runs,
      copy: { upload: copyUp, download: copyDown, bytes: each * DIRECTORY_FILES },
      loadBefore,
      emulatorRss: await b2.emulator.peakRss(),
    });
  } finally {
    await b2.close();
  }
}

function report(
  options: { sizeMiB: number; json: boolean },
  outcome: {
    runs: Run[];
    copy: { upload: Measured; download: Measured; bytes: number };
    loadBefore: string;
    emulatorRss: number | undefined;
  },
): number {
  const { runs, copy } = outcome;
  const full = options.sizeMiB * MiB;
  const find = (who: string, op: string, size: number) =>
    runs.find((r) => r.who === who && r.op === op && r.size === size)!;
  const rows: FigureRow[] = [
    ...runs.map((r) => ({
      tool: `${r.who === 'library' ? 'mediaferry library' : 'mediaferry b2'} ${r.op}`,
      size: r.size,
      ms: r.ms,
      ratio: undefined,
      peakRss: r.peakRss,
    })),
    ...(['upload', 'download'] as const).map((op) => ({
      tool: `mediaferry copy, folder of ${DIRECTORY_FILES} (${op})`,
      size: copy.bytes,
      ms: copy[op].ms,
      ratio: undefined,
      peakRss: copy[op].peakRss,
    })),
  ];
  if (!options.json)
    process.stdout.write(
      `memory: one B2 emulator process (--data on disk), each transfer its own process; peak RSS from GNU time\n${outcome.loadBefore} before, ${loadLine()} after\n\n${formatTable(rows)}\n\n`,
    );
  const verdicts = new Verdicts({ quiet: options.json });
  const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MiB`;
  for (const who of ['library', 'CLI'] as const)
    for (const op of ['upload', 'download'] as const) {
      const big = find(who, op, full);
      const small = find(who, op, SMALL_MiB * MiB);
      verdicts.check(
        `${who} process, ${mib(full)} ${op}: peak RSS`,
        mib(big.peakRss),
        big.peakRss <= 100 * MiB,
        '≤ 100 MiB',
      );
      verdicts.check(
        `${who} process, ${op}: RSS growth ${SMALL_MiB} MiB → ${mib(full)}`,
        mib(big.peakRss - small.peakRss),
        big.peakRss - small.peakRss <= 8 * MiB,
        '≤ 8 MiB',
      );
    }
  for (const op of ['upload', 'download'] as const) {
    const single = find('CLI', op, full);
    const over = copy[op].peakRss - single.peakRss;
    verdicts.check(
      `copy of a folder (${op}) vs mediaferry b2 ${op} of one file`,
      `${over >= 0 ? '+' : ''}${mib(over)} (${mib(copy[op].peakRss)} vs ${mib(single.peakRss)})`,
      over <= 16 * MiB,
      'within 16 MiB',
    );
  }
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({
        bench: 'memory',
        sizeBytes: full,
        load: { before: outcome.loadBefore, after: loadLine() },
        emulatorPeakRssBytes: outcome.emulatorRss ?? null,
        runs: runs.map((r) => ({
          who: r.who,
          op: r.op,
          sizeBytes: r.size,
          seconds: r.ms / 1000,
          peakRssBytes: r.peakRss,
        })),
        copy: Object.fromEntries(
          (['upload', 'download'] as const).map((op) => [
            op,
            {
              files: DIRECTORY_FILES,
              bytes: copy.bytes,
              seconds: copy[op].ms / 1000,
              peakRssBytes: copy[op].peakRss,
            },
          ]),
        ),
        verdicts: verdicts.list,
      })}\n`,
    );
  return verdicts.failed;
}

const args = benchArgs(process.argv.slice(2), { sizeMiB: 1024, minMiB: 101 });
requireGnuTime();
process.exitCode = (await withTempDir((dir) => measure(args, dir), args.tmp)) === 0 ? 0 : 1;

/**
 * GoPro `media.pull` of the emulator's `bench` seed (200 videos, 1.1 GB) with concurrency 8, against curl
 * fetching the same CDN URLs with the same concurrency (`curl --parallel --parallel-max 8`), in the same run
 * (issue 16: every service's data path ≥ 0.8× curl). The emulator is a `mediaferry emulator` process; both
 * sides' files are compared by SHA-1; peak RSS of the client process. For reading beside the target, curl's
 * time with the `sync` that puts its files on disk (the pull fsyncs each file before its rename), and Node's own
 * floor: a bare `node:http` GET of each URL piped into a file, 8 at a time, with none of the pull's work (no
 * metadata requests, size checks, temporary names or fsync), so the gap that is Node's shows apart from the
 * pull's.
 *
 *   npm run bench -- gopro-pull [--reps N=3]
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseAssets, GoProClient } from '@mediaferry/gopro';
import { startEmulatorProcess } from './support/emulator-process.js';
import { sha1OfFile } from './support/files.js';
import { MiB, mib, Verdicts, withTempDir } from './support/measure.js';
import { lastJsonLine, measureProcess, requireGnuTime } from './support/process.js';
import { formatTable, loadLine, median } from './support/report.js';

const script = fileURLToPath(import.meta.url);
const floorScript = fileURLToPath(new URL('./tools/http-floor.js', import.meta.url));
const FROM = new Date('2026-01-01');
const TO = new Date('2026-12-31');
const CONCURRENCY = 8;
const note = (line: string) => process.stderr.write(`${line}\n`);

/** Child: lists the media (untimed, writing the CDN URLs for curl), then times `media.pull`. */
async function child(baseUrl: string, token: string, dest: string, urlsFile: string): Promise<void> {
  const client = new GoProClient({ accessToken: token, baseUrl, concurrency: CONCURRENCY });
  const items = await client.media.list({ from: FROM, to: TO }).toArray({ limit: 10_000 });
  const urls: string[] = [];
  for (const item of items)
    for (const { asset } of chooseAssets(await client.media.get(item.id))) urls.push(asset.url);
  await writeFile(urlsFile, JSON.stringify(urls));
  const started = performance.now();
  const report = await client.media.pull({ from: FROM, to: TO, dest, concurrency: CONCURRENCY }).done();
  if (report.failed.length > 0) throw new Error(`${report.failed.length} downloads failed`);
  process.stdout.write(
    `${JSON.stringify({ ms: performance.now() - started, bytes: report.bytes, files: report.downloaded.length })}\n`,
  );
}

/** Every file under a folder, as a sorted list of SHA-1s (names differ between the two sides). */
async function digests(dir: string): Promise<string[]> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const list: string[] = [];
  for (const file of files) list.push(await sha1OfFile(join(file.parentPath, file.name)));
  return list.sort();
}

async function parent(reps: number): Promise<number> {
  requireGnuTime();
  const loadBefore = loadLine();
  const emulator = await startEmulatorProcess(['gopro'], { seed: 'bench' });
  const gopro = emulator.services.gopro!;
  const verdicts = new Verdicts();
  try {
    return await withTempDir(async (dir) => {
      const mine: Array<{ ms: number; peakRss: number }> = [];
      const curls: Array<{ ms: number; peakRss: number }> = [];
      const curlSyncs: number[] = [];
      const floors: Array<{ ms: number; peakRss: number }> = [];
      let bytes = 0;
      let files = 0;
      for (let rep = 0; rep <= reps; rep += 1) {
        note(rep === 0 ? 'gopro-pull: warm-up round (not counted)' : `gopro-pull: round ${rep} of ${reps}`);
        const pulled = join(dir, 'pulled');
        const fetched = join(dir, 'curl');
        const urlsFile = join(dir, 'urls.json');
        const result = await measureProcess(process.execPath, [
          script,
          '--child',
          gopro.url,
          String(gopro.accessToken),
          pulled,
          urlsFile,
        ]);
        const reported = lastJsonLine<{ ms: number; bytes: number; files: number }>(result.stdout);
        const urls = JSON.parse(await readFile(urlsFile, 'utf8')) as string[];
        const config = join(dir, 'curl.config');
        await writeFile(
          config,
          urls.map((url, i) => `url = "${url}"\noutput = "${join(fetched, `${i}.bin`)}"\n`).join(''),
        );
        const curl = await measureProcess('curl', [
          '--silent',
          '--show-error',
          '--fail',
          '--create-dirs',
          '--parallel',
          '--parallel-max',
          String(CONCURRENCY),
          '--config',
          config,
        ]);
        // mediaferry's files are on disk when its pull returns (fsync before each rename); curl's are in the
        // page cache. The writeback curl leaves, timed on its own, for reading beside the target.
        const syncStarted = performance.now();
        execFileSync('sync');
        const curlSyncMs = performance.now() - syncStarted;
        const floored = join(dir, 'floor');
        const floor = await measureProcess(process.execPath, [
          floorScript,
          urlsFile,
          floored,
          String(CONCURRENCY),
        ]);
        // Its writeback is its own: not left for the next round's pull to wait behind.
        execFileSync('sync');
        const [a, b, c] = [await digests(pulled), await digests(fetched), await digests(floored)];
        for (const [other, name] of [
          [b, 'curl'],
          [c, 'the node:http floor'],
        ] as const)
          if (a.length !== other.length || a.some((digest, i) => digest !== other[i]))
            throw new Error(
              `media.pull and ${name} fetched different files (${a.length} vs ${other.length})`,
            );
        for (const folder of [pulled, fetched, floored]) await rm(folder, { recursive: true });
        if (rep === 0) continue;
        mine.push({ ms: reported.ms, peakRss: result.peakRss });
        curls.push(curl);
        curlSyncs.push(curl.ms + curlSyncMs);
        floors.push({ ms: lastJsonLine<{ ms: number }>(floor.stdout).ms, peakRss: floor.peakRss });
        bytes = reported.bytes;
        files = reported.files;
      }
      const ms = median(mine.map((m) => m.ms));
      const curlMs = median(curls.map((c) => c.ms));
      const floorMs = median(floors.map((f) => f.ms));
      const peak = Math.max(...mine.map((m) => m.peakRss));
      process.stdout.write(
        `gopro pull: ${files} files, ${mib(bytes)}, ${CONCURRENCY} at a time, median of ${reps} rounds after a warm-up; ${loadBefore} before, ${loadLine()} after\n\n${formatTable(
          [
            {
              tool: `curl --parallel-max ${CONCURRENCY}`,
              size: bytes,
              ms: curlMs,
              ratio: undefined,
              peakRss: Math.max(...curls.map((c) => c.peakRss)),
            },
            {
              tool: `node:http → file ×${CONCURRENCY} (floor)`,
              size: bytes,
              ms: floorMs,
              ratio: floorMs / curlMs,
              peakRss: Math.max(...floors.map((f) => f.peakRss)),
            },
            {
              tool: `gopro.media.pull -j${CONCURRENCY}`,
              size: bytes,
              ms,
              ratio: ms / curlMs,
              peakRss: peak,
            },
          ],
        )}\n\n`,
      );
      const synced = median(curlSyncs);
      process.stdout.write(
        `curl, then sync (its files on disk, as mediaferry's are at the end): ${(synced / 1000).toFixed(2)} s; mediaferry ${(synced / ms).toFixed(2)}× its throughput (for reading, not the target)\n\n`,
      );
      process.stdout.write(
        `Node's floor (a bare node:http GET piped to a file, no metadata requests, checks, temporary names or fsync): ${(curlMs / floorMs).toFixed(2)}× curl's throughput; mediaferry ${(floorMs / ms).toFixed(2)}× the floor's (for reading, not the target)\n\n`,
      );
      const ratio = curlMs / ms;
      verdicts.check(
        `throughput vs curl with the same concurrency`,
        `${ratio.toFixed(2)}×`,
        ratio >= 0.8,
        '≥ 0.8×',
      );
      verdicts.check('peak RSS', mib(peak), peak <= 200 * MiB, '≤ 200 MiB');
      return verdicts.failed;
    });
  } finally {
    await emulator.close();
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!, process.argv[6]!);
} else {
  const at = process.argv.indexOf('--reps');
  process.exitCode = (await parent(at >= 0 ? Number(process.argv[at + 1]) : 3)) === 0 ? 0 : 1;
}

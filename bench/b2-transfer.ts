/**
 * The quick B2 check, library only: `b2.files.upload` and `b2.files.downloadToFile` (their defaults) of an N MiB random
 * file against a `mediaferry emulator` process (blobs on disk), each in its own process, against curl in the
 * same run: curl uploading the same parts mediaferry sent, as many in parallel, and curl downloading to a
 * file. Peak RSS of each library process at N MiB and at 100 MiB. Uploads are checked in the emulator's
 * records, downloads byte for byte. (`peers` races b2sdk, backblaze-b2 and the CLI too; `memory` the CLI.)
 *
 *   npm run bench -- b2-transfer [MiB=1024] [--tmp DIR]
 *
 * Targets (issue 16): upload ≥ 0.9× curl with the same parts in parallel; download ≥ 0.8× curl-to-file;
 * peak RSS ≤ 100 MiB; growth ≤ 8 MiB from 100 MiB.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { benchArgs } from './support/args.js';
import { startB2Bench } from './support/b2-bench.js';
import { mediaferryUploadJobs } from './support/b2-peers.js';
import { curlDownload, curlUploadParts, curlUploadStream, splitParts } from './support/curl-b2.js';
import { assertSameBytes, directory, MiB, type SourceFile, writeRandomFile } from './support/files.js';
import { mib, throughput, Verdicts, withTempDir } from './support/measure.js';
import { requireGnuTime } from './support/process.js';
import { loadLine } from './support/report.js';
import { type Measured, runLibrary } from './support/tool-runs.js';

const BUCKET = 'bench-transfer';

async function bench(sizeMiB: number, dir: string): Promise<number> {
  requireGnuTime();
  const verdicts = new Verdicts();
  const loadBefore = loadLine();
  const big = await writeRandomFile(join(dir, 'big.bin'), sizeMiB * MiB);
  const small = await writeRandomFile(join(dir, 'small.bin'), 100 * MiB);
  const b2 = await startB2Bench(dir, BUCKET);
  try {
    const { conn, raw, bucketId } = b2;
    const library = async (source: SourceFile) => {
      const name = `library-${source.size}.bin`;
      const up = await runLibrary(conn, 'upload', name, source.path);
      const sizes = await raw.verifyStored(bucketId, name, source, 'library upload');
      const dest = join(dir, `library-${source.size}.down`);
      const down = await runLibrary(conn, 'download', name, dest);
      await assertSameBytes(dest, source, 'library download');
      await rm(dest);
      return { up, down, sizes };
    };
    const mine = await library(big);
    const hundred = await library(small);
    // curl sends the very parts the library sent (one stream when it sent one), as many at once.
    const parallel = await mediaferryUploadJobs();
    let curlUp: Measured;
    let reference: string;
    if (mine.sizes.length > 1) {
      const parts = await splitParts(big, mine.sizes, await directory(join(dir, 'parts')));
      curlUp = await curlUploadParts(raw, bucketId, 'curl.bin', parts, parallel);
      reference = `curl, ${mine.sizes.length} parts ×${parallel}`;
      await rm(join(dir, 'parts'), { recursive: true });
    } else {
      curlUp = await curlUploadStream(raw, bucketId, big, 'curl.bin');
      reference = 'curl, one stream (the library sent one)';
    }
    await raw.verifyStored(bucketId, 'curl.bin', big, 'curl upload');
    const curlDest = join(dir, 'curl.down');
    const curlDown = await curlDownload(raw, BUCKET, `library-${big.size}.bin`, curlDest);
    await assertSameBytes(curlDest, big, 'curl download');
    const size = big.size;
    process.stdout.write(
      `b2 ${mib(size)} (${loadBefore} before, ${loadLine()} after):\n  upload   ${reference} ${throughput(size, curlUp.ms)} vs mediaferry library ${throughput(size, mine.up.ms)}\n  download curl → file ${throughput(size, curlDown.ms)} vs mediaferry library ${throughput(size, mine.down.ms)}\n`,
    );
    const upRatio = curlUp.ms / mine.up.ms;
    const downRatio = curlDown.ms / mine.down.ms;
    verdicts.check(
      'upload throughput vs curl with the same parts in parallel',
      `${upRatio.toFixed(2)}×`,
      upRatio >= 0.9,
      '≥ 0.9×',
    );
    verdicts.check(
      'download throughput vs curl-to-file',
      `${downRatio.toFixed(2)}×`,
      downRatio >= 0.8,
      '≥ 0.8×',
    );
    for (const op of ['up', 'down'] as const) {
      const label = op === 'up' ? 'upload' : 'download';
      verdicts.check(
        `${label} peak RSS at ${mib(size)}`,
        mib(mine[op].peakRss),
        mine[op].peakRss <= 100 * MiB,
        '≤ 100 MiB',
      );
      const growth = mine[op].peakRss - hundred[op].peakRss;
      verdicts.check(`${label} RSS growth 100 MiB → ${mib(size)}`, mib(growth), growth <= 8 * MiB, '≤ 8 MiB');
    }
    return verdicts.failed;
  } finally {
    await b2.close();
  }
}

const args = benchArgs(process.argv.slice(2), { sizeMiB: 1024, minMiB: 101 });
process.exitCode = (await withTempDir((dir) => bench(args.sizeMiB, dir), args.tmp)) === 0 ? 0 : 1;

/**
 * GoPro `pullMedia` of 200 seeded videos (1.1 GB) with concurrency 8 over a real socket, compared in the same
 * run with curl fetching the same CDN URLs one after another; peak memory of the client process.
 *
 *   npm run bench -- gopro-pull
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmulator, GOPRO_DEMO_TOKEN, goproService } from '@mediaferry/emulator';
import { GoProClient } from '@mediaferry/gopro';
import {
  MiB,
  mib,
  reportFromChild,
  runChild,
  throughput,
  timeCurl,
  Verdicts,
  withTempDir,
} from './support/measure.js';

const script = fileURLToPath(import.meta.url);
const FROM = new Date('2026-01-01');
const TO = new Date('2026-12-31');

async function child(baseUrl: string, dest: string, urlsFile: string): Promise<void> {
  const client = new GoProClient({ accessToken: GOPRO_DEMO_TOKEN, baseUrl, concurrency: 8 });
  const items = await client.searchAll(FROM, TO).toArray({ limit: 10_000 });
  // The reference run needs the same URLs: hand them to the parent.
  const assets = await client.getDownloadUrl(items);
  await writeFile(urlsFile, JSON.stringify([...assets.values()].map((a) => a.url)));
  const started = performance.now();
  const report = await client.pullMedia({ from: FROM, to: TO, dest, concurrency: 8 });
  if (report.failed.length > 0) throw new Error(`${report.failed.length} downloads failed`);
  reportFromChild(performance.now() - started, { bytes: report.bytes, files: report.downloaded.length });
}

async function parent(): Promise<number> {
  const emulator = createEmulator(goproService, { seed: 'bench' });
  const server = await emulator.listen();
  const verdicts = new Verdicts();
  try {
    await withTempDir(async (dir) => {
      const urlsFile = join(dir, 'urls.json');
      const result = await runChild(script, [server.url, join(dir, 'pulled'), urlsFile]);
      const urls = JSON.parse(await readFile(urlsFile, 'utf8')) as string[];
      let curlMs = 0;
      for (const [index, url] of urls.entries())
        curlMs += await timeCurl(['-o', join(dir, `curl-${index % 4}.bin`), url]);
      const bytes = result.bytes as number;
      process.stdout.write(
        `gopro pull ${result.files as number} files, ${mib(bytes)}: curl sequential ${throughput(bytes, curlMs)}, mediaferry pullMedia -j8 ${throughput(bytes, result.ms)}\n`,
      );
      const ratio = curlMs / result.ms;
      verdicts.check('throughput vs sequential curl', `${ratio.toFixed(2)}×`, ratio >= 0.5, '≥ 0.5×');
      verdicts.check('peak RSS', mib(result.maxRss), result.maxRss <= 200 * MiB, '≤ 200 MiB');
    });
  } finally {
    await emulator.close();
  }
  return verdicts.failed;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
} else {
  process.exitCode = (await parent()) === 0 ? 0 : 1;
}

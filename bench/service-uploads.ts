/**
 * Big uploads through the BigGo (200 MiB) and Mixcloud (500 MiB) clients against their emulators on
 * loopback: peak RSS of the client process (must stay flat: compared with a 20 MiB run) and progress events.
 *
 *   npm run bench -- service-uploads [bigGoMiB=200] [mixcloudMiB=500]
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BigGoClient } from '@mediaferry/biggo';
import { fromPath } from '@mediaferry/core';
import {
  BIGGO_DEMO_CLIENT,
  biggoService,
  createEmulator,
  MIXCLOUD_DEMO_TOKEN,
  mixcloudService,
} from '@mediaferry/emulator';
import { Mixcloud } from '@mediaferry/mixcloud';
import { MiB, mib, reportFromChild, runChild, throughput, Verdicts, withTempDir } from './support/measure.js';

const script = fileURLToPath(import.meta.url);

async function writeFileOfSize(path: string, size: number, seed: number): Promise<void> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(4 * MiB, seed);
  for (let at = 0; at < size; at += block.length) {
    block.writeUInt32LE(at >>> 0, 0);
    await handle.write(block.subarray(0, Math.min(block.length, size - at)));
  }
  await handle.close();
}

async function child(service: string, url: string, file: string): Promise<void> {
  let events = 0;
  const onProgress = () => {
    events += 1;
  };
  const started = performance.now();
  if (service === 'biggo') {
    await using client = new BigGoClient({ ...BIGGO_DEMO_CLIENT, baseUrl: url });
    await client.videos.upload(file, {}, { onProgress }).done();
  } else {
    const client = new Mixcloud({ apiRoot: url, accessToken: MIXCLOUD_DEMO_TOKEN });
    await client.upload(fromPath(file), `bench ${Date.now()}`, { onProgress });
  }
  reportFromChild(performance.now() - started, { events });
}

async function parent(bigGoMiB: number, mixcloudMiB: number): Promise<number> {
  const verdicts = new Verdicts();
  return withTempDir(async (dir) => {
    const biggo = createEmulator(biggoService, { seed: 'demo', data: join(dir, 'emulators') });
    const mixcloud = createEmulator(mixcloudService, { seed: 'demo' });
    const urls = { biggo: (await biggo.listen()).url, mixcloud: (await mixcloud.listen()).url };
    try {
      for (const [service, sizeMiB] of [
        ['biggo', bigGoMiB],
        ['mixcloud', mixcloudMiB],
      ] as const) {
        const size = sizeMiB * MiB;
        const big = join(dir, `${service}-big.bin`);
        const small = join(dir, `${service}-small.bin`);
        await writeFileOfSize(big, size, 1);
        await writeFileOfSize(small, 20 * MiB, 2);
        const full = await runChild(script, [service, urls[service], big]);
        const base = await runChild(script, [service, urls[service], small]);
        process.stdout.write(
          `${service} upload ${mib(size)}: ${throughput(size, full.ms)}, ${full.events as number} progress events, peak RSS ${mib(full.maxRss)} (20 MiB run: ${mib(base.maxRss)})\n`,
        );
        verdicts.check(
          `${service} progress events`,
          String(full.events),
          (full.events as number) > 10,
          '> 10',
        );
        verdicts.check(
          `${service} RSS growth 20 MiB → ${mib(size)}`,
          mib(full.maxRss - base.maxRss),
          full.maxRss - base.maxRss <= 32 * MiB,
          '≤ 32 MiB (flat)',
        );
      }
    } finally {
      await biggo.close();
      await mixcloud.close();
    }
    return verdicts.failed;
  });
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, process.argv[5]!);
} else {
  process.exitCode =
    (await parent(Number(process.argv[2] ?? 200), Number(process.argv[3] ?? 500))) === 0 ? 0 : 1;
}

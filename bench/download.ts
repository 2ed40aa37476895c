/**
 * Core download path: `saveToFile` (with SHA-1) streaming a generated body from the probe emulator over a real
 * socket, compared in the same run with curl and with the floor Node itself allows (a hand-written loop over
 * the built-in `fetch` writing to a file); peak memory of the client at two sizes.
 *
 *   npm run bench -- download [MiB=1024]
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseClient, rangeOpener, saveToFile } from '@mediaferry/core';
import { createEmulator, probeService } from '@mediaferry/emulator';
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

async function child(mode: string, baseUrl: string, size: number, dest: string): Promise<void> {
  if (mode === 'fetch') {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/bytes/${size}?seed=bench`);
    const handle = await open(dest, 'w');
    let offset = 0;
    for await (const chunk of response.body as ReadableStream<Uint8Array>) {
      await handle.write(chunk, 0, chunk.byteLength, offset);
      offset += chunk.byteLength;
    }
    await handle.close();
    return reportFromChild(performance.now() - started, { size: offset });
  }
  const client = new BaseClient({ baseUrl }, { name: 'probe', userAgent: 'mediaferry-bench/0.1.0' });
  const started = performance.now();
  const saved = await saveToFile(
    rangeOpener(client, { path: `/bytes/${size}`, query: { seed: 'bench' } }),
    dest,
    { hash: 'sha1' },
  );
  reportFromChild(performance.now() - started, { size: saved.size, digest: saved.digest });
}

async function parent(sizeMiB: number): Promise<number> {
  const emulator = createEmulator(probeService);
  const server = await emulator.listen();
  const verdicts = new Verdicts();
  try {
    await withTempDir(async (dir) => {
      const size = sizeMiB * MiB;
      const url = `${server.url}/bytes/${size}?seed=bench`;
      const curlMs = await timeCurl(['-o', join(dir, 'curl.bin'), url]);
      if ((await stat(join(dir, 'curl.bin'))).size !== size) throw new Error('curl fetched the wrong size');
      const floor = await runChild(script, ['fetch', server.url, String(size), join(dir, 'fetch.bin')]);
      const big = await runChild(script, ['client', server.url, String(size), join(dir, 'client.bin')]);
      const small = await runChild(script, ['client', server.url, String(100 * MiB), join(dir, 'small.bin')]);
      process.stdout.write(
        `download ${mib(size)}: curl ${throughput(size, curlMs)}, node fetch loop ${throughput(size, floor.ms)} (${mib(floor.maxRss)} RSS), mediaferry saveToFile+SHA-1 ${throughput(size, big.ms)}\n`,
      );
      process.stdout.write(
        `ratio vs curl: ${(curlMs / big.ms).toFixed(2)}× (informative: Node's fetch itself reaches ${(curlMs / floor.ms).toFixed(2)}×)\n`,
      );
      const ratio = floor.ms / big.ms;
      verdicts.check('throughput vs a bare fetch loop', `${ratio.toFixed(2)}×`, ratio >= 0.5, '≥ 0.5×');
      verdicts.check(
        `peak RSS at ${mib(size)}`,
        mib(big.maxRss),
        big.maxRss <= floor.maxRss + 32 * MiB,
        `≤ bare fetch loop + 32 MiB = ${mib(floor.maxRss + 32 * MiB)}`,
      );
      const growth = big.maxRss - small.maxRss;
      verdicts.check('RSS growth 100 MiB → full size', mib(growth), growth <= 16 * MiB, '≤ 16 MiB (flat)');
    });
  } finally {
    await emulator.close();
  }
  return verdicts.failed;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]!, process.argv[4]!, Number(process.argv[5]), process.argv[6]!);
} else {
  const sizeMiB = Number(process.argv[2] ?? 1024);
  process.exitCode = (await parent(sizeMiB)) === 0 ? 0 : 1;
}

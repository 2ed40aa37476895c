/**
 * Core download path: `saveToFile` (with SHA-1) streaming a generated body from the probe emulator over a real
 * socket, compared in the same run with curl writing the same bytes to a file, and (for reading) with a bare
 * loop over Node's built-in `fetch` writing to a file; peak memory of the client at two sizes.
 *
 *   npm run bench -- download [MiB=1024]
 *
 * Targets (issue 16): ≥ 0.8× curl-to-file; peak RSS ≤ 100 MiB; growth ≤ 8 MiB from 100 MiB.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BaseClient, rangeOpener, saveToFile } from '@mediaferry/core';
import { createEmulator, probeService } from '@mediaferry/emulator';
import { sha1OfFile } from './support/files.js';
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
      // The client must have written what curl did (no figure counts for bytes it did not deliver).
      const expected = await sha1OfFile(join(dir, 'curl.bin'));
      if ((await sha1OfFile(join(dir, 'client.bin'))) !== expected || big.digest !== expected)
        throw new Error('saveToFile wrote different bytes from curl');
      process.stdout.write(
        `download ${mib(size)}: curl ${throughput(size, curlMs)}, node fetch loop ${throughput(size, floor.ms)} (${mib(floor.maxRss)} RSS), mediaferry saveToFile+SHA-1 ${throughput(size, big.ms)}\n`,
      );
      const ratio = curlMs / big.ms;
      process.stdout.write(
        `informative: a bare fetch loop reaches ${(curlMs / floor.ms).toFixed(2)}× curl, saveToFile ${(floor.ms / big.ms).toFixed(2)}× that loop\n`,
      );
      verdicts.check('throughput vs curl-to-file', `${ratio.toFixed(2)}×`, ratio >= 0.8, '≥ 0.8×');
      verdicts.check(`peak RSS at ${mib(size)}`, mib(big.maxRss), big.maxRss <= 100 * MiB, '≤ 100 MiB');
      const growth = big.maxRss - small.maxRss;
      verdicts.check(`RSS growth 100 MiB → ${mib(size)}`, mib(growth), growth <= 8 * MiB, '≤ 8 MiB');
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

/**
 * B2 large-file upload (4 parallel parts) and download of an N MiB file against the B2 emulator on loopback,
 * compared with curl doing the same transfers in the same run (a small-file `b2_upload_file` POST, and
 * `b2_download_file_by_id`); peak RSS of the client process at N MiB and at 100 MiB.
 *
 *   npm run bench -- b2-transfer [MiB=1024]
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { B2Client } from '@mediaferry/b2';
import { fromPath } from '@mediaferry/core';
import { b2Service, createEmulator } from '@mediaferry/emulator';
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
const PART = 100 * 1000 * 1000;

async function writeFileOfSize(path: string, size: number): Promise<string> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(4 * MiB);
  const hash = createHash('sha1');
  for (let at = 0; at < size; at += block.length) {
    for (let i = 0; i < block.length; i += 4096) block.writeUInt32LE((at + i) >>> 0, i);
    const slice = block.subarray(0, Math.min(block.length, size - at));
    hash.update(slice);
    await handle.write(slice);
  }
  await handle.close();
  return hash.digest('hex');
}

async function child(
  url: string,
  keyId: string,
  key: string,
  file: string,
  name: string,
  dest: string,
): Promise<void> {
  const client = new B2Client({ keyId, applicationKey: key, realm: url });
  const bucket = (await client.getBucketByName('mediaferry-demo'))!;
  const upStart = performance.now();
  const uploaded = await client.uploadFile(bucket.bucketId, name, fromPath(file), {
    concurrency: 4,
    partSize: PART,
  });
  const upMs = performance.now() - upStart;
  const downStart = performance.now();
  await client.saveFile({ fileId: uploaded.fileId! }, dest);
  const downMs = performance.now() - downStart;
  reportFromChild(upMs + downMs, { upMs, downMs, fileId: uploaded.fileId });
}

async function curlUpload(
  url: string,
  keyId: string,
  key: string,
  file: string,
  sha1: string,
  size: number,
): Promise<{ ms: number; fileId: string }> {
  const auth = (await (
    await fetch(`${url}/b2api/v3/b2_authorize_account`, {
      headers: { authorization: `Basic ${Buffer.from(`${keyId}:${key}`).toString('base64')}` },
    })
  ).json()) as {
    authorizationToken: string;
    accountId: string;
  };
  const buckets = (await (
    await fetch(`${url}/b2api/v3/b2_list_buckets`, {
      method: 'POST',
      headers: { authorization: auth.authorizationToken },
      body: JSON.stringify({ accountId: auth.accountId, bucketName: 'mediaferry-demo' }),
    })
  ).json()) as {
    buckets: Array<{ bucketId: string }>;
  };
  const target = (await (
    await fetch(`${url}/b2api/v3/b2_get_upload_url`, {
      method: 'POST',
      headers: { authorization: auth.authorizationToken },
      body: JSON.stringify({ bucketId: buckets.buckets[0]!.bucketId }),
    })
  ).json()) as {
    uploadUrl: string;
    authorizationToken: string;
  };
  const ms = await timeCurl([
    '-o',
    '/dev/null',
    '-X',
    'POST',
    '-H',
    `Authorization: ${target.authorizationToken}`,
    '-H',
    'X-Bz-File-Name: curl.bin',
    '-H',
    'Content-Type: b2/x-auto',
    '-H',
    `X-Bz-Content-Sha1: ${sha1}`,
    '-H',
    `Content-Length: ${size}`,
    // -T streams the file (--data-binary would load it into memory first).
    '-T',
    file,
    target.uploadUrl,
  ]);
  const listed = (await (
    await fetch(`${url}/b2api/v3/b2_list_file_names`, {
      method: 'POST',
      headers: { authorization: auth.authorizationToken },
      body: JSON.stringify({ bucketId: buckets.buckets[0]!.bucketId, prefix: 'curl.bin' }),
    })
  ).json()) as {
    files: Array<{ fileId: string }>;
  };
  return { ms, fileId: listed.files[0]!.fileId };
}

async function parent(sizeMiB: number): Promise<number> {
  const verdicts = new Verdicts();
  return withTempDir(async (dir) => {
    const emulator = createEmulator(b2Service, {
      seed: 'demo',
      data: join(dir, 'emulator'),
      options: { maxSmallFileSize: 5_000_000_000 },
    });
    const server = await emulator.listen();
    const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
    try {
      const size = sizeMiB * MiB;
      const file = join(dir, 'source.bin');
      const sha1 = await writeFileOfSize(file, size);
      const small = join(dir, 'small.bin');
      await writeFileOfSize(small, 100 * MiB);
      const curlUp = await curlUpload(server.url, keyId, key, file, sha1, size);
      const auth = (await (
        await fetch(`${server.url}/b2api/v3/b2_authorize_account`, {
          headers: { authorization: `Basic ${Buffer.from(`${keyId}:${key}`).toString('base64')}` },
        })
      ).json()) as {
        authorizationToken: string;
      };
      const curlDownMs = await timeCurl([
        '-o',
        join(dir, 'curl-down.bin'),
        '-H',
        `Authorization: ${auth.authorizationToken}`,
        `${server.url}/b2api/v3/b2_download_file_by_id?fileId=${encodeURIComponent(curlUp.fileId)}`,
      ]);
      const big = await runChild(script, [
        server.url,
        keyId,
        key,
        file,
        'client.bin',
        join(dir, 'client-down.bin'),
      ]);
      const hundred = await runChild(script, [
        server.url,
        keyId,
        key,
        small,
        'client-small.bin',
        join(dir, 'client-small-down.bin'),
      ]);
      const check = createHash('sha1');
      for await (const chunk of createReadStream(join(dir, 'client-down.bin'))) check.update(chunk as Buffer);
      if (check.digest('hex') !== sha1) throw new Error('downloaded bytes differ');
      const upMs = big.upMs as number;
      const downMs = big.downMs as number;
      process.stdout.write(
        `b2 ${mib(size)}: upload curl ${throughput(size, curlUp.ms)} vs mediaferry (4 parts) ${throughput(size, upMs)}; download curl ${throughput(size, curlDownMs)} vs mediaferry ${throughput(size, downMs)}\n`,
      );
      verdicts.check(
        'upload throughput vs curl',
        `${(curlUp.ms / upMs).toFixed(2)}×`,
        curlUp.ms / upMs >= 0.5,
        '≥ 0.5×',
      );
      verdicts.check(
        'download throughput vs curl',
        `${(curlDownMs / downMs).toFixed(2)}×`,
        curlDownMs / downMs >= 0.3,
        '≥ 0.3×',
      );
      verdicts.check(`peak RSS at ${mib(size)}`, mib(big.maxRss), big.maxRss <= 150 * MiB, '≤ 150 MiB');
      verdicts.check(
        'RSS growth 100 MiB → full size',
        mib(big.maxRss - hundred.maxRss),
        big.maxRss - hundred.maxRss <= 32 * MiB,
        '≤ 32 MiB (flat)',
      );
    } finally {
      await emulator.close();
    }
    return verdicts.failed;
  });
}

if (process.argv[2] === '--child') {
  const [, , , url, keyId, key, file, name, dest] = process.argv;
  await child(url!, keyId!, key!, file!, name!, dest!);
} else {
  process.exitCode = (await parent(Number(process.argv[2] ?? 1024))) === 0 ? 0 : 1;
}

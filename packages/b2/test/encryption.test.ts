/**
 * Server-side encryption through the client against the B2 emulator: SSE-B2 (bucket default and per file)
 * and SSE-C (the caller's key on upload, parts, copy, head and download); a download without the key gets
 * B2's error, and the key never shows up in an error or a log line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAll } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, BadRequestError, type CustomerKey } from '../src/index.js';
import { bytes, setup, sha1 } from './support/emulator.js';

const customerKey = (): CustomerKey => ({ mode: 'SSE-C', customerKey: randomBytes(32) });

describe('SSE-B2', () => {
  it('per file on small and large uploads; a bucket default applies to files that ask nothing', async () => {
    const { client, bucketId } = await setup();
    const small = await client.files
      .upload({ bucketId, fileName: 'e.txt', source: bytes(10), serverSideEncryption: { mode: 'SSE-B2' } })
      .done();
    expect(small.serverSideEncryption).toMatchObject({ mode: 'SSE-B2', algorithm: 'AES256' });
    const large = await client.files
      .upload({ bucketId, fileName: 'e.bin', source: bytes(9000), serverSideEncryption: { mode: 'SSE-B2' } })
      .done();
    expect(large.serverSideEncryption?.mode).toBe('SSE-B2');
    const head = await client.files.head({ fileId: large.fileId! });
    expect(head.serverSideEncryption).toBe('SSE-B2');

    const bucket = await client.buckets.create({
      bucketName: 'encrypted-bucket',
      bucketType: 'allPrivate',
      defaultServerSideEncryption: { mode: 'SSE-B2' },
    });
    expect(bucket.defaultServerSideEncryption?.value).toMatchObject({ mode: 'SSE-B2' });
    const plain = await client.files
      .upload({ bucketId: bucket.bucketId, fileName: 'p.txt', source: bytes(3) })
      .done();
    expect(plain.serverSideEncryption?.mode).toBe('SSE-B2');
    const off = await client.buckets.update({
      bucketId: bucket.bucketId,
      defaultServerSideEncryption: { mode: null },
    });
    expect(off.defaultServerSideEncryption?.value?.mode ?? null).toBe(null);
  });
});

describe('SSE-C', () => {
  it('round trip of a small file: upload, head and download with the key; without it, B2’s 400', async () => {
    const { client, bucketId } = await setup();
    const key = customerKey();
    const data = bytes(500);
    const file = await client.files
      .upload({ bucketId, fileName: 'c.txt', source: data, serverSideEncryption: key })
      .done();
    expect(file.serverSideEncryption?.mode).toBe('SSE-C');
    const download = await client.files.download({ fileId: file.fileId! }, { serverSideEncryption: key });
    expect(download.serverSideEncryption).toBe('SSE-C');
    expect(await readAll(download.body)).toEqual(data);
    const head = await client.files.head(
      { bucketName: 'mediaferry-demo', fileName: 'c.txt' },
      { serverSideEncryption: key },
    );
    expect(head.size).toBe(500);
    const without = await client.files.download({ fileId: file.fileId! }).catch((e: unknown) => e);
    expect(without).toBeInstanceOf(BadRequestError);
    const wrong = await client.files
      .download({ fileId: file.fileId! }, { serverSideEncryption: customerKey() })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(AccessDeniedError);
    const secret = Buffer.from(key.customerKey).toString('base64');
    expect(`${String(without)} ${JSON.stringify(without)} ${String(wrong)}`).not.toContain(secret);
  });

  it('a large file: parts carry the key, downloadToFile by name and in parallel ranges', async () => {
    const { client, bucketId, calls } = await setup();
    const key = customerKey();
    const data = bytes(10_000, 2);
    const file = await client.files
      .upload({
        bucketId,
        fileName: 'big.bin',
        source: data,
        serverSideEncryption: key,
        info: { large_file_sha1: sha1(data) },
      })
      .done();
    expect(calls('b2_upload_part')).toHaveLength(3);
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-ssec-'));
    await client.files
      .downloadToFile({ bucketName: 'mediaferry-demo', fileName: 'big.bin' }, join(dir, 'a.bin'), {
        serverSideEncryption: key,
      })
      .done();
    await client.files
      .downloadToFile({ fileId: file.fileId! }, join(dir, 'b.bin'), {
        serverSideEncryption: key,
        concurrency: 3,
        partSize: 4000,
      })
      .done();
    expect(sha1(await readFile(join(dir, 'a.bin')))).toBe(sha1(data));
    expect(sha1(await readFile(join(dir, 'b.bin')))).toBe(sha1(data));
  });

  it('copies: an SSE-C source needs its key; the copy gets its own (whole file and in parts)', async () => {
    const { client, bucketId } = await setup();
    const sourceKey = customerKey();
    const targetKey = customerKey();
    const data = bytes(9000, 3);
    const source = await client.files
      .upload({ bucketId, fileName: 's.bin', source: data, serverSideEncryption: sourceKey })
      .done();
    const refused = client.files.copy({ sourceFileId: source.fileId!, fileName: 'x.bin', partSize: 100_000 });
    await expect(refused.done()).rejects.toBeInstanceOf(BadRequestError);
    for (const partSize of [100_000, 4000]) {
      const copy = await client.files
        .copy({
          sourceFileId: source.fileId!,
          fileName: `copy-${partSize}.bin`,
          sourceServerSideEncryption: sourceKey,
          serverSideEncryption: targetKey,
          partSize,
        })
        .done();
      expect(copy.serverSideEncryption?.mode).toBe('SSE-C');
      const back = await client.files.download({ fileId: copy.fileId! }, { serverSideEncryption: targetKey });
      expect(await readAll(back.body)).toEqual(data);
    }
  });

  it('a key that is not 32 bytes is refused before any request', async () => {
    const { client, bucketId, calls } = await setup();
    const short = { mode: 'SSE-C' as const, customerKey: new Uint8Array(31) };
    const upload = client.files.upload({
      bucketId,
      fileName: 'k.txt',
      source: bytes(3),
      serverSideEncryption: short,
    });
    await expect(upload.done()).rejects.toMatchObject({ field: 'serverSideEncryption.customerKey' });
    await expect(
      client.files.download({ fileId: 'f' }, { serverSideEncryption: short }),
    ).rejects.toMatchObject({
      field: 'serverSideEncryption.customerKey',
    });
    const copy = client.files.copy({ sourceFileId: 'f', fileName: 'c', sourceServerSideEncryption: short });
    await expect(copy.done()).rejects.toMatchObject({ field: 'sourceServerSideEncryption.customerKey' });
    await expect(
      client.buckets.create({
        bucketName: 'ssec-default',
        bucketType: 'allPrivate',
        defaultServerSideEncryption: { mode: 'SSE-C' } as unknown as { mode: 'SSE-B2' },
      }),
    ).rejects.toMatchObject({ field: 'defaultServerSideEncryption' });
    expect(calls()).toEqual([]);
  });
});

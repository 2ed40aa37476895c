/**
 * The transfer manager against the B2 emulator: large files from disk and from streams, B2's retry rules
 * (spec §3.6 and the §5.3 fault matrix), and downloads to a file (resumed, parallel ranges, nothing partial).
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fromPath, ManualClock, readAll } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { CapExceededError, UnauthorizedError } from '../src/index.js';
import { bytes, type Setup, setup, sha1 } from './support/emulator.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'mf-b2-'));
const contentOf = async (context: Setup, fileName: string) =>
  readAll((await context.client.files.download({ bucketName: 'mediaferry-demo', fileName })).body);

describe('large uploads', () => {
  it('uploads a file from disk in parallel parts and saves back the same bytes', async () => {
    const { client, bucketId, calls } = await setup();
    const data = bytes(10_500, 3);
    const dir = await tempDir();
    await writeFile(join(dir, 'big.bin'), data);
    const progress: number[] = [];
    const file = await client.files
      .upload({
        bucketId,
        fileName: 'big.bin',
        source: fromPath(join(dir, 'big.bin')),
        concurrency: 3,
        onProgress: (p) => progress.push(p.loaded),
      })
      .done();
    expect(file).toMatchObject({ contentLength: 10_500, contentSha1: 'none' });
    expect(calls('b2_upload_part')).toHaveLength(3);
    expect(progress.at(-1)).toBe(10_500);
    const saved = await client.files.downloadToFile({ fileId: file.fileId! }, join(dir, 'back.bin')).done();
    expect(saved.size).toBe(10_500);
    expect(await readFile(join(dir, 'back.bin'))).toEqual(Buffer.from(data));
  });

  it('cuts a stream of unknown length into parts; a short stream goes up as a small file', async () => {
    const context = await setup();
    const { client, bucketId, calls } = context;
    const data = bytes(9000, 5);
    const stream = Readable.from([data.subarray(0, 3000), data.subarray(3000, 7000), data.subarray(7000)]);
    const file = await client.files
      .upload({ bucketId, fileName: 'stream.bin', source: stream, partSize: 4000 })
      .done();
    expect(file.contentLength).toBe(9000);
    expect(await contentOf(context, 'stream.bin')).toEqual(data);
    const small = await client.files
      .upload({ bucketId, fileName: 's.txt', source: Readable.from([Buffer.from('tiny')]) })
      .done();
    expect(small.contentSha1).toBe(sha1('tiny'));
    expect(calls('start_large')).toEqual(['b2_start_large_file:200']);
  });

  it('a large upload that fails is cancelled; with resume it is kept and the next call reuses its parts', async () => {
    const context = await setup();
    const { client, bucketId, emulator, calls } = context;
    const data = bytes(12_000, 9);
    emulator.control.faults.add({ on: 'b2_upload_part', status: 400, code: 'bad_request', skip: 1 });
    await expect(
      client.files.upload({ bucketId, fileName: 'c.bin', source: data, concurrency: 1 }).done(),
    ).rejects.toThrow();
    expect(await client.largeFiles.listUnfinished({ bucketId }).toArray({ limit: 10 })).toEqual([]);

    emulator.control.faults.add({ on: 'b2_upload_part', status: 400, code: 'bad_request', skip: 1 });
    const plan = { bucketId, fileName: 'r.bin', source: data, concurrency: 1, resume: true };
    await expect(client.files.upload(plan).done()).rejects.toThrow();
    expect(await client.largeFiles.listUnfinished({ bucketId }).toArray({ limit: 10 })).toHaveLength(1);
    emulator.control.journal.clear();
    const file = await client.files.upload(plan).done();
    expect(file.contentLength).toBe(12_000);
    expect(calls('b2_upload_part')).toHaveLength(2);
    expect(await contentOf(context, 'r.bin')).toEqual(data);
  });

  it('abort() stops a large upload and cancels the unfinished file', async () => {
    const { client, bucketId, emulator } = await setup();
    emulator.control.wireFaults.add({ on: 'b2_upload_part', kind: 'stall', ms: 2_000, count: -1 });
    const upload = client.files.upload({
      bucketId,
      fileName: 'abort.bin',
      source: bytes(12_000),
      concurrency: 2,
    });
    upload.abort();
    await expect(upload.done()).rejects.toMatchObject({ name: 'AbortError' });
    emulator.control.clearFaults();
    expect(await client.largeFiles.listUnfinished({ bucketId }).toArray({ limit: 10 })).toEqual([]);
  });
});

describe('B2 retry rules (spec §3.6, §5.3)', () => {
  const withoutAuth = (calls: Setup['calls']) => calls().filter((c) => !c.startsWith('b2_authorize'));

  it.each([503, 500, 408])('an upload answered %i takes a fresh URL and succeeds', async (status) => {
    const { client, bucketId, emulator, calls } = await setup();
    emulator.control.faults.add({ on: 'b2_upload_file', status });
    const file = await client.files.upload({ bucketId, fileName: 'retry.txt', source: bytes(5) }).done();
    expect(file.contentSha1).toBe(sha1(bytes(5)));
    expect(withoutAuth(calls)).toEqual([
      'b2_get_upload_url:200',
      `b2_upload_file:${status}:injected`,
      'b2_get_upload_url:200',
      'b2_upload_file:200',
    ]);
  });

  it('a connection reset mid-request and one before the response both take a fresh URL', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    emulator.control.wireFaults.add({ on: 'b2_upload_file', kind: 'reset_mid_request', afterBytes: 2 });
    emulator.control.wireFaults.add({ on: 'b2_upload_file', kind: 'reset_before_response', skip: 1 });
    await client.files.upload({ bucketId, fileName: 'reset.txt', source: bytes(11) }).done();
    expect(calls('b2_upload_file')).toEqual([
      'b2_upload_file:0:reset_mid_request',
      'b2_upload_file:0:reset_before_response',
      'b2_upload_file:200',
    ]);
    expect(calls('b2_get_upload_url')).toHaveLength(3);
  });

  it('cap exceeded is one attempt and a CapExceededError; 5 attempts at most otherwise', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    emulator.control.faults.add({
      on: 'b2_upload_file',
      status: 403,
      code: 'storage_cap_exceeded',
      count: 1,
    });
    const capped = client.files.upload({ bucketId, fileName: 'cap.txt', source: bytes(1) });
    await expect(capped.done()).rejects.toBeInstanceOf(CapExceededError);
    expect(calls('b2_upload_file')).toEqual(['b2_upload_file:403:injected']);
    emulator.control.faults.add({ on: 'b2_upload_file', status: 503, count: -1 });
    const busy = client.files.upload({ bucketId, fileName: 'x.txt', source: bytes(1) });
    await expect(busy.done()).rejects.toMatchObject({ status: 503, name: 'B2Error' });
    expect(calls('b2_upload_file')).toHaveLength(6);
  });

  it('a restricted key gets UnauthorizedError, not a retry', async () => {
    const { client, connect, bucketId, emulator, calls } = await setup();
    const key = await client.keys.create({ capabilities: ['listFiles'], keyName: 'lister', bucketId });
    const limited = connect({ keyId: key.applicationKeyId, applicationKey: key.applicationKey });
    emulator.control.journal.clear();
    const upload = limited.files.upload({ bucketId, fileName: 'x', source: bytes(1) });
    await expect(upload.done()).rejects.toBeInstanceOf(UnauthorizedError);
    expect(calls()).toEqual(['b2_authorize_account:200', 'b2_get_upload_url:401']);
  });

  it('an upload token rejected as expired (401) takes a fresh URL, without re-authorizing', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    emulator.control.faults.add({ on: 'b2_upload_file', status: 401, code: 'expired_auth_token' });
    await client.files.upload({ bucketId, fileName: 'tok.txt', source: bytes(3) }).done();
    expect(calls('b2_upload_file')).toEqual(['b2_upload_file:401:injected', 'b2_upload_file:200']);
    expect(calls('b2_authorize_account')).toEqual([]);
  });

  it('a stalled upload times out and is retried on a fresh URL', async () => {
    const { connect, bucketId, emulator, calls } = await setup();
    const quick = connect({ clock: new ManualClock(), timeout: 100 });
    emulator.control.wireFaults.add({ on: 'b2_upload_file', kind: 'stall', ms: 5_000 });
    await quick.files.upload({ bucketId, fileName: 'stall.txt', source: bytes(4) }).done();
    // The abandoned first request is journaled when the emulator notices it: wait for that, not a timer.
    for (let i = 0; i < 100 && calls('b2_upload_file').length < 2; i += 1)
      await new Promise((r) => setTimeout(r, 20));
    const uploads = calls('b2_upload_file');
    expect(uploads.filter((u) => /^b2_upload_file:\d+:stall$/.test(u))).toHaveLength(1);
    expect(uploads).toContain('b2_upload_file:200');
    expect(calls('b2_get_upload_url')).toHaveLength(2);
  });

  it('a failed part is retried alone, on a fresh part URL, and the file is intact', async () => {
    const context = await setup();
    const { client, bucketId, emulator, calls } = context;
    const data = bytes(9000, 8);
    emulator.control.faults.add({ on: 'b2_upload_part', status: 503, skip: 1 });
    await client.files.upload({ bucketId, fileName: 'partretry.bin', source: data, concurrency: 1 }).done();
    expect(calls('b2_upload_part')).toEqual([
      'b2_upload_part:200',
      'b2_upload_part:503:injected',
      'b2_upload_part:200',
      'b2_upload_part:200',
    ]);
    expect(calls('b2_get_upload_part_url')).toHaveLength(2);
    expect(sha1(await contentOf(context, 'partretry.bin'))).toBe(sha1(data));
  });

  it('parts cut from a stream are held while they upload, so a failed one is re-sent', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    emulator.control.faults.add({ on: 'b2_upload_part', status: 503, count: 1 });
    const stream = Readable.from([bytes(4000), bytes(4000), bytes(100)]);
    await client.files
      .upload({ bucketId, fileName: 'parts.bin', source: stream, partSize: 4000, concurrency: 1 })
      .done();
    expect(calls('b2_upload_part').filter((c) => c.includes('503'))).toHaveLength(1);
  });

  it('an expired account token is renewed once for many concurrent calls, which are replayed', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    await client.files.list({ bucketId }).toArray({ limit: 10 });
    emulator.control.clock.advance(86_400_001);
    emulator.control.journal.clear();
    await Promise.all(
      Array.from({ length: 10 }, () => client.files.list({ bucketId }).toArray({ limit: 10 })),
    );
    expect(calls('authorize')).toEqual(['b2_authorize_account:200']);
    expect(calls('b2_list_file_names').filter((c) => c.endsWith(':401'))).toHaveLength(10);
    expect(calls('b2_list_file_names').filter((c) => c.endsWith(':200'))).toHaveLength(10);
  });

  it('honours Retry-After on 429 for API calls', async () => {
    const { client, bucketId, emulator, clock } = await setup();
    emulator.control.faults.add({ on: 'b2_list_file_names', status: 429, retryAfter: 4 });
    await client.files.list({ bucketId }).toArray({ limit: 1 });
    expect(clock.sleeps).toContain(4000);
  });
});

describe('downloads to a file', () => {
  it('resumes a body cut mid-way; a save by name that keeps failing leaves nothing behind', async () => {
    const { client, bucketId, emulator } = await setup();
    const data = bytes(50_000, 4);
    const file = await client.files
      .upload({ bucketId, fileName: 'dl.bin', source: data, partSize: 100_000 })
      .done();
    const dir = await tempDir();
    emulator.control.wireFaults.add({
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 20_000,
    });
    await client.files.downloadToFile({ fileId: file.fileId! }, join(dir, 'ok.bin')).done();
    expect(sha1(await readFile(join(dir, 'ok.bin')))).toBe(sha1(data));
    // A save by name pins the version it described: the bytes come by file id.
    emulator.control.wireFaults.add({
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 100,
      count: -1,
    });
    const failing = client.files.downloadToFile(
      { bucketName: 'mediaferry-demo', fileName: 'dl.bin' },
      join(dir, 'bad.bin'),
    );
    await expect(failing.done()).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['ok.bin']);
  });

  it('with resume, a failed save keeps its part and the next one continues from it', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    const data = bytes(50_000, 5);
    const file = await client.files
      .upload({ bucketId, fileName: 'keep.bin', source: data, partSize: 100_000 })
      .done();
    const dir = await tempDir();
    // The first answer is cut after 30 000 bytes, and every resume of it at once.
    emulator.control.wireFaults.add({
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 30_000,
    });
    emulator.control.wireFaults.add({
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 1,
      skip: 1,
      count: -1,
    });
    const first = client.files.downloadToFile({ fileId: file.fileId! }, join(dir, 'keep.bin'), {
      resume: true,
    });
    await expect(first.done()).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['keep.bin.mfpart']);
    const kept = (await readFile(join(dir, 'keep.bin.mfpart'))).byteLength;
    expect(kept).toBeGreaterThanOrEqual(30_000);
    emulator.control.clearFaults();
    emulator.control.journal.clear();
    const saved = await client.files
      .downloadToFile({ fileId: file.fileId! }, join(dir, 'keep.bin'), { resume: true })
      .done();
    expect(saved.resumedFrom).toBe(kept);
    expect(sha1(await readFile(join(dir, 'keep.bin')))).toBe(sha1(data));
    expect(calls('b2_download_file_by_id')).toEqual(['b2_download_file_by_id:206']);
  });

  it('with concurrency, fetches ranges in parallel and verifies the large_file_sha1', async () => {
    const { client, bucketId, calls } = await setup();
    const data = bytes(20_000, 6);
    const file = await client.files
      .upload({ bucketId, fileName: 'par.bin', source: data, info: { large_file_sha1: sha1(data) } })
      .done();
    const dir = await tempDir();
    const progress: number[] = [];
    await client.files
      .downloadToFile({ fileId: file.fileId! }, join(dir, 'par.bin'), {
        concurrency: 4,
        partSize: 3000,
        onProgress: (p) => progress.push(p.loaded),
      })
      .done();
    expect(sha1(await readFile(join(dir, 'par.bin')))).toBe(sha1(data));
    expect(calls('b2_download_file_by_id')).toHaveLength(7);
    expect(progress.at(-1)).toBe(20_000);
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AuthenticationError, fromPath, InvalidInputError, ManualClock, readAll } from '@mediaferry/core';
import { b2Service, createEmulator } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import {
  B2Client,
  CapExceededError,
  DuplicateBucketNameError,
  type FileVersion,
  UnauthorizedError,
} from '../src/index.js';

const REALM = 'http://b2.test';
const sha1 = (data: Uint8Array | string) => createHash('sha1').update(data).digest('hex');
const bytes = (size: number, seed = 1) =>
  Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) % 251);

async function setup(emulatorOptions: Record<string, unknown> = {}) {
  const emulator = createEmulator(b2Service, {
    seed: 'demo',
    options: { absoluteMinimumPartSize: 1000, recommendedPartSize: 4000, ...emulatorOptions },
  });
  const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
  const clock = new ManualClock(Date.now());
  const client = new B2Client({
    applicationKeyId: keyId,
    applicationKey: key,
    realm: REALM,
    fetch: emulator.fetch,
    clock,
  });
  const bucket = (await client.getBucketByName('mediaferry-demo'))!;
  const calls = (filter?: string) =>
    emulator.control.journal
      .entries()
      .filter(
        (e) => !filter || (filter.startsWith('b2_') ? e.endpoint === filter : e.endpoint.includes(filter)),
      )
      .map((e) => `${e.endpoint}:${e.status}${e.fault ? `:${e.fault}` : ''}`);
  emulator.control.journal.clear();
  return { emulator, client, clock, bucket, calls, keyId, key };
}

describe('B2Client basics', () => {
  it('uploads small files with info and odd names, downloads them by name and id, SHA-1 checked', async () => {
    const { client, bucket } = await setup();
    const data = bytes(3000);
    const file = await client.uploadFile(bucket.bucketId, 'clips/a b+c ü.bin', data, {
      info: { author: 'ferry ✓' },
      contentType: 'video/mp4',
    });
    expect(file).toMatchObject({
      fileName: 'clips/a b+c ü.bin',
      contentLength: 3000,
      contentSha1: sha1(data),
      contentType: 'video/mp4',
    });
    expect(file.uploadTimestamp).toBeInstanceOf(Date);
    const byName = await client.downloadFileByName('clips/a b+c ü.bin', 'mediaferry-demo');
    expect(byName.data).toEqual(data);
    expect(byName.info).toEqual({ author: 'ferry ✓' });
    expect((await client.downloadFileById(file.fileId!)).fileName).toBe('clips/a b+c ü.bin');
    const ranged = await client.downloadFileById(file.fileId!, { range: { start: 10, end: 19 } });
    expect(ranged.data).toEqual(data.subarray(10, 20));
    const chunks: number[] = [];
    for await (const chunk of client.downloadFromNameIterate('mediaferry-demo', 'clips/a b+c ü.bin', {
      chunkSize: 1024,
    }))
      chunks.push(chunk.byteLength);
    expect(chunks).toEqual([1024, 1024, 952]);
  });

  it('lists with pagination, prefixes and folders; hides and deletes versions', async () => {
    const { client, bucket, calls } = await setup();
    for (const name of ['p/1', 'p/2', 'p/3', 'p/sub/4', 'q'])
      await client.uploadFile(bucket.bucketId, name, name);
    const listed = await client
      .listFileNames(bucket.bucketId, { prefix: 'p/', pageSize: 2 })
      .toArray({ limit: 100 });
    expect(listed.map((f) => f.fileName)).toEqual(['p/1', 'p/2', 'p/3', 'p/sub/4']);
    expect(calls('list_file_names')).toHaveLength(2);
    const folders = await client
      .listFileNames(bucket.bucketId, { prefix: 'p/', delimiter: '/' })
      .toArray({ limit: 100 });
    expect(folders.map((f) => `${f.fileName}:${f.action}`)).toEqual([
      'p/1:upload',
      'p/2:upload',
      'p/3:upload',
      'p/sub/:folder',
    ]);
    await client.hideFile(bucket.bucketId, 'q');
    const versions = await client
      .listFileVersions(bucket.bucketId, { prefix: 'q', pageSize: 1 })
      .toArray({ limit: 10 });
    expect(versions.map((v) => v.action)).toEqual(['hide', 'upload']);
    for (const v of versions) await client.deleteFile(v.fileName, v.fileId!);
    expect(await client.listFileVersions(bucket.bucketId, { prefix: 'q' }).toArray({ limit: 10 })).toEqual(
      [],
    );
  });

  it('buckets and keys: create, list, update, delete; the key secret is returned once', async () => {
    const { client } = await setup();
    const created = await client.createBucket('ferry-test-bucket', 'allPrivate', {
      bucketInfo: { team: 'ferry' },
    });
    await expect(client.createBucket('ferry-test-bucket', 'allPrivate')).rejects.toBeInstanceOf(
      DuplicateBucketNameError,
    );
    const updated = await client.updateBucket(created.bucketId, { bucketType: 'allPublic' });
    expect(updated.revision).toBe(created.revision + 1);
    const names = [];
    for await (const b of client.buckets()) names.push(b.bucketName);
    expect(names).toContain('ferry-test-bucket');
    const key = await client.createKey(['listFiles', 'readFiles'], 'reader', { bucketId: created.bucketId });
    expect(key.applicationKey).toMatch(/^K/);
    const ids = [];
    for await (const k of client.keys()) ids.push(k.applicationKeyId);
    expect(ids).toContain(key.applicationKeyId);
    await client.key.delete(key.applicationKeyId);
    await client.deleteBucket(created.bucketId);
    expect((await client.listBuckets()).map((b) => b.bucketName)).not.toContain('ferry-test-bucket');
  });

  it('a restricted key gets UnauthorizedError, not a retry', async () => {
    const { client, bucket, emulator, calls } = await setup();
    const key = await client.createKey(['listFiles'], 'lister', { bucketId: bucket.bucketId });
    const limited = new B2Client({
      applicationKeyId: key.applicationKeyId,
      applicationKey: key.applicationKey,
      realm: REALM,
      fetch: emulator.fetch,
      clock: new ManualClock(),
    });
    emulator.control.journal.clear();
    await expect(limited.uploadFile(bucket.bucketId, 'x', 'x')).rejects.toBeInstanceOf(UnauthorizedError);
    expect(calls()).toEqual(['b2_authorize_account:200', 'b2_get_upload_url:401']);
  });

  it('validates input before any request', async () => {
    const { client, bucket, calls } = await setup();
    await expect(client.createBucket('b2-nope', 'allPrivate')).rejects.toThrow(InvalidInputError);
    await expect(client.uploadFile(bucket.bucketId, '', 'x')).rejects.toThrow(/fileName/);
    await expect(
      client.uploadFile(bucket.bucketId, 'a', 'x', {
        info: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])),
      }),
    ).rejects.toThrow(/at most 10/);
    await expect(client.uploadFile(bucket.bucketId, 'a\u0001', 'x')).rejects.toThrow(/control/);
    await expect(client.copyPart('x', 'y', 10_001)).rejects.toThrow(/partNumber/);
    expect(() => new B2Client({ applicationKeyId: '', applicationKey: 'k', realm: REALM })).toThrow(
      /applicationKeyId/,
    );
    expect(calls()).toEqual([]);
  });

  it('a wrong key is an AuthenticationError and the key never shows up in it', async () => {
    const { emulator, keyId } = await setup();
    const wrong = new B2Client({
      applicationKeyId: keyId,
      applicationKey: 'K002-not-the-key',
      realm: REALM,
      fetch: emulator.fetch,
    });
    const error = await wrong.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error) + String(error)).not.toContain('K002-not-the-key');
  });
});

describe('B2Client large files', () => {
  it('uploads a file from disk in parallel parts and reads back the same bytes', async () => {
    const { client, bucket, calls } = await setup();
    const data = bytes(10_500, 3);
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-'));
    await writeFile(join(dir, 'big.bin'), data);
    const progress: number[] = [];
    const file = await client.uploadFile(bucket.bucketId, 'big.bin', fromPath(join(dir, 'big.bin')), {
      concurrency: 3,
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(file).toMatchObject({ contentLength: 10_500, contentSha1: 'none' });
    expect(calls('b2_upload_part')).toHaveLength(3);
    expect(progress.at(-1)).toBe(10_500);
    const saved = await client.saveFile({ fileId: file.fileId! }, join(dir, 'back.bin'));
    expect(saved.size).toBe(10_500);
    expect(await readFile(join(dir, 'back.bin'))).toEqual(Buffer.from(data));
  });

  it('cuts a stream of unknown length into parts', async () => {
    const { client, bucket } = await setup();
    const data = bytes(9000, 5);
    const stream = Readable.from([data.subarray(0, 3000), data.subarray(3000, 7000), data.subarray(7000)]);
    const file = await client.uploadFile(bucket.bucketId, 'stream.bin', stream, { partSize: 4000 });
    expect(file.contentLength).toBe(9000);
    expect(await client.downloadFromName('mediaferry-demo', 'stream.bin')).toEqual(data);
  });

  it('a stream shorter than a part goes up as a small file', async () => {
    const { client, bucket, calls } = await setup();
    const file = await client.uploadFile(bucket.bucketId, 's.txt', Readable.from([Buffer.from('tiny')]));
    expect(file.contentSha1).toBe(sha1('tiny'));
    expect(calls('start_large')).toEqual([]);
  });

  it('LargeFile (aiob2): uploadPart, finish; finish refuses a single part before any request', async () => {
    const { client, bucket } = await setup();
    const large = await client.startLargeFileUpload(bucket.bucketId, 'manual.bin');
    await large.uploadPart(bytes(1000, 1), 1);
    await expect(large.finish()).rejects.toThrow(/at least 2 parts/);
    await large.uploadPart(bytes(10, 2), 2);
    const file = await large.finish();
    expect(file.contentLength).toBe(1010);
    await expect(large.cancel()).rejects.toThrow(/already finished/);
  });

  it('a large upload that fails is cancelled; with resume it is kept and the next call reuses its parts', async () => {
    const { client, bucket, emulator, calls } = await setup();
    const data = bytes(12_000, 9);
    emulator.control.faults.add({ on: 'b2_upload_part', status: 400, code: 'bad_request', skip: 1 });
    await expect(client.uploadFile(bucket.bucketId, 'c.bin', data, { concurrency: 1 })).rejects.toThrow();
    expect(await client.listUnfinishedLargeFiles(bucket.bucketId).toArray({ limit: 10 })).toEqual([]);

    emulator.control.faults.add({ on: 'b2_upload_part', status: 400, code: 'bad_request', skip: 1 });
    await expect(
      client.uploadFile(bucket.bucketId, 'r.bin', data, { concurrency: 1, resume: true }),
    ).rejects.toThrow();
    expect(await client.listUnfinishedLargeFiles(bucket.bucketId).toArray({ limit: 10 })).toHaveLength(1);
    emulator.control.journal.clear();
    const file = await client.uploadFile(bucket.bucketId, 'r.bin', data, { concurrency: 1, resume: true });
    expect(file.contentLength).toBe(12_000);
    expect(calls('b2_upload_part')).toHaveLength(2);
    expect(await client.downloadFromName('mediaferry-demo', 'r.bin')).toEqual(data);
  });
});

describe('B2Client resilience (spec §3.6, §5.3)', () => {
  const journalAfter = (calls: (f?: string) => string[]) =>
    calls().filter((c) => !c.startsWith('b2_authorize'));

  it.each([503, 500, 408])('an upload answered %i takes a fresh URL and succeeds', async (status) => {
    const { client, bucket, emulator, calls } = await setup();
    emulator.control.faults.add({ on: 'b2_upload_file', status });
    const file = await client.uploadFile(bucket.bucketId, 'retry.txt', 'hello');
    expect(file.contentSha1).toBe(sha1('hello'));
    expect(journalAfter(calls)).toEqual([
      'b2_get_upload_url:200',
      `b2_upload_file:${status}:injected`,
      'b2_get_upload_url:200',
      'b2_upload_file:200',
    ]);
  });

  it('a connection reset mid-request and one before the response both take a fresh URL', async () => {
    const { client, bucket, emulator, calls } = await setup();
    emulator.control.wireFaults.add({ on: 'b2_upload_file', kind: 'reset_mid_request', afterBytes: 2 });
    emulator.control.wireFaults.add({ on: 'b2_upload_file', kind: 'reset_before_response', skip: 1 });
    await client.uploadFile(bucket.bucketId, 'reset.txt', 'hello world');
    expect(calls('b2_upload_file')).toEqual([
      'b2_upload_file:0:reset_mid_request',
      'b2_upload_file:0:reset_before_response',
      'b2_upload_file:200',
    ]);
    expect(calls('b2_get_upload_url')).toHaveLength(3);
  });

  it('cap exceeded is one attempt and a CapExceededError', async () => {
    const { client, bucket, emulator, calls } = await setup();
    emulator.control.faults.add({
      on: 'b2_upload_file',
      status: 403,
      code: 'storage_cap_exceeded',
      count: -1,
    });
    await expect(client.uploadFile(bucket.bucketId, 'cap.txt', 'x')).rejects.toBeInstanceOf(CapExceededError);
    expect(calls('b2_upload_file')).toEqual(['b2_upload_file:403:injected']);
  });

  it('gives up after 5 upload attempts', async () => {
    const { client, bucket, emulator, calls } = await setup();
    emulator.control.faults.add({ on: 'b2_upload_file', status: 503, count: -1 });
    await expect(client.uploadFile(bucket.bucketId, 'x.txt', 'x')).rejects.toMatchObject({ status: 503 });
    expect(calls('b2_upload_file')).toHaveLength(5);
  });

  it('never re-sends a one-shot stream after a failed upload', async () => {
    const { client, bucket, emulator, calls } = await setup();
    emulator.control.faults.add({ on: 'b2_upload_part', status: 503, count: 1 });
    const stream = Readable.from([bytes(4000), bytes(4000), bytes(100)]);
    // Parts cut from a stream are held in memory, so they can be re-sent: this succeeds.
    await client.uploadFile(bucket.bucketId, 'parts.bin', stream, { partSize: 4000, concurrency: 1 });
    expect(calls('b2_upload_part').filter((c) => c.includes('503'))).toHaveLength(1);
  });

  it('an expired account token is renewed once for many concurrent calls, which are replayed', async () => {
    const { client, bucket, emulator, calls } = await setup();
    await client.listFileNames(bucket.bucketId).toArray({ limit: 10 });
    emulator.control.clock.advance(86_400_001);
    emulator.control.journal.clear();
    await Promise.all(
      Array.from({ length: 10 }, () => client.listFileNames(bucket.bucketId).toArray({ limit: 10 })),
    );
    expect(calls('authorize')).toEqual(['b2_authorize_account:200']);
    expect(calls('b2_list_file_names').filter((c) => c.endsWith(':401'))).toHaveLength(10);
    expect(calls('b2_list_file_names').filter((c) => c.endsWith(':200'))).toHaveLength(10);
  });

  it('honours Retry-After on 429 for API calls', async () => {
    const { client, bucket, emulator, clock } = await setup();
    emulator.control.faults.add({ on: 'b2_list_file_names', status: 429, retryAfter: 4 });
    await client.listFileNames(bucket.bucketId).toArray({ limit: 1 });
    expect(clock.sleeps).toContain(4000);
  });

  it('saveFile resumes a download cut mid-body and leaves no partial file when it keeps failing', async () => {
    const { client, bucket, emulator } = await setup();
    const data = bytes(50_000, 4);
    const file = (await client.uploadFile(bucket.bucketId, 'dl.bin', data, {
      partSize: 100_000,
    })) as FileVersion;
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-'));
    emulator.control.wireFaults.add({
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 20_000,
    });
    await client.saveFile({ fileId: file.fileId! }, join(dir, 'ok.bin'));
    expect(sha1(await readFile(join(dir, 'ok.bin')))).toBe(sha1(data));
    // A save by name pins the version it described: the bytes come by file id.
    emulator.control.wireFaults.add({
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 100,
      count: -1,
    });
    await expect(
      client.saveFile({ bucketName: 'mediaferry-demo', fileName: 'dl.bin' }, join(dir, 'bad.bin')),
    ).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['ok.bin']);
    emulator.control.clearFaults();
    expect(await readAll((await client.download({ fileId: file.fileId! })).body)).toEqual(data);
  });
});

describe('B2Client: more of the §5.3 matrix and the aiob2 handles', () => {
  it('an upload token rejected as expired (401) takes a fresh URL', async () => {
    const { client, bucket, emulator, calls } = await setup();
    emulator.control.faults.add({ on: 'b2_upload_file', status: 401, code: 'expired_auth_token' });
    await client.uploadFile(bucket.bucketId, 'tok.txt', 'abc');
    expect(calls('b2_upload_file')).toEqual(['b2_upload_file:401:injected', 'b2_upload_file:200']);
    expect(calls('b2_authorize_account')).toEqual([]);
  });

  it('a stalled upload times out and is retried on a fresh URL', async () => {
    const { client, bucket, emulator, calls, keyId, key } = await setup();
    void client;
    const quick = new B2Client({
      keyId,
      applicationKey: key,
      realm: REALM,
      fetch: emulator.fetch,
      clock: new ManualClock(),
      timeout: 100,
    });
    emulator.control.wireFaults.add({ on: 'b2_upload_file', kind: 'stall', ms: 5_000 });
    await quick.uploadFile(bucket.bucketId, 'stall.txt', 'slow');
    // What the emulator makes of the abandoned first request (its body cut by the client's timeout), and
    // whether it is journaled before or after the retry, depends on timing; what matters is that one attempt
    // was the stalled one and the retry went through.
    for (let i = 0; i < 100 && calls('b2_upload_file').length < 2; i += 1)
      await new Promise((r) => setTimeout(r, 20));
    const uploads = calls('b2_upload_file');
    expect(uploads).toHaveLength(2);
    expect(uploads.filter((u) => /^b2_upload_file:\d+:stall$/.test(u))).toHaveLength(1);
    expect(uploads).toContain('b2_upload_file:200');
    expect(calls('b2_get_upload_url')).toHaveLength(2);
  });

  it('a failed part is retried alone, on a fresh part URL, and the file is intact', async () => {
    const { client, bucket, emulator, calls } = await setup();
    const data = bytes(9000, 8);
    emulator.control.faults.add({ on: 'b2_upload_part', status: 503, skip: 1 });
    await client.uploadFile(bucket.bucketId, 'partretry.bin', data, { concurrency: 1 });
    expect(calls('b2_upload_part')).toEqual([
      'b2_upload_part:200',
      'b2_upload_part:503:injected',
      'b2_upload_part:200',
      'b2_upload_part:200',
    ]);
    expect(calls('b2_get_upload_part_url')).toHaveLength(2);
    expect(sha1(await client.downloadFromName('mediaferry-demo', 'partretry.bin'))).toBe(sha1(data));
  });

  it('saveFile with concurrency fetches ranges in parallel and verifies the large_file_sha1', async () => {
    const { client, bucket, calls } = await setup();
    const data = bytes(20_000, 6);
    const file = await client.uploadFile(bucket.bucketId, 'par.bin', data, {
      info: { large_file_sha1: sha1(data) },
    });
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-'));
    await client.saveFile({ fileId: file.fileId! }, join(dir, 'par.bin'), { concurrency: 4, partSize: 3000 });
    expect(sha1(await readFile(join(dir, 'par.bin')))).toBe(sha1(data));
    expect(calls('b2_download_file_by_id')).toHaveLength(7);
  });

  it('aiob2 handles: bucket(id), file(id), sourceFile(id), key', async () => {
    const { client, bucket } = await setup();
    const madeBucket = await client.bucket().create('handle-made-bucket', 'allPublic');
    expect(madeBucket.bucketType).toBe('allPublic');
    await client.bucket(madeBucket.bucketId).update({ bucketType: 'allPrivate' });
    await client.bucket(madeBucket.bucketId).delete();
    const handle = client.bucket(bucket.bucketId);
    const uploaded = await handle.upload.data('handle bytes', 'h/one.txt');
    expect((await handle.files.names({ prefix: 'h/' }).toArray({ limit: 5 })).map((f) => f.fileName)).toEqual(
      ['h/one.txt'],
    );
    const file = client.file(uploaded.fileId!);
    expect((await file.info()).contentLength).toBe(12);
    expect(new TextDecoder().decode(await file.download())).toBe('handle bytes');
    const copy = await client.sourceFile(uploaded.fileId!).copy.file('h/two.txt');
    expect(copy.action).toBe('copy');
    const large = await client.startLargeFile(bucket.bucketId, 'h/big.bin');
    await client.sourceFile(uploaded.fileId!).copy.part(large.id, 1, { range: { start: 0, end: 11 } });
    expect((await client.file(large.id).parts.list().toArray({ limit: 5 })).map((p) => p.partNumber)).toEqual(
      [1],
    );
    await client.file(large.id).parts.cancel();
    const auth = await handle.files.downloadAuthorization('h/', 60);
    expect(auth.fileNamePrefix).toBe('h/');
    const created = await client.key.create(['listFiles'], 'handle-key');
    await client.key.delete(created.applicationKeyId);
    await handle.files.hide('h/one.txt');
    expect(
      (await handle.files.versions({ prefix: 'h/one' }).toArray({ limit: 5 })).map((v) => v.action),
    ).toEqual(['hide', 'upload']);
    await file.delete('h/one.txt');
  });
});

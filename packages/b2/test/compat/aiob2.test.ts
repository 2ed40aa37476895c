/**
 * The aiob2 entry point (`@mediaferry/b2/aiob2`) against the B2 emulator: aiob2 1.0.4's classes, names,
 * argument order, defaults, `(model, handle)` pairs and exceptions, as its docs give them.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiError,
  AuthenticationError,
  BadRequest,
  BadRequestError,
  Bucket,
  BucketModel,
  BucketTypes,
  Client,
  client,
  File,
  FileDeleteModel,
  FileModel,
  Forbidden,
  GetDowloadAuthModel,
  GetUploadUrlModel,
  InternalError,
  InternalServerError,
  InvalidAuthorization,
  InvalidInputError,
  InvalidPartNumber,
  KeyModel,
  NoSuchFile,
  NotFoundError,
  PartDeleteModel,
  PartModel,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeout,
  RequestTimeoutError,
  ServiceUnavailable,
  ServiceUnavailableError,
  TooManyRequests,
  UndefinedError,
} from '@mediaferry/b2/aiob2';
import { ManualClock } from '@mediaferry/core';
import { b2Service, createEmulator } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import { CapExceededError } from '../../src/index.js';
import { bytes, sha1 } from '../support/emulator.js';

async function setup(chunkSize?: number) {
  const emulator = createEmulator(b2Service, {
    seed: 'demo',
    options: { absoluteMinimumPartSize: 1000, recommendedPartSize: 4000 },
  });
  const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
  const options = { baseUrl: 'http://b2.test', fetch: emulator.fetch, clock: new ManualClock(Date.now()) };
  const B2 = client(keyId, key, 100, chunkSize, options);
  await B2.connect();
  let bucketId = '';
  for await (const [data] of B2.buckets())
    if (data.bucketName === 'mediaferry-demo') bucketId = data.bucketId;
  const calls = (endpoint: string) =>
    emulator.control.journal
      .entries()
      .filter((e) => e.endpoint === endpoint)
      .map((e) => e.status);
  return { emulator, B2, bucketId, keyId, key, options, calls };
}

describe('aiob2 client', () => {
  it('client(keyId, applicationKey, maxCache, chunkSize): defaults and connect', async () => {
    const { B2, keyId, key, options } = await setup();
    expect(B2).toBeInstanceOf(Client);
    expect([B2.maxCache, B2.chunkSize]).toEqual([100, 64 * 1024]);
    const wrong = client(keyId, 'K-not-the-key', 100, 1024, options);
    const error = await wrong.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidAuthorization);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String(error)).not.toContain('K-not-the-key');
    // connect(session): the session is a fetch that every request then goes through.
    const seen: string[] = [];
    const session = (input: string | URL | Request, init?: RequestInit) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return options.fetch(input, init);
    };
    const { fetch: _inProcess, ...withoutFetch } = options;
    const again = client(keyId, key, 100, 1024, withoutFetch);
    await again.connect(session);
    expect(seen.some((url) => url.endsWith('/b2_authorize_account'))).toBe(true);
    await B2.close();
    await B2.connect();
  });

  it('buckets() and keys() are (model, handle) pairs, across all pages', async () => {
    const { B2, bucketId } = await setup();
    const pairs = [];
    for await (const [data, bucket] of B2.buckets()) pairs.push([data, bucket] as const);
    const demo = pairs.find(([data]) => data.bucketName === 'mediaferry-demo')!;
    expect(demo[0]).toBeInstanceOf(BucketModel);
    expect(demo[1]).toBeInstanceOf(Bucket);
    expect(demo[1].bucketId).toBe(bucketId);
    const [created] = await B2.key.create(['listFiles'], 'lister', { bucketId });
    expect(created).toBeInstanceOf(KeyModel);
    expect(created.applicationKey).toEqual(expect.any(String));
    expect(created.expires).toBe(false);
    const keys = [];
    for await (const [data, bucket] of B2.keys({ maxKeyCount: 1 })) keys.push([data, bucket] as const);
    const mine = keys.find(([data]) => data.applicationKeyId === created.applicationKeyId)!;
    expect(mine[1].bucketId).toBe(bucketId);
    const [deleted, deletedBucket] = await B2.key.delete(created.applicationKeyId);
    expect(deleted.keyName).toBe('lister');
    expect(deletedBucket).toBeInstanceOf(Bucket);
  });

  it('downloadFromName and downloadFromNameIterate (chunkSize-byte chunks)', async () => {
    const { B2, bucketId } = await setup(1024);
    const data = bytes(3000);
    await B2.bucket(bucketId).upload.data(data, 'clips/a b+c ü.bin');
    expect(await B2.downloadFromName('mediaferry-demo', 'clips/a b+c ü.bin')).toEqual(data);
    const sizes: number[] = [];
    for await (const chunk of B2.downloadFromNameIterate('mediaferry-demo', 'clips/a b+c ü.bin'))
      sizes.push(chunk.byteLength);
    expect(sizes).toEqual([1024, 1024, 952]);
  });
});

describe('aiob2 Bucket', () => {
  it('bucket().create() sets the handle’s id; delete', async () => {
    const { B2 } = await setup();
    const bucket = B2.bucket();
    const model = await bucket.create('handle-made-bucket', BucketTypes.public, { bucketInfo: { a: 'b' } });
    expect(model).toBeInstanceOf(BucketModel);
    expect(model.bucketType).toBe('allPublic');
    expect(bucket.bucketId).toBe(model.bucketId);
    expect((await bucket.delete()).bucketName).toBe('handle-made-bucket');
  });

  it('upload.get, upload.file, upload.data with aiob2 header kwargs; NoSuchFile for a missing path', async () => {
    const { B2, bucketId } = await setup();
    const bucket = B2.bucket(bucketId);
    const url = await bucket.upload.get();
    expect(url).toBeInstanceOf(GetUploadUrlModel);
    expect(url.bucketId).toBe(bucketId);
    const dir = await mkdtemp(join(tmpdir(), 'mf-aiob2-'));
    await writeFile(join(dir, 'clip.bin'), bytes(9000));
    const [data, file] = await bucket.upload.file('h/clip.bin', join(dir, 'clip.bin'), 'video/mp4', {
      X__Bz__Info__author: 'ferry',
    });
    expect(data).toBeInstanceOf(FileModel);
    expect(data).toMatchObject({ fileName: 'h/clip.bin', contentLength: 9000, contentType: 'video/mp4' });
    expect(data.fileInfo).toEqual({ author: 'ferry' });
    expect(data.timestamp).toBeInstanceOf(Date);
    expect(file).toBeInstanceOf(File);
    expect(file.fileId).toBe(data.fileId);
    const [small] = await bucket.upload.data(new TextEncoder().encode('handle bytes'), 'h/one.txt');
    expect(small).toMatchObject({ contentLength: 12, contentSha1: sha1('handle bytes') });
    await expect(bucket.upload.file('x', join(dir, 'missing.bin'))).rejects.toBeInstanceOf(NoSuchFile);
    await expect(
      bucket.upload.data(bytes(1), 'x', 'b2/x-auto', { 'Content-Disposition': 'a' }),
    ).rejects.toThrow(InvalidInputError);
  });

  it('files: hide, names, versions, unfinishedLargeFiles (pairs, every page), downloadAuthorization', async () => {
    const { B2, bucketId } = await setup();
    const bucket = B2.bucket(bucketId);
    for (const name of ['f/1', 'f/2', 'f/3']) await bucket.upload.data(bytes(3), name);
    const names = [];
    for await (const [data, file] of bucket.files.names({ prefix: 'f/', maxFileCount: 2 }))
      names.push([data.fileName, file.fileId === data.fileId]);
    expect(names).toEqual([
      ['f/1', true],
      ['f/2', true],
      ['f/3', true],
    ]);
    const [hidden, marker] = await bucket.files.hide('f/1');
    expect(hidden.action).toBe('hide');
    expect(marker.fileId).toBe(hidden.fileId);
    const actions = [];
    for await (const [data] of bucket.files.versions({ prefix: 'f/1' })) actions.push(data.action);
    expect(actions).toEqual(['hide', 'upload']);
    const started = await B2.b2.largeFiles.start({ bucketId, fileName: 'f/big.bin' });
    const unfinished = [];
    for await (const [data, file] of bucket.files.unfinishedLargeFiles())
      unfinished.push([data.fileId, file.fileId]);
    expect(unfinished).toEqual([[started.fileId, started.fileId]]);
    const auth = await bucket.files.downloadAuthorization('f/', 60);
    expect(auth).toBeInstanceOf(GetDowloadAuthModel);
    expect(auth.fileNamePrefix).toBe('f/');
  });
});

describe('aiob2 File, SourceFile and parts', () => {
  it('info, download, downloadIterate, save, delete', async () => {
    const { B2, bucketId } = await setup(5);
    const [uploaded] = await B2.bucket(bucketId).upload.data(
      new TextEncoder().encode('handle bytes'),
      'h/one.txt',
    );
    const file = B2.file(uploaded.fileId);
    const [info, bucket] = await file.info();
    expect(info.contentLength).toBe(12);
    expect(bucket.bucketId).toBe(bucketId);
    expect(new TextDecoder().decode(await file.download())).toBe('handle bytes');
    const chunks = [];
    for await (const chunk of file.downloadIterate()) chunks.push(new TextDecoder().decode(chunk));
    expect(chunks).toEqual(['handl', 'e byt', 'es']);
    const dir = await mkdtemp(join(tmpdir(), 'mf-aiob2-'));
    await file.save(join(dir, 'one.txt'));
    expect(await readFile(join(dir, 'one.txt'), 'utf8')).toBe('handle bytes');
    const deleted = await file.delete('h/one.txt');
    expect(deleted).toBeInstanceOf(FileDeleteModel);
  });

  it('sourceFile().copy.file and copy.part; parts.upload.data(data, bytesCount, partNo), list, finish, cancel', async () => {
    const { B2, bucketId, calls } = await setup();
    const [source] = await B2.bucket(bucketId).upload.data(bytes(3000, 4), 's.bin');
    const [copy, copied] = await B2.sourceFile(source.fileId!).copy.file('s-copy.bin', {
      range: 'bytes=0-99',
    });
    expect(copy).toMatchObject({ action: 'copy', contentLength: 100 });
    expect(copied.fileId).toBe(copy.fileId);

    const started = await B2.b2.largeFiles.start({ bucketId, fileName: 'manual.bin' });
    const large = B2.file(started.fileId);
    expect((await large.parts.upload.get()).fileId).toBe(started.fileId);
    const part1 = await large.parts.upload.data(bytes(1500, 5), 1500, 1);
    expect(part1).toBeInstanceOf(PartModel);
    expect(part1).toMatchObject({ partNumber: 1, contentLength: 1500 });
    const [part2, handle] = await B2.sourceFile(source.fileId!).copy.part(started.fileId!, 2, {
      range: 'bytes=0-999',
    });
    expect([part2.partNumber, handle.fileId]).toEqual([2, started.fileId]);
    const listed = [];
    for await (const part of large.parts.list({ maxPartCount: 1 })) listed.push(part.partNumber);
    expect(listed).toEqual([1, 2]);
    const [finished, bucket] = await large.parts.finish([part1.contentSha1, part2.contentSha1]);
    expect(finished.contentLength).toBe(2500);
    expect(bucket.bucketId).toBe(bucketId);

    await expect(large.parts.upload.data(bytes(10), 10, 10_001)).rejects.toBeInstanceOf(InvalidPartNumber);
    await expect(large.parts.upload.data(bytes(10), 9, 3)).rejects.toMatchObject({ field: 'bytesCount' });
    await expect(B2.sourceFile('x').copy.part('y', 0)).rejects.toBeInstanceOf(InvalidPartNumber);
    expect(calls('b2_copy_part')).toEqual([200]);

    const other = await B2.b2.largeFiles.start({ bucketId, fileName: 'cancel.bin' });
    const [cancelled, cancelledBucket] = await B2.file(other.fileId).parts.upload.cancel();
    expect(cancelled).toBeInstanceOf(PartDeleteModel);
    expect(cancelled.fileName).toBe('cancel.bin');
    expect(cancelledBucket.bucketId).toBe(bucketId);
  });
});

describe('aiob2 exceptions', () => {
  it('are thrown by status, each also the core class of its status and the B2 class of its code', async () => {
    const { B2, bucketId, emulator } = await setup();
    const cases = [
      [400, BadRequest, BadRequestError],
      [403, Forbidden, PermissionDeniedError],
      [408, RequestTimeout, RequestTimeoutError],
      [429, TooManyRequests, RateLimitError],
      [500, InternalError, InternalServerError],
      [503, ServiceUnavailable, ServiceUnavailableError],
      [404, UndefinedError, NotFoundError],
    ] as const;
    for (const [status, Aiob2Class, CoreClass] of cases) {
      emulator.control.faults.add({ on: 'b2_list_file_names', status, count: -1, code: `code_${status}` });
      const error = await (async () => {
        for await (const _ of B2.bucket(bucketId).files.names());
      })().catch((e: unknown) => e);
      emulator.control.clearFaults();
      expect(error, String(status)).toBeInstanceOf(Aiob2Class);
      expect(error, String(status)).toBeInstanceOf(CoreClass);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status, code: `code_${status}` });
    }
    emulator.control.faults.add({
      on: 'b2_upload_file',
      status: 403,
      code: 'storage_cap_exceeded',
      count: -1,
    });
    const capped = await B2.bucket(bucketId)
      .upload.data(bytes(1), 'cap')
      .catch((e: unknown) => e);
    expect(capped).toBeInstanceOf(Forbidden);
    expect(capped).toBeInstanceOf(CapExceededError);
  });

  it('can be made by hand, as aiob2’s docs do', () => {
    const error = new BadRequest();
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(new ServiceUnavailable('busy')).toBeInstanceOf(InternalServerError);
    expect(new NoSuchFile('/x')).toBeInstanceOf(InvalidInputError);
    expect(new InvalidPartNumber(0).message).toMatch(/1-10000/);
  });
});

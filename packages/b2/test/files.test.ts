/** `b2.files` against the B2 emulator: upload, download, head, list, hide/unhide, delete, download auth. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError, InvalidInputError, NotFoundError, readAll } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { FileNotHiddenError, FileNotPresentError } from '../src/index.js';
import { bytes, setup, sha1 } from './support/emulator.js';

describe('files: upload and download', () => {
  it('uploads with info and odd names; downloads by name and id with SHA-1 and info; ranges', async () => {
    const { client, bucketId } = await setup();
    const data = bytes(3000);
    const file = await client.files
      .upload({
        bucketId,
        fileName: 'clips/a b+c ü.bin',
        source: data,
        info: { author: 'ferry ✓' },
        contentType: 'video/mp4',
      })
      .done();
    expect(file).toMatchObject({
      fileName: 'clips/a b+c ü.bin',
      contentLength: 3000,
      contentSha1: sha1(data),
      contentType: 'video/mp4',
    });
    expect(file.uploadTimestamp).toBeInstanceOf(Date);
    const byName = await client.files.download({
      bucketName: 'mediaferry-demo',
      fileName: 'clips/a b+c ü.bin',
    });
    expect(byName).toMatchObject({
      status: 200,
      fileId: file.fileId,
      fileName: 'clips/a b+c ü.bin',
      size: 3000,
      contentSha1: sha1(data),
      fileInfo: { author: 'ferry ✓' },
    });
    expect(await readAll(byName.body)).toEqual(data);
    const byId = await client.files.download({ fileId: file.fileId! }, { range: { start: 10, end: 19 } });
    expect(byId.status).toBe(206);
    expect(byId.size).toBe(3000);
    expect(await readAll(byId.body)).toEqual(data.subarray(10, 20));
  });

  it('a string source is a path, never content', async () => {
    const { client, bucketId } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-files-'));
    await writeFile(join(dir, 'clip.txt'), 'from disk');
    const file = await client.files
      .upload({ bucketId, fileName: 'p.txt', source: join(dir, 'clip.txt') })
      .done();
    expect(file.contentSha1).toBe(sha1('from disk'));
    const missing = client.files.upload({ bucketId, fileName: 'q.txt', source: 'not a file on disk' });
    await expect(missing.done()).rejects.toThrow(InvalidInputError);
    await expect(missing.done()).rejects.toMatchObject({ field: 'source' });
  });

  it('uploads by bucket name; progress is monotonic and reaches the size', async () => {
    const { client, calls } = await setup();
    const events: number[] = [];
    const upload = client.files.upload({
      bucketName: 'mediaferry-demo',
      fileName: 'n.bin',
      source: bytes(3500),
      onProgress: (p) => events.push(p.loaded),
    });
    const seen: number[] = [];
    upload.on('progress', (p) => seen.push(p.loaded));
    await upload.done();
    expect(events.at(-1)).toBe(3500);
    expect(seen).toEqual(events);
    expect(upload.progress).toEqual({ loaded: 3500, total: 3500 });
    // The name was looked up once, then remembered.
    await client.files.upload({ bucketName: 'mediaferry-demo', fileName: 'm.bin', source: bytes(10) }).done();
    expect(calls('b2_list_buckets')).toEqual([]);
  });

  it('a download stream whose bytes do not match the SHA-1 errors at its end', async () => {
    const { client, connect, bucketId } = await setup();
    const file = await client.files.upload({ bucketId, fileName: 'x.bin', source: bytes(2000) }).done();
    // A corrupting proxy: same length, one byte changed.
    const corrupting = connect({
      middleware: [
        async (request, next) => {
          const response = await next(request);
          if (!request.url.includes('b2_download_file_by_id')) return response;
          const body = new Uint8Array(await response.arrayBuffer());
          body[100] = (body[100]! + 1) % 256;
          return new Response(body, response);
        },
      ],
    });
    const download = await corrupting.files.download({ fileId: file.fileId! });
    await expect(readAll(download.body)).rejects.toBeInstanceOf(IntegrityError);
    // A range cannot be checked against the whole file's SHA-1: it is handed over as served.
    const range = await corrupting.files.download(
      { fileId: file.fileId! },
      { range: { start: 0, end: 199 } },
    );
    expect(await readAll(range.body)).toHaveLength(200);
  });

  it('head tells size, SHA-1 and info without the bytes; a missing name is a NotFoundError', async () => {
    const { client, bucketId, calls } = await setup();
    await client.files.upload({ bucketId, fileName: 'h.txt', source: bytes(77), info: { k: 'v' } }).done();
    const head = await client.files.head({ bucketName: 'mediaferry-demo', fileName: 'h.txt' });
    expect(head).toMatchObject({
      fileName: 'h.txt',
      size: 77,
      contentSha1: sha1(bytes(77)),
      fileInfo: { k: 'v' },
    });
    expect(calls('download_file_by_name').at(-1)).toBe('download_file_by_name:200');
    const error = await client.files
      .head({ bucketName: 'mediaferry-demo', fileName: 'nope' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('a name with `.`/`..`/empty segments is fetched by id, never as the other file its URL would name', async () => {
    const { client, bucketId, calls } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-dots-'));
    const dotted = bytes(500);
    // As a URL path, `dots/../x.bin` would become `x.bin`: another file, with other bytes.
    await client.files.upload({ bucketId, fileName: 'x.bin', source: bytes(900) }).done();
    await client.files.upload({ bucketId, fileName: 'dots/../x.bin', source: dotted }).done();
    await client.files.upload({ bucketId, fileName: 'a//b.bin', source: bytes(33) }).done();
    const ref = { bucketName: 'mediaferry-demo', fileName: 'dots/../x.bin' };
    expect(await readAll((await client.files.download(ref)).body)).toEqual(dotted);
    expect(await client.files.head(ref)).toMatchObject({ fileName: 'dots/../x.bin', size: 500 });
    const saved = await client.files.downloadToFile(ref, join(dir, 'x.bin')).done();
    expect(saved).toMatchObject({ size: 500, digest: sha1(dotted) });
    const empty = await client.files.download({ bucketName: 'mediaferry-demo', fileName: 'a//b.bin' });
    expect(await readAll(empty.body)).toEqual(bytes(33));
    expect(calls('download_file_by_name')).toEqual([]);
    const missing = await client.files
      .download({ bucketName: 'mediaferry-demo', fileName: 'dots/./nope' })
      .catch((e) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
  });
});

describe('files: listings', () => {
  it('lists names with paging, prefixes and folders; versions newest first', async () => {
    const { client, bucketId, calls } = await setup();
    for (const name of ['p/1', 'p/2', 'p/3', 'p/sub/4', 'q'])
      await client.files.upload({ bucketId, fileName: name, source: bytes(5) }).done();
    const listed = await client.files.list({ bucketId, prefix: 'p/', pageSize: 2 }).toArray({ limit: 100 });
    expect(listed.map((f) => f.fileName)).toEqual(['p/1', 'p/2', 'p/3', 'p/sub/4']);
    expect(calls('b2_list_file_names')).toHaveLength(2);
    const folders = await client.files
      .list({ bucketName: 'mediaferry-demo', prefix: 'p/', delimiter: '/' })
      .toArray({ limit: 100 });
    expect(folders.map((f) => `${f.fileName}:${f.action}`)).toEqual([
      'p/1:upload',
      'p/2:upload',
      'p/3:upload',
      'p/sub/:folder',
    ]);
    const first = await client.files.list({ bucketId, prefix: 'p/', pageSize: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.next).toBe('p/sub/4');
  });

  it('hide, unhide and delete versions; unhide of a name not hidden is FileNotHiddenError', async () => {
    const { client, bucketId } = await setup();
    const uploaded = await client.files.upload({ bucketId, fileName: 'q', source: bytes(5) }).done();
    await client.files.hide({ bucketName: 'mediaferry-demo', fileName: 'q' });
    expect(await client.files.list({ bucketId, prefix: 'q' }).toArray({ limit: 10 })).toEqual([]);
    const versions = await client.files
      .listVersions({ bucketId, prefix: 'q', pageSize: 1 })
      .toArray({ limit: 10 });
    expect(versions.map((v) => v.action)).toEqual(['hide', 'upload']);
    const unhidden = await client.files.unhide({ bucketId, fileName: 'q' });
    expect(unhidden.fileId).toBe(versions[0]!.fileId);
    expect(
      (await client.files.list({ bucketId, prefix: 'q' }).toArray({ limit: 10 })).map((f) => f.fileId),
    ).toEqual([uploaded.fileId]);
    await expect(client.files.unhide({ bucketId, fileName: 'q' })).rejects.toBeInstanceOf(FileNotHiddenError);
    await client.files.delete({ fileName: 'q', fileId: uploaded.fileId! });
    expect(await client.files.listVersions({ bucketId, prefix: 'q' }).toArray({ limit: 10 })).toEqual([]);
    await expect(client.files.delete({ fileName: 'q', fileId: uploaded.fileId! })).rejects.toBeInstanceOf(
      FileNotPresentError,
    );
  });
});

describe('files: download authorization and get', () => {
  it('a download authorization covers a prefix; get answers the version', async () => {
    const { client, bucketId } = await setup();
    const file = await client.files.upload({ bucketId, fileName: 'share/a.txt', source: bytes(9) }).done();
    const auth = await client.files.getDownloadAuthorization({
      bucketName: 'mediaferry-demo',
      fileNamePrefix: 'share/',
      validDurationInSeconds: 60,
    });
    expect(auth).toMatchObject({ bucketId, fileNamePrefix: 'share/' });
    expect(auth.authorizationToken).toEqual(expect.any(String));
    const got = await client.files.get(file.fileId!);
    expect(got).toMatchObject({ fileId: file.fileId, fileName: 'share/a.txt', contentLength: 9 });
  });
});

describe('files: bad input is refused before any request', () => {
  it.each([
    ['an empty name', { fileName: '' }, 'fileName'],
    ['a control character', { fileName: 'a\u0001' }, 'fileName'],
    [
      '11 info entries',
      { info: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
      'info',
    ],
    ['a part size of 0', { partSize: 0 }, 'partSize'],
    ['a concurrency of 1.5', { concurrency: 1.5 }, 'concurrency'],
    [
      'an SSE-C key of 16 bytes',
      { serverSideEncryption: { mode: 'SSE-C', customerKey: new Uint8Array(16) } },
      'serverSideEncryption.customerKey',
    ],
    [
      'a retention without a mode',
      { fileRetention: { mode: 'forever', retainUntilTimestamp: 1 } },
      'fileRetention.mode',
    ],
    ['a legal hold of yes', { legalHold: 'yes' }, 'legalHold'],
  ])('%s', async (_name, change, field) => {
    const { client, bucketId, calls } = await setup();
    const upload = client.files.upload({ bucketId, fileName: 'a', source: bytes(5), ...(change as object) });
    await expect(upload.done()).rejects.toMatchObject({ name: 'InvalidInputError', field });
    expect(calls()).toEqual([]);
  });

  it('listings, downloads and deletes check theirs too', async () => {
    const { client, bucketId, calls } = await setup();
    expect(() => client.files.list({ bucketId, pageSize: 10_001 })).toThrow(/pageSize/);
    await expect(client.files.download({ fileId: 'x' }, { range: { start: 5, end: 2 } })).rejects.toThrow(
      /range/,
    );
    await expect(client.files.delete({ fileName: '', fileId: 'x' })).rejects.toThrow(/fileName/);
    await expect(
      client.files.getDownloadAuthorization({ bucketId, fileNamePrefix: '', validDurationInSeconds: 0 }),
    ).rejects.toThrow(/validDurationInSeconds/);
    expect(calls()).toEqual([]);
  });
});

/**
 * `files.copy` against the B2 emulator: server-side copies, one `b2_copy_file` up to the part size and a
 * large file of parallel `b2_copy_part`s beyond it; no byte passes through the client.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAll } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { bytes, setup, sha1 } from './support/emulator.js';

/** Endpoints that move file bytes through the client. */
const DATA_PATH = /upload_file|upload_part|download/;

describe('files.copy', () => {
  it('a file up to the part size is one b2_copy_file; metadata copied or replaced', async () => {
    const { client, bucketId, calls, emulator } = await setup();
    const data = bytes(3000);
    const source = await client.files
      .upload({ bucketId, fileName: 'a.txt', source: data, contentType: 'text/plain', info: { k: 'v' } })
      .done();
    emulator.control.journal.clear();
    const events: number[] = [];
    const copy = await client.files
      .copy({ sourceFileId: source.fileId!, fileName: 'b.txt', onProgress: (p) => events.push(p.loaded) })
      .done();
    expect(copy).toMatchObject({
      fileName: 'b.txt',
      contentSha1: sha1(data),
      contentType: 'text/plain',
      fileInfo: { k: 'v' },
    });
    expect(events).toEqual([3000]);
    const replaced = await client.files
      .copy({
        sourceFileId: source.fileId!,
        fileName: 'c.txt',
        contentType: 'application/x-ferry',
        fileInfo: {},
      })
      .done();
    expect(replaced).toMatchObject({ contentType: 'application/x-ferry', fileInfo: {} });
    const range = await client.files
      .copy({ sourceFileId: source.fileId!, fileName: 'd.txt', range: { start: 100, end: 199 } })
      .done();
    expect(range.contentSha1).toBe(sha1(data.subarray(100, 200)));
    expect(calls().filter((c) => DATA_PATH.test(c))).toEqual([]);
  });

  it('a bigger file becomes parallel b2_copy_parts of a large file, verified when read back', async () => {
    const { client, bucketId, calls, emulator } = await setup();
    const data = bytes(10_000, 7);
    const source = await client.files
      .upload({ bucketId, fileName: 's.bin', source: data, partSize: 20_000 })
      .done();
    const other = await client.buckets.create({ bucketName: 'copy-target', bucketType: 'allPrivate' });
    emulator.control.journal.clear();
    const progress: number[] = [];
    const copy = client.files.copy({
      sourceFileId: source.fileId!,
      fileName: 'moved/s.bin',
      destinationBucketId: other.bucketId,
      concurrency: 3,
    });
    copy.on('progress', (p) => progress.push(p.loaded));
    const file = await copy.done();
    expect(file).toMatchObject({ bucketId: other.bucketId, fileName: 'moved/s.bin', contentLength: 10_000 });
    // The source's SHA-1 goes with the copy, as large_file_sha1: a large file has none of its own.
    expect(file.fileInfo.large_file_sha1).toBe(sha1(data));
    expect(calls().filter((c) => !c.startsWith('b2_get_file_info'))).toEqual([
      'b2_start_large_file:200',
      'b2_copy_part:200',
      'b2_copy_part:200',
      'b2_copy_part:200',
      'b2_finish_large_file:200',
    ]);
    expect(progress.at(-1)).toBe(10_000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-copy-'));
    await client.files.downloadToFile({ fileId: file.fileId! }, join(dir, 's.bin')).done();
    expect(sha1(await readFile(join(dir, 's.bin')))).toBe(sha1(data));
  });

  it('a range of a big file is copied in parts too, without the source’s large_file_sha1', async () => {
    const { client, bucketId } = await setup();
    const data = bytes(12_000, 8);
    const source = await client.files
      .upload({ bucketId, fileName: 'r.bin', source: data, info: { large_file_sha1: sha1(data) } })
      .done();
    const copy = await client.files
      .copy({ sourceFileId: source.fileId!, fileName: 'r-part.bin', range: { start: 1000, end: 10_999 } })
      .done();
    expect(copy.contentLength).toBe(10_000);
    expect(copy.fileInfo.large_file_sha1).toBeUndefined();
    const back = await client.files.download({ fileId: copy.fileId! });
    expect(await readAll(back.body)).toEqual(data.subarray(1000, 11_000));
  });

  it('a part that fails cancels the large file: nothing half-made is left', async () => {
    const { client, bucketId, emulator } = await setup();
    const source = await client.files.upload({ bucketId, fileName: 'f.bin', source: bytes(9000) }).done();
    emulator.control.faults.add({ on: 'b2_copy_part', status: 400, code: 'bad_request', skip: 1 });
    const copy = client.files.copy({ sourceFileId: source.fileId!, fileName: 'g.bin', concurrency: 1 });
    await expect(copy.done()).rejects.toMatchObject({ status: 400 });
    expect(await client.largeFiles.listUnfinished({ bucketId }).toArray({ limit: 10 })).toEqual([]);
  });

  it('bad input is refused before any request', async () => {
    const { client, calls } = await setup();
    const cases = [
      [{ sourceFileId: '', fileName: 'x' }, 'sourceFileId'],
      [{ sourceFileId: 'f', fileName: '' }, 'fileName'],
      [{ sourceFileId: 'f', fileName: 'x', fileInfo: { a: 'b' } }, 'contentType'],
      [{ sourceFileId: 'f', fileName: 'x', range: { start: 5, end: 1 } }, 'range.end'],
      [{ sourceFileId: 'f', fileName: 'x', partSize: 6_000_000_000 }, 'partSize'],
    ] as const;
    for (const [params, field] of cases)
      await expect(client.files.copy(params).done()).rejects.toMatchObject({ field });
    expect(calls()).toEqual([]);
  });
});

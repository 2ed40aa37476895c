/** `b2.largeFiles`: a large file part by part, for callers who plan their own parts. */
import { readAll } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { bytes, setup, sha1 } from './support/emulator.js';

describe('largeFiles', () => {
  it('start, uploadPart (fresh URL on failure, progress), copyPart, listParts, finish', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    const source = await client.files
      .upload({ bucketId, fileName: 'src.bin', source: bytes(3000, 1) })
      .done();
    const started = await client.largeFiles.start({
      bucketName: 'mediaferry-demo',
      fileName: 'manual.bin',
      contentType: 'application/octet-stream',
      fileInfo: { made: 'by hand' },
    });
    expect(started).toMatchObject({ action: 'start', fileName: 'manual.bin', fileInfo: { made: 'by hand' } });
    emulator.control.faults.add({ on: 'b2_upload_part', status: 503 });
    const progress: number[] = [];
    const first = await client.largeFiles.uploadPart({
      fileId: started.fileId!,
      partNumber: 1,
      source: bytes(1500, 2),
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(first).toMatchObject({ partNumber: 1, contentLength: 1500, contentSha1: sha1(bytes(1500, 2)) });
    expect(calls('b2_upload_part')).toEqual(['b2_upload_part:503:injected', 'b2_upload_part:200']);
    expect(progress.at(-1)).toBe(1500);
    const second = await client.largeFiles.copyPart({
      sourceFileId: source.fileId!,
      largeFileId: started.fileId!,
      partNumber: 2,
      range: { start: 0, end: 999 },
    });
    expect(second.contentLength).toBe(1000);
    const parts = await client.largeFiles
      .listParts({ fileId: started.fileId!, pageSize: 1 })
      .toArray({ limit: 10 });
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2]);
    const file = await client.largeFiles.finish({
      fileId: started.fileId!,
      partSha1Array: parts.map((p) => p.contentSha1),
    });
    expect(file.contentLength).toBe(2500);
    const back = await client.files.download({ fileId: file.fileId! });
    const expected = new Uint8Array([...bytes(1500, 2), ...bytes(3000, 1).subarray(0, 1000)]);
    expect(await readAll(back.body)).toEqual(expected);
  });

  it('listUnfinished (oldest first, paged) and cancel', async () => {
    const { client, bucketId } = await setup();
    const a = await client.largeFiles.start({ bucketId, fileName: 'u/a.bin' });
    const b = await client.largeFiles.start({ bucketId, fileName: 'u/b.bin' });
    const listed = await client.largeFiles
      .listUnfinished({ bucketId, namePrefix: 'u/', pageSize: 1 })
      .toArray({ limit: 10 });
    expect(listed.map((f) => f.fileId)).toEqual([a.fileId, b.fileId]);
    const cancelled = await client.largeFiles.cancel(a.fileId!);
    expect(cancelled).toMatchObject({ fileId: a.fileId, fileName: 'u/a.bin' });
    await client.largeFiles.cancel(b.fileId!);
    expect(await client.largeFiles.listUnfinished({ bucketId }).toArray({ limit: 10 })).toEqual([]);
  });

  it('bad parts are refused before any request', async () => {
    const { client, calls } = await setup();
    await expect(
      client.largeFiles.uploadPart({ fileId: 'f', partNumber: 10_001, source: bytes(3) }),
    ).rejects.toMatchObject({ field: 'partNumber' });
    await expect(
      client.largeFiles.copyPart({ sourceFileId: 's', largeFileId: 'l', partNumber: 0 }),
    ).rejects.toMatchObject({ field: 'partNumber' });
    await expect(
      client.largeFiles.finish({ fileId: 'f', partSha1Array: ['not-a-sha1'] }),
    ).rejects.toMatchObject({ field: 'partSha1Array' });
    expect(() => client.largeFiles.listUnfinished({ bucketId: 'b', pageSize: 101 })).toThrow(/pageSize/);
    expect(calls()).toEqual([]);
  });
});

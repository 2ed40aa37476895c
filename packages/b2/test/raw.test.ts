/** `b2.raw`: one typed function per endpoint, answering an APIPromise of the validated body. */
import { readAll } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { bytes, setup, sha1 } from './support/emulator.js';

describe('raw endpoints', () => {
  it('speak the wire: upload URL, upload_file with a given SHA-1, file names, download by name', async () => {
    const { client, bucketId, calls } = await setup();
    const target = await client.raw.getUploadUrl({ bucketId });
    expect(target.uploadUrl).toMatch(/^http/);
    const data = bytes(64);
    const { toBodySource } = await import('@mediaferry/core');
    const { data: file, response } = await client.raw
      .uploadFile({
        uploadUrl: target.uploadUrl,
        authorizationToken: target.authorizationToken,
        fileName: 'raw.bin',
        contentSha1: sha1(data),
        body: await toBodySource(data),
        contentLength: 64,
        fileInfo: { via: 'raw' },
      })
      .withResponse();
    expect(response.status).toBe(200);
    expect(file).toMatchObject({ fileName: 'raw.bin', contentSha1: sha1(data), fileInfo: { via: 'raw' } });
    const page = await client.raw.listFileNames({ bucketId, prefix: 'raw', maxFileCount: 5 });
    expect(page.files.map((f) => f.fileName)).toEqual(['raw.bin']);
    const download = await client.raw.downloadFileByName({
      bucketName: 'mediaferry-demo',
      fileName: 'raw.bin',
    });
    expect(await readAll(download.body)).toEqual(data);
    expect(calls()).toEqual([
      'b2_get_upload_url:200',
      'b2_upload_file:200',
      'b2_list_file_names:200',
      'download_file_by_name:200',
    ]);
  });

  it('an upload answered with an error is not retried by the raw call (a retry needs a new URL)', async () => {
    const { client, bucketId, emulator, calls } = await setup();
    const target = await client.raw.getUploadUrl({ bucketId });
    emulator.control.faults.add({ on: 'b2_upload_file', status: 503 });
    const { toBodySource } = await import('@mediaferry/core');
    const error = await client.raw
      .uploadFile({
        uploadUrl: target.uploadUrl,
        authorizationToken: target.authorizationToken,
        fileName: 'raw.bin',
        contentSha1: 'do_not_verify',
        body: await toBodySource(bytes(4)),
        contentLength: 4,
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503 });
    expect(calls('b2_upload_file')).toEqual(['b2_upload_file:503:injected']);
  });

  it('bad input rejects before any request; withResponse never sends a second one', async () => {
    const { client, bucketId, calls } = await setup();
    await expect(client.raw.listFileNames({ bucketId, maxFileCount: 0 })).rejects.toMatchObject({
      field: 'maxFileCount',
    });
    await expect(client.raw.listFileVersions({ bucketId, startFileId: 'x' })).rejects.toMatchObject({
      field: 'startFileId',
    });
    await expect(client.raw.getFileInfo({ fileId: '' })).rejects.toMatchObject({ field: 'fileId' });
    expect(calls()).toEqual([]);
    const promise = client.raw.listBuckets();
    const [awaited, withResponse] = await Promise.all([promise, promise.withResponse()]);
    expect(withResponse.data).toEqual(awaited);
    expect(calls('b2_list_buckets')).toHaveLength(1);
  });
});

/**
 * What the B2 emulator keeps, on disk under `--data` or in memory: a deleted file version gives back all its
 * bytes, a large file's parts included, and a refused request keeps none, so a long-running emulator does
 * not grow with every upload it has forgotten.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSession, type Session, sha1, type UploadTarget } from './session.js';

const MIN_PART = 5;

async function largeFile(s: Session, bucketId: string, name: string, parts: string[]) {
  const start = (
    await s.call('b2_start_large_file', { bucketId, fileName: name, contentType: 'b2/x-auto' })
  ).json();
  const target = (await s.call('b2_get_upload_part_url', { fileId: start.fileId })).json() as UploadTarget;
  for (const [index, data] of parts.entries()) {
    const answer = await s.upload(target, name, data, { 'x-bz-part-number': String(index + 1) });
    expect(answer.status).toBe(200);
  }
  return start.fileId as string;
}

/** A body that sends `first`, then holds the rest back until `release()`: a slow client mid-upload. */
function heldBody(first: string, rest: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let streaming!: () => void;
  const started = new Promise<void>((resolve) => (streaming = resolve));
  let pulls = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      pulls += 1;
      if (pulls === 1) return controller.enqueue(Buffer.from(first));
      // The server took the first chunk: the request is past its checks, its body streaming in.
      streaming();
      await released;
      controller.enqueue(Buffer.from(rest));
      controller.close();
    },
  });
  return { body, started, release };
}

/**
 * Starts an upload of `data` to `target` whose body stops after 5 bytes until `release()`; resolves once
 * the emulator is streaming it in. `answer` is the emulator's response.
 */
async function heldUpload(s: Session, target: UploadTarget, data: string, headers: Record<string, string>) {
  const held = heldBody(data.slice(0, 5), data.slice(5));
  const answer = s.emulator.fetch(target.uploadUrl, {
    method: 'POST',
    headers: {
      authorization: target.authorizationToken,
      'x-bz-content-sha1': sha1(data),
      'content-length': String(data.length),
      ...headers,
    },
    body: held.body,
  });
  await held.started;
  return { answer, release: held.release };
}

const blobFiles = (data: string) => readdir(join(data, 'b2', 'blobs'));
const blobCount = (s: Session) => (s.emulator.control.dump() as { blobs: unknown[] }).blobs.length;

describe('B2 emulator storage', () => {
  it('deleting a finished large file removes its parts; a cancelled one leaves nothing either', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-b2-storage-'));
    const s = await openSession({ data, options: { absoluteMinimumPartSize: MIN_PART } });
    const bucket = await s.createBucket('storage-bucket');
    const kept = await s.put(bucket.bucketId, 'kept.txt', 'still here');
    const parts = ['a'.repeat(MIN_PART), 'b'.repeat(MIN_PART), 'tail'];
    const fileId = await largeFile(s, bucket.bucketId, 'big.bin', parts);
    const finished = await s.call('b2_finish_large_file', { fileId, partSha1Array: parts.map(sha1) });
    expect(finished.status).toBe(200);
    const cancelled = await largeFile(s, bucket.bucketId, 'dropped.bin', parts.slice(0, 2));
    expect((await blobFiles(data)).length).toBe(1 + 3 + 2);

    expect((await s.call('b2_cancel_large_file', { fileId: cancelled })).status).toBe(200);
    const deleted = await s.call('b2_delete_file_version', { fileId, fileName: 'big.bin' });
    expect(deleted.status).toBe(200);
    await s.close();
    expect(await blobFiles(data)).toHaveLength(1);

    // The one that is left is the small file, whole, after a restart.
    const again = await openSession({ data });
    const download = await again.download(`/b2api/v2/b2_download_file_by_id?fileId=${kept.fileId}`, {
      headers: { authorization: again.token },
    });
    expect(download.body).toBe('still here');
    await again.close();
  });

  it('a copy refused for its new metadata keeps no copied bytes', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('copy-bucket');
    const source = await s.put(bucket.bucketId, 'source.txt', 'the bytes to copy');
    const before = blobCount(s);
    for (const replace of [
      { contentType: 'text/plain', fileInfo: { count: 1 } },
      { contentType: 'text/plain', fileInfo: 'not an object' },
      { contentType: 42 },
    ]) {
      const refused = await s.call('b2_copy_file', {
        sourceFileId: source.fileId,
        fileName: 'copy.txt',
        metadataDirective: 'REPLACE',
        ...replace,
      });
      expect(refused.status, refused.body).toBe(400);
    }
    expect(blobCount(s)).toBe(before);
    await s.close();
  });

  it('a part that lands after its large file was cancelled or finished is refused, its bytes not kept', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('late-parts');
    const parts = ['a'.repeat(MIN_PART), 'tail'];
    for (const end of ['b2_cancel_large_file', 'b2_finish_large_file']) {
      const fileId = await largeFile(s, bucket.bucketId, `${end}.bin`, parts);
      const target = (await s.call('b2_get_upload_part_url', { fileId })).json() as UploadTarget;
      const held = await heldUpload(s, target, 'a part still on its way', { 'x-bz-part-number': '3' });
      const ended = await s.call(end, { fileId, partSha1Array: parts.map(sha1) });
      expect(ended.status, ended.body).toBe(200);
      held.release();
      expect((await held.answer).status).toBe(400);
    }
    const dump = s.emulator.control.dump() as { state: { parts: object } };
    expect(dump.state.parts).toEqual({});
    // What is left is the finished file: its two parts and the blob composed of them.
    expect(blobCount(s)).toBe(3);
    await s.close();
  });

  it('a file that lands after its bucket was deleted is refused, its bytes not kept', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('short-lived');
    const target = await s.uploadUrl(bucket.bucketId);
    const held = await heldUpload(s, target, 'a file still on its way', {
      'x-bz-file-name': 'late.txt',
      'content-type': 'text/plain',
    });
    const deleted = await s.call('b2_delete_bucket', { accountId: s.accountId, bucketId: bucket.bucketId });
    expect(deleted.status, deleted.body).toBe(200);
    held.release();
    const refused = await held.answer;
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'bad_bucket_id' });
    expect((s.emulator.control.dump() as { state: { files: object } }).state.files).toEqual({});
    expect(blobCount(s)).toBe(0);
    await s.close();
  });

  it('a restart drops the bytes an older emulator leaked, keeping every file whole', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-b2-storage-'));
    const s = await openSession({ data });
    const bucket = await s.createBucket('restart-bucket');
    const small = await s.put(bucket.bucketId, 'small.txt', 'small file');
    const parts = ['a'.repeat(MIN_PART), 'tail'];
    const big = await largeFile(s, bucket.bucketId, 'big.bin', parts);
    expect(
      (await s.call('b2_finish_large_file', { fileId: big, partSha1Array: parts.map(sha1) })).status,
    ).toBe(200);
    const open = await largeFile(s, bucket.bucketId, 'open.bin', ['x'.repeat(MIN_PART)]);
    // What an older emulator left: blobs nothing references, a large file's parts composed or not.
    const { blobs } = s.emulator.context;
    const lost = [await blobs.putBytes('lost part'), await blobs.putBytes('lost part too')];
    blobs.compose(lost.map((blob) => blob.id));
    await blobs.putBytes('lost file');
    await s.close();
    expect(await blobFiles(data)).toHaveLength(1 + 2 + 1 + 3);

    const again = await openSession({ data });
    expect(await blobFiles(data)).toHaveLength(1 + 2 + 1);
    const saved = JSON.parse(await readFile(join(data, 'b2', 'state.json'), 'utf8')) as { blobs: unknown[] };
    expect(saved.blobs).toHaveLength(1 + 3 + 1);
    const byId = (fileId: string) =>
      again.download(`/b2api/v2/b2_download_file_by_id?fileId=${fileId}`, {
        headers: { authorization: again.token },
      });
    expect((await byId(small.fileId)).body).toBe('small file');
    expect((await byId(big)).body).toBe(parts.join(''));
    const listed = (await again.call('b2_list_parts', { fileId: open })).json();
    expect(listed.parts).toHaveLength(1);
    await again.close();
  });
});

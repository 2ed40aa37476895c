/**
 * Issue 14 items 4 and 5 against the B2 emulator: `files.upload({ resume: true })` continues an unfinished
 * large file only when it is provably the same upload (b2sdk's rules), and progress never goes back or past
 * the total across retries and resumes.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Progress } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { bytes, setup as emulated, sha1 } from './support/emulator.js';

async function setup() {
  const context = await emulated();
  const parts = () =>
    context.emulator.control.journal.entries().filter((e) => e.endpoint === 'b2_upload_part').length;
  return { ...context, parts };
}

/** Leaves an unfinished large file of `data` with its first part uploaded. */
async function interrupted(
  context: Awaited<ReturnType<typeof setup>>,
  data: Uint8Array,
  options: { contentType?: string; info?: Record<string, string>; partSize?: number } = {},
) {
  context.emulator.control.faults.add({ on: 'b2_upload_part', status: 400, code: 'bad_request', skip: 1 });
  await expect(
    context.client.files
      .upload({
        bucketId: context.bucketId,
        fileName: 'clip.mp4',
        source: data,
        concurrency: 1,
        resume: true,
        ...options,
      })
      .done(),
  ).rejects.toThrow();
  const [unfinished] = await context.client.largeFiles
    .listUnfinished({ bucketId: context.bucketId })
    .toArray({ limit: 10 });
  return unfinished!;
}

describe('issue 14 item 4: resume continues only the same upload', () => {
  it('new file info (another large_file_sha1) starts a new file; the result verifies', async () => {
    const context = await setup();
    const old = bytes(12_000, 1);
    const fresh = bytes(12_000, 2);
    const stale = await interrupted(context, old, { info: { large_file_sha1: sha1(old) } });
    const file = await context.client.files
      .upload({
        bucketId: context.bucketId,
        fileName: 'clip.mp4',
        source: fresh,
        concurrency: 1,
        resume: true,
        info: { large_file_sha1: sha1(fresh) },
      })
      .done();
    expect(file.fileId).not.toBe(stale.fileId);
    expect(file.fileInfo.large_file_sha1).toBe(sha1(fresh));
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-resume-'));
    const saved = await context.client.files
      .downloadToFile({ fileId: file.fileId! }, join(dir, 'clip.mp4'))
      .done();
    expect(saved.digest).toBe(sha1(fresh));
  });

  it.each([
    ['changed bytes (a part’s SHA-1 differs)', {}, { data: bytes(12_000, 3) }],
    ['another content type', { contentType: 'video/mp4' }, { contentType: 'application/octet-stream' }],
    ['another part size', { partSize: 4000 }, { partSize: 3000 }],
    ['other file info', { info: { author: 'a' } }, { info: { author: 'b' } }],
  ])('%s: a new large file, the unfinished one untouched', async (_name, first, second) => {
    const context = await setup();
    const data = bytes(12_000, 1);
    const stale = await interrupted(context, data, first);
    const { data: secondData = data, ...secondOptions } = second as { data?: Uint8Array };
    const before = context.parts();
    const file = await context.client.files
      .upload({
        bucketId: context.bucketId,
        fileName: 'clip.mp4',
        source: secondData,
        concurrency: 1,
        resume: true,
        ...first,
        ...secondOptions,
      })
      .done();
    expect(file.fileId).not.toBe(stale.fileId);
    const partSize = (secondOptions as { partSize?: number }).partSize ?? 4000;
    expect(context.parts() - before).toBe(Math.ceil(12_000 / partSize));
    const left = await context.client.largeFiles
      .listUnfinished({ bucketId: context.bucketId })
      .toArray({ limit: 10 });
    expect(left.map((f) => f.fileId)).toEqual([stale.fileId]);
  });

  it('the same upload continues its unfinished file, sending only the missing parts', async () => {
    const context = await setup();
    const data = bytes(12_000, 1);
    const options = { contentType: 'video/mp4', info: { author: 'a' } };
    const stale = await interrupted(context, data, options);
    const before = context.parts();
    const events: Progress[] = [];
    const upload = context.client.files.upload({
      bucketId: context.bucketId,
      fileName: 'clip.mp4',
      source: data,
      concurrency: 1,
      resume: true,
      ...options,
    });
    upload.on('progress', (p) => events.push(p));
    const file = await upload.done();
    expect(file.fileId).toBe(stale.fileId);
    expect(context.parts() - before).toBe(2);
    expect(events.at(-1)).toEqual({ loaded: 12_000, total: 12_000 });
  });
});

describe('issue 14 item 5: progress is monotonic and never above the total', () => {
  const check = (events: Progress[], total: number) => {
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.every((e) => e.total === total && e.loaded <= total)).toBe(true);
    expect(loaded.at(-1)).toBe(total);
  };

  it('a part reset mid-request and retried', async () => {
    const context = await setup();
    context.emulator.control.wireFaults.add({
      on: 'b2_upload_part',
      kind: 'reset_mid_request',
      afterBytes: 3000,
    });
    const events: Progress[] = [];
    await context.client.files
      .upload({
        bucketId: context.bucketId,
        fileName: 'p.bin',
        source: bytes(12_000, 5),
        concurrency: 1,
        onProgress: (p) => events.push(p),
      })
      .done();
    check(events, 12_000);
  });

  it('a small file reset mid-request and retried', async () => {
    const context = await setup();
    context.emulator.control.wireFaults.add({
      on: 'b2_upload_file',
      kind: 'reset_mid_request',
      afterBytes: 2500,
    });
    const data = bytes(3000, 6);
    // A replayable stream in 500-byte chunks, so each attempt reports progress step by step.
    const chunks = () =>
      Readable.from(Array.from({ length: 6 }, (_, i) => data.subarray(i * 500, (i + 1) * 500)));
    const events: Progress[] = [];
    await context.client.files
      .upload({
        bucketId: context.bucketId,
        fileName: 's.bin',
        source: chunks,
        size: 3000,
        onProgress: (p) => events.push(p),
      })
      .done();
    check(events, 3000);
  });

  it('a download resumed after a cut body', async () => {
    const context = await setup();
    const data = bytes(50_000, 7);
    const file = await context.client.files
      .upload({ bucketId: context.bucketId, fileName: 'd.bin', source: data, partSize: 100_000 })
      .done();
    context.emulator.control.wireFaults.add({
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 20_000,
    });
    const events: Progress[] = [];
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-progress-'));
    await context.client.files
      .downloadToFile({ fileId: file.fileId! }, join(dir, 'd.bin'), { onProgress: (p) => events.push(p) })
      .done();
    check(events, 50_000);
  });
});

describe('issue 16: how a large download divides the file', () => {
  it('one stream by default while it keeps up, the ranges asked for, one stream to resume; SHA-1 verified', async () => {
    const context = await setup();
    const data = bytes(40_000, 7);
    const file = await context.client.files
      .upload({ bucketId: context.bucketId, fileName: 'big.bin', source: data })
      .done();
    const downloads = () =>
      context.emulator.control.journal.entries().filter((e) => e.endpoint === 'b2_download_file_by_id')
        .length;
    const dir = await mkdtemp(join(tmpdir(), 'mf-b2-ranges-'));
    const save = async (name: string, settings: { concurrency?: number; resume?: boolean }) => {
      const before = downloads();
      const saved = await context.client.files
        .downloadToFile({ fileId: file.fileId! }, join(dir, name), { partSize: 10_000, ...settings })
        .done();
      expect(saved.digest).toBe(sha1(data));
      return downloads() - before;
    };
    // Adaptive: a stream is added only after a quarter second mostly spent waiting for bytes.
    expect(await save('a.bin', {})).toBe(1);
    expect(await save('b.bin', { concurrency: 4 })).toBe(4);
    expect(await save('c.bin', { resume: true })).toBe(1);
    // The version saved comes back, as described before the first byte (by name: from the HEAD's headers).
    const byName = await context.client.files
      .downloadToFile({ bucketName: context.bucket.bucketName, fileName: 'big.bin' }, join(dir, 'd.bin'))
      .done();
    const byId = await context.client.files
      .downloadToFile({ fileId: file.fileId! }, join(dir, 'e.bin'))
      .done();
    for (const saved of [byName, byId])
      expect(saved.version).toMatchObject({
        fileId: file.fileId,
        fileName: 'big.bin',
        uploadTimestamp: file.uploadTimestamp,
      });
  });
});

/**
 * Object Lock (File Lock) through the client against the B2 emulator: bucket `fileLockEnabled` and default
 * retention, retention and legal hold on upload, large files and copies, `files.updateRetention` /
 * `files.updateLegalHold` with governance, compliance and `bypassGovernance`, and the settings in file info
 * and download headers.
 */
import { readAll } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, BucketMissingFileLockError, PermissionDeniedError } from '../src/index.js';
import { bytes, type Setup, setup } from './support/emulator.js';

const DAY = 86_400_000;

async function lockedBucket(context: Setup, name = 'locked-bucket') {
  return context.client.buckets.create({ bucketName: name, bucketType: 'allPrivate', fileLockEnabled: true });
}

describe('File Lock buckets', () => {
  it('creates a File Lock bucket and sets its default retention; a plain bucket refuses one', async () => {
    const context = await setup();
    const bucket = await lockedBucket(context);
    expect(bucket.fileLockConfiguration?.value?.isFileLockEnabled).toBe(true);
    const updated = await context.client.buckets.update({
      bucketId: bucket.bucketId,
      defaultRetention: { mode: 'governance', period: { duration: 7, unit: 'days' } },
    });
    expect(updated.fileLockConfiguration?.value?.defaultRetention).toEqual({
      mode: 'governance',
      period: { duration: 7, unit: 'days' },
    });
    const plain = await context.client.buckets.create({
      bucketName: 'plain-bucket',
      bucketType: 'allPrivate',
    });
    await expect(
      context.client.buckets.update({
        bucketId: plain.bucketId,
        defaultRetention: { mode: 'compliance', period: { duration: 1, unit: 'years' } },
      }),
    ).rejects.toBeInstanceOf(BucketMissingFileLockError);
    // File Lock can be turned on later, never off (the type says so; the check says so before any request).
    const later = await context.client.buckets.update({ bucketId: plain.bucketId, fileLockEnabled: true });
    expect(later.fileLockConfiguration?.value?.isFileLockEnabled).toBe(true);
  });

  it('a new file gets the bucket default retention, visible in file info and download headers', async () => {
    const context = await setup();
    const bucket = await lockedBucket(context);
    await context.client.buckets.update({
      bucketId: bucket.bucketId,
      defaultRetention: { mode: 'governance', period: { duration: 1, unit: 'days' } },
    });
    const file = await context.client.files
      .upload({ bucketId: bucket.bucketId, fileName: 'd.txt', source: bytes(10) })
      .done();
    expect(file.fileRetention?.value?.mode).toBe('governance');
    expect(file.fileRetention?.value?.retainUntilTimestamp).toEqual(
      new Date(file.uploadTimestamp.getTime() + DAY),
    );
    const download = await context.client.files.download({ fileId: file.fileId! });
    await readAll(download.body);
    expect(download.fileRetention).toEqual({
      mode: 'governance',
      retainUntilTimestamp: new Date(file.uploadTimestamp.getTime() + DAY),
    });
  });
});

describe('retention and legal hold on files', () => {
  it('governance: delete refused, allowed with bypassGovernance; shortened only with it', async () => {
    const context = await setup();
    const { client, emulator } = context;
    const bucket = await lockedBucket(context);
    const until = new Date(emulator.control.clock.now() + 10 * DAY);
    const file = await client.files
      .upload({
        bucketId: bucket.bucketId,
        fileName: 'g.txt',
        source: bytes(10),
        fileRetention: { mode: 'governance', retainUntilTimestamp: until },
      })
      .done();
    expect(file.fileRetention?.value).toEqual({ mode: 'governance', retainUntilTimestamp: until });
    const ref = { fileId: file.fileId!, fileName: 'g.txt' };
    const refused = await client.files.delete(ref).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AccessDeniedError);
    expect(refused).toBeInstanceOf(PermissionDeniedError);
    const shorter = new Date(until.getTime() - DAY);
    await expect(
      client.files.updateRetention({
        ...ref,
        fileRetention: { mode: 'governance', retainUntilTimestamp: shorter },
      }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const changed = await client.files.updateRetention({
      ...ref,
      fileRetention: { mode: 'governance', retainUntilTimestamp: shorter.getTime() },
      bypassGovernance: true,
    });
    expect(changed.fileRetention).toEqual({ mode: 'governance', retainUntilTimestamp: shorter });
    await client.files.delete({ ...ref, bypassGovernance: true });
    expect(await client.files.listVersions({ bucketId: bucket.bucketId }).toArray({ limit: 5 })).toEqual([]);
  });

  it('compliance: only extended, never removed, and the file cannot be deleted', async () => {
    const context = await setup();
    const { client, emulator } = context;
    const bucket = await lockedBucket(context);
    const until = emulator.control.clock.now() + DAY;
    const file = await client.files
      .upload({ bucketId: bucket.bucketId, fileName: 'c.txt', source: bytes(10) })
      .done();
    const ref = { fileId: file.fileId!, fileName: 'c.txt' };
    await client.files.updateRetention({
      ...ref,
      fileRetention: { mode: 'compliance', retainUntilTimestamp: until },
    });
    await expect(
      client.files.updateRetention({ ...ref, fileRetention: { mode: null }, bypassGovernance: true }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    const extended = await client.files.updateRetention({
      ...ref,
      fileRetention: { mode: 'compliance', retainUntilTimestamp: until + DAY },
    });
    expect(extended.fileRetention.retainUntilTimestamp).toEqual(new Date(until + DAY));
    await expect(client.files.delete({ ...ref, bypassGovernance: true })).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    // Once the time has passed, the file can go.
    emulator.control.clock.advance(3 * DAY);
    await client.files.delete(ref);
  });

  it('legal hold on upload, on a large file and by update; it blocks deletes until lifted', async () => {
    const context = await setup();
    const { client } = context;
    const bucket = await lockedBucket(context);
    const small = await client.files
      .upload({ bucketId: bucket.bucketId, fileName: 'h.txt', source: bytes(10), legalHold: 'on' })
      .done();
    expect(small.legalHold?.value).toBe('on');
    const large = await client.files
      .upload({ bucketId: bucket.bucketId, fileName: 'big.bin', source: bytes(9000), legalHold: 'on' })
      .done();
    expect(large.legalHold?.value).toBe('on');
    const head = await client.files.head({ fileId: large.fileId! });
    expect(head.legalHold).toBe('on');
    const ref = { fileId: small.fileId!, fileName: 'h.txt' };
    await expect(client.files.delete(ref)).rejects.toBeInstanceOf(AccessDeniedError);
    const lifted = await client.files.updateLegalHold({ ...ref, legalHold: 'off' });
    expect(lifted.legalHold).toBe('off');
    await client.files.delete(ref);
  });

  it('a copy carries its own retention and legal hold', async () => {
    const context = await setup();
    const { client, emulator } = context;
    const bucket = await lockedBucket(context);
    const source = await client.files
      .upload({ bucketId: bucket.bucketId, fileName: 's.txt', source: bytes(10) })
      .done();
    const until = new Date(emulator.control.clock.now() + DAY);
    const copy = await client.files
      .copy({
        sourceFileId: source.fileId!,
        fileName: 'copy.txt',
        fileRetention: { mode: 'governance', retainUntilTimestamp: until },
        legalHold: 'on',
      })
      .done();
    expect(copy.fileRetention?.value).toEqual({ mode: 'governance', retainUntilTimestamp: until });
    expect(copy.legalHold?.value).toBe('on');
  });

  it('Object Lock settings on a plain bucket are refused by B2 with bucket_missing_file_lock', async () => {
    const { client, bucketId } = await setup();
    const file = await client.files.upload({ bucketId, fileName: 'p.txt', source: bytes(3) }).done();
    await expect(
      client.files.updateLegalHold({ fileId: file.fileId!, fileName: 'p.txt', legalHold: 'on' }),
    ).rejects.toBeInstanceOf(BucketMissingFileLockError);
    const upload = client.files.upload({ bucketId, fileName: 'q.txt', source: bytes(3), legalHold: 'on' });
    await expect(upload.done()).rejects.toBeInstanceOf(BucketMissingFileLockError);
  });

  it('bad settings are refused before any request', async () => {
    const { client, calls } = await setup();
    const ref = { fileId: 'f', fileName: 'x' };
    await expect(
      client.files.updateRetention({
        ...ref,
        fileRetention: { mode: 'governance', retainUntilTimestamp: Number.NaN },
      }),
    ).rejects.toMatchObject({ field: 'fileRetention.retainUntilTimestamp' });
    await expect(client.files.updateLegalHold({ ...ref, legalHold: 'yes' as 'on' })).rejects.toMatchObject({
      field: 'legalHold',
    });
    await expect(
      client.buckets.update({
        bucketId: 'b',
        defaultRetention: { mode: 'governance', period: { duration: 0, unit: 'days' } },
      }),
    ).rejects.toMatchObject({ field: 'defaultRetention.period.duration' });
    await expect(
      client.buckets.update({ bucketId: 'b', fileLockEnabled: false as true }),
    ).rejects.toMatchObject({ field: 'fileLockEnabled' });
    expect(calls()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { type Json, openSession, type Session, sha1, type UploadTarget } from './session.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FILE_LOCK_READ = ['listBuckets', 'listFiles', 'readFiles', 'readFileRetentions', 'readFileLegalHolds'];

async function lockedBucket(s: Session, name = 'lock-bucket') {
  return s.createBucket(name, { fileLockEnabled: true });
}

const retentionHeaders = (mode: string, until: number) => ({
  'x-bz-file-retention-mode': mode,
  'x-bz-file-retention-retain-until-timestamp': String(until),
});

describe('B2 Object Lock (File Lock)', () => {
  it('enables File Lock at creation or by update (never off), with the writeBucketRetentions capability', async () => {
    const s = await openSession();
    const locked = await lockedBucket(s);
    expect(locked.fileLockConfiguration).toEqual({
      isClientAuthorizedToRead: true,
      value: { defaultRetention: { mode: null, period: null }, isFileLockEnabled: true },
    });
    const plain = await s.createBucket('lock-later');
    const enabled = (
      await s.call('b2_update_bucket', {
        accountId: s.accountId,
        bucketId: plain.bucketId,
        fileLockEnabled: true,
      })
    ).json();
    expect(enabled.fileLockConfiguration.value.isFileLockEnabled).toBe(true);
    const off = await s.call('b2_update_bucket', {
      accountId: s.accountId,
      bucketId: plain.bucketId,
      fileLockEnabled: false,
    });
    expect([off.status, off.json().code]).toEqual([400, 'file_lock_conflict']);

    const weak = await s.keyWith(['listBuckets', 'writeBuckets']);
    const refused = await s.call(
      'b2_create_bucket',
      { accountId: s.accountId, bucketName: 'lock-refused', bucketType: 'allPrivate', fileLockEnabled: true },
      weak,
    );
    expect([refused.status, refused.json().code]).toEqual([401, 'unauthorized']);
    // Without readBucketRetentions the configuration is hidden, not faked.
    const listed = (
      await s.call('b2_list_buckets', { accountId: s.accountId, bucketId: locked.bucketId }, weak)
    ).json();
    expect(listed.buckets[0].fileLockConfiguration).toEqual({ isClientAuthorizedToRead: false, value: null });
  });

  it('applies a bucket default retention from the upload time to uploads, large files and copies', async () => {
    const s = await openSession();
    const plain = await s.createBucket('lock-plain');
    const noLock = await s.call('b2_update_bucket', {
      accountId: s.accountId,
      bucketId: plain.bucketId,
      defaultRetention: { mode: 'governance', period: { duration: 1, unit: 'days' } },
    });
    expect([noLock.status, noLock.json().code]).toEqual([400, 'bucket_missing_file_lock']);

    const bucket = await lockedBucket(s);
    const updated = (
      await s.call('b2_update_bucket', {
        accountId: s.accountId,
        bucketId: bucket.bucketId,
        defaultRetention: { mode: 'governance', period: { duration: 2, unit: 'days' } },
      })
    ).json();
    expect(updated.fileLockConfiguration.value.defaultRetention).toEqual({
      mode: 'governance',
      period: { duration: 2, unit: 'days' },
    });
    const uploaded = await s.put(bucket.bucketId, 'kept.txt', 'kept');
    expect(uploaded.fileRetention.value).toEqual({
      mode: 'governance',
      retainUntilTimestamp: uploaded.uploadTimestamp + 2 * DAY,
    });
    const started = (
      await s.call('b2_start_large_file', {
        bucketId: bucket.bucketId,
        fileName: 'big.bin',
        contentType: 'b2/x-auto',
      })
    ).json();
    expect(started.fileRetention.value.mode).toBe('governance');
    const copied = (
      await s.call('b2_copy_file', { sourceFileId: uploaded.fileId, fileName: 'copy.txt' })
    ).json();
    expect(copied.fileRetention.value).toEqual({
      mode: 'governance',
      retainUntilTimestamp: copied.uploadTimestamp + 2 * DAY,
    });
    // An explicit retention wins over the default.
    const until = Date.now() + 10 * DAY;
    const own = await s.put(bucket.bucketId, 'own.txt', 'own', retentionHeaders('compliance', until));
    expect(own.fileRetention.value).toEqual({ mode: 'compliance', retainUntilTimestamp: until });
  });

  it('takes retention and legal hold from upload headers, large-file start and copies, with capabilities', async () => {
    const s = await openSession();
    const bucket = await lockedBucket(s);
    const until = Date.now() + DAY;
    const uploaded = await s.put(bucket.bucketId, 'held.txt', 'held', {
      ...retentionHeaders('governance', until),
      'x-bz-file-legal-hold': 'on',
    });
    expect(uploaded.fileRetention).toEqual({
      isClientAuthorizedToRead: true,
      value: { mode: 'governance', retainUntilTimestamp: until },
    });
    expect(uploaded.legalHold).toEqual({ isClientAuthorizedToRead: true, value: 'on' });

    const started = (
      await s.call('b2_start_large_file', {
        bucketId: bucket.bucketId,
        fileName: 'large.bin',
        contentType: 'b2/x-auto',
        fileRetention: { mode: 'compliance', retainUntilTimestamp: until },
        legalHold: 'off',
      })
    ).json();
    expect(started.fileRetention.value).toEqual({ mode: 'compliance', retainUntilTimestamp: until });
    expect(started.legalHold.value).toBe('off');
    const parts = (await s.call('b2_get_upload_part_url', { fileId: started.fileId })).json() as UploadTarget;
    await s.upload(parts, 'x', 'aaaaaa', { 'x-bz-part-number': '1' });
    await s.upload(parts, 'x', 'bb', { 'x-bz-part-number': '2' });
    const finished = (
      await s.call('b2_finish_large_file', {
        fileId: started.fileId,
        partSha1Array: [sha1('aaaaaa'), sha1('bb')],
      })
    ).json();
    expect(finished.fileRetention.value.mode).toBe('compliance');

    const copied = (
      await s.call('b2_copy_file', { sourceFileId: uploaded.fileId, fileName: 'copy.txt', legalHold: 'on' })
    ).json();
    expect(copied.legalHold.value).toBe('on');
    expect(copied.fileRetention.value).toEqual({ mode: null, retainUntilTimestamp: null });

    const plain = await s.createBucket('lock-none');
    const refused = await s.upload(await s.uploadUrl(plain.bucketId), 'x.txt', 'x', {
      'x-bz-file-legal-hold': 'on',
    });
    expect([refused.status, refused.json().code]).toEqual([400, 'bucket_missing_file_lock']);
    const past = await s.upload(
      await s.uploadUrl(bucket.bucketId),
      'x.txt',
      'x',
      retentionHeaders('governance', 1000),
    );
    expect([past.status, past.json().code]).toEqual([400, 'bad_request']);

    const writer = await s.keyWith(['writeFiles', 'listBuckets']);
    const noCapability = await s.upload(await s.uploadUrl(bucket.bucketId, writer), 'x.txt', 'x', {
      'x-bz-file-legal-hold': 'on',
    });
    expect([noCapability.status, noCapability.json().code]).toEqual([401, 'unauthorized']);
  });

  it('refuses deletes while held or retained, on the virtual clock (403 access_denied)', async () => {
    const s = await openSession();
    const bucket = await lockedBucket(s);
    const until = Date.now() + HOUR;
    const held = await s.put(bucket.bucketId, 'held.txt', 'held', { 'x-bz-file-legal-hold': 'on' });
    const governed = await s.put(bucket.bucketId, 'gov.txt', 'gov', retentionHeaders('governance', until));
    const complied = await s.put(bucket.bucketId, 'comp.txt', 'comp', retentionHeaders('compliance', until));
    const remove = (file: Json, extra: Json = {}, token?: string) =>
      s.call('b2_delete_file_version', { fileId: file.fileId, fileName: file.fileName, ...extra }, token);
    const codeOf = async (answer: Promise<{ status: number; json(): Json }>) => {
      const settled = await answer;
      return [settled.status, settled.json().code];
    };

    expect(await codeOf(remove(held))).toEqual([403, 'access_denied']);
    expect(await codeOf(remove(governed))).toEqual([403, 'access_denied']);
    expect(await codeOf(remove(complied, { bypassGovernance: true }))).toEqual([403, 'access_denied']);
    const noBypass = await s.keyWith(['deleteFiles', 'listFiles']);
    expect(await codeOf(remove(governed, { bypassGovernance: true }, noBypass))).toEqual([
      401,
      'unauthorized',
    ]);
    expect(await codeOf(remove(governed, { bypassGovernance: true }))).toEqual([200, undefined]);

    await s.call('b2_update_file_legal_hold', {
      fileId: held.fileId,
      fileName: held.fileName,
      legalHold: 'off',
    });
    expect(await codeOf(remove(held))).toEqual([200, undefined]);

    // Once the retention has run out (an hour later on the virtual clock) the version may go.
    s.emulator.control.clock.advance(HOUR + 1000);
    expect(await codeOf(remove(complied))).toEqual([200, undefined]);
  });

  it('b2_update_file_retention: governance shortens only with bypassGovernance, compliance only extends', async () => {
    const s = await openSession();
    const bucket = await lockedBucket(s);
    const now = Date.now();
    const governed = await s.put(
      bucket.bucketId,
      'gov.txt',
      'gov',
      retentionHeaders('governance', now + 2 * DAY),
    );
    const update = (file: Json, fileRetention: Json, extra: Json = {}) =>
      s.call('b2_update_file_retention', {
        fileId: file.fileId,
        fileName: file.fileName,
        fileRetention,
        ...extra,
      });

    const shorter = { mode: 'governance', retainUntilTimestamp: now + DAY };
    expect((await update(governed, shorter)).json().code).toBe('access_denied');
    const bypassed = await update(governed, shorter, { bypassGovernance: true });
    expect(bypassed.json()).toEqual({ fileId: governed.fileId, fileName: 'gov.txt', fileRetention: shorter });
    const removed = await update(
      governed,
      { mode: null, retainUntilTimestamp: null },
      { bypassGovernance: true },
    );
    expect(removed.status).toBe(200);
    const stricter = { mode: 'compliance', retainUntilTimestamp: now + 3 * DAY };
    expect((await update(governed, stricter)).status).toBe(200);
    expect((await update(governed, { mode: 'governance', retainUntilTimestamp: now + 4 * DAY })).status).toBe(
      403,
    );
    expect((await update(governed, { mode: 'compliance', retainUntilTimestamp: now + 2 * DAY })).status).toBe(
      403,
    );
    const longer = await update(governed, { mode: 'compliance', retainUntilTimestamp: now + 5 * DAY });
    expect(longer.status).toBe(200);
    const info = (await s.call('b2_get_file_info', { fileId: governed.fileId })).json();
    expect(info.fileRetention.value).toEqual({ mode: 'compliance', retainUntilTimestamp: now + 5 * DAY });

    const writerOnly = await s.keyWith(['readFiles', 'listFiles']);
    const refused = await s.call(
      'b2_update_file_retention',
      { fileId: governed.fileId, fileName: 'gov.txt', fileRetention: stricter },
      writerOnly,
    );
    expect([refused.status, refused.json().code]).toEqual([401, 'unauthorized']);
    const wrongName = await update({ ...governed, fileName: 'other.txt' }, stricter);
    expect([wrongName.status, wrongName.json().code]).toEqual([400, 'file_not_present']);
  });

  it('shows retention and legal hold to keys that may read them, in JSON and as download headers', async () => {
    const s = await openSession();
    const bucket = await lockedBucket(s);
    const until = Date.now() + DAY;
    const file = await s.put(bucket.bucketId, 'seen.txt', 'seen', {
      ...retentionHeaders('governance', until),
      'x-bz-file-legal-hold': 'on',
    });
    const reader = await s.keyWith(FILE_LOCK_READ);
    const blind = await s.keyWith(['listBuckets', 'listFiles', 'readFiles']);

    const full = (await s.call('b2_get_file_info', { fileId: file.fileId }, reader)).json();
    expect(full.fileRetention.isClientAuthorizedToRead).toBe(true);
    expect(full.legalHold).toEqual({ isClientAuthorizedToRead: true, value: 'on' });
    const hidden = (await s.call('b2_list_file_names', { bucketId: bucket.bucketId }, blind)).json().files[0];
    expect(hidden.fileRetention).toEqual({ isClientAuthorizedToRead: false, value: null });
    expect(hidden.legalHold).toEqual({ isClientAuthorizedToRead: false, value: null });

    for (const method of ['GET', 'HEAD']) {
      const seen = await s.download('/file/lock-bucket/seen.txt', {
        method,
        headers: { authorization: reader },
      });
      expect(seen.headers.get('x-bz-file-retention-mode')).toBe('governance');
      expect(seen.headers.get('x-bz-file-retention-retain-until-timestamp')).toBe(String(until));
      expect(seen.headers.get('x-bz-file-legal-hold')).toBe('on');
      expect(seen.headers.has('x-bz-client-unauthorized-to-read')).toBe(false);
      const unseen = await s.download('/file/lock-bucket/seen.txt', {
        method,
        headers: { authorization: blind },
      });
      expect(unseen.headers.has('x-bz-file-retention-mode')).toBe(false);
      expect(unseen.headers.has('x-bz-file-legal-hold')).toBe(false);
      expect(unseen.headers.get('x-bz-client-unauthorized-to-read')).toBe(
        'X-Bz-File-Retention-Mode,X-Bz-File-Retention-Retain-Until-Timestamp,X-Bz-File-Legal-Hold',
      );
    }
    // A plain bucket's downloads carry none of these headers.
    const plain = await s.createBucket('lock-free');
    const free = await s.put(plain.bucketId, 'free.txt', 'free');
    const got = await s.download(`/b2api/v2/b2_download_file_by_id?fileId=${free.fileId}`, {
      headers: { authorization: reader },
    });
    expect([...got.headers.keys()].filter((h) => h.includes('retention') || h.includes('legal'))).toEqual([]);
  });

  it('journals the lock endpoints and lets tests fault them like any other', async () => {
    const s = await openSession();
    const bucket = await lockedBucket(s);
    const file = await s.put(bucket.bucketId, 'f.txt', 'f');
    s.emulator.control.faults.add({ on: 'b2_update_file_legal_hold', status: 503, retryAfter: 2 });
    const body = { fileId: file.fileId, fileName: 'f.txt', legalHold: 'on' };
    const faulted = await s.call('b2_update_file_legal_hold', body);
    expect([faulted.status, faulted.headers.get('retry-after')]).toEqual([503, '2']);
    expect((await s.call('b2_update_file_legal_hold', body)).status).toBe(200);
    const journal = s.emulator.control.journal.entries({ endpoint: 'b2_update_file_legal_hold' });
    expect(journal.map((e) => [e.status, e.fault])).toEqual([
      [503, 'injected'],
      [200, null],
    ]);
  });
});

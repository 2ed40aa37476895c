import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Json, openSession, type Session, sha1 } from './session.js';

/** The 15 hex digits after `_f1`/`_f2`: they count down with the upload order (spec §3.1 IDs). */
const orderOf = (fileId: string) => BigInt(`0x${/_f[12]([0-9a-f]{15})_d/.exec(fileId)?.[1]}`);

async function threeVersions(s: Session, bucketId: string, name = 'x.txt') {
  const versions: Json[] = [];
  for (const content of ['first', 'second', 'third']) versions.push(await s.put(bucketId, name, content));
  return versions;
}

describe('B2 upload order: ids and every "latest" follow it, even within one second', () => {
  // Real time stands still, so every upload of a test shares one upload second (B2 keeps whole seconds).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-02T10:00:00.250Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists versions newest first and serves the newest by name (list, GET, HEAD) over HTTP', async () => {
    const s = await openSession({ listen: true });
    try {
      const bucket = await s.createBucket('ordering-bucket');
      const [first, second, third] = await threeVersions(s, bucket.bucketId);
      expect(new Set([first!.uploadTimestamp, second!.uploadTimestamp, third!.uploadTimestamp])).toEqual(
        new Set([Date.parse('2026-11-02T10:00:00.000Z')]),
      );
      // Ids count down: sorting by (name, id) is newest first.
      expect(orderOf(third!.fileId) < orderOf(second!.fileId)).toBe(true);
      expect(orderOf(second!.fileId) < orderOf(first!.fileId)).toBe(true);

      const versions = (await s.call('b2_list_file_versions', { bucketId: bucket.bucketId })).json().files;
      expect(versions.map((f: Json) => f.contentSha1)).toEqual([
        sha1('third'),
        sha1('second'),
        sha1('first'),
      ]);
      expect([...versions.map((f: Json) => f.fileId)].sort()).toEqual(versions.map((f: Json) => f.fileId));

      const names = (await s.call('b2_list_file_names', { bucketId: bucket.bucketId })).json().files;
      expect(names.map((f: Json) => f.fileId)).toEqual([third!.fileId]);

      const got = await s.download('/file/ordering-bucket/x.txt', { headers: { authorization: s.token } });
      expect(got.body).toBe('third');
      const head = await s.download('/file/ordering-bucket/x.txt', {
        method: 'HEAD',
        headers: { authorization: s.token },
      });
      expect(head.headers.get('x-bz-file-id')).toBe(third!.fileId);

      // Paging through versions one at a time keeps the same order.
      const paged: string[] = [];
      let start: Json = {};
      for (;;) {
        const page = (
          await s.call('b2_list_file_versions', { bucketId: bucket.bucketId, maxFileCount: 1, ...start })
        ).json();
        paged.push(...page.files.map((f: Json) => f.fileId));
        if (!page.nextFileId) break;
        start = { startFileName: page.nextFileName, startFileId: page.nextFileId };
      }
      expect(paged).toEqual([third!.fileId, second!.fileId, first!.fileId]);
    } finally {
      await s.close();
    }
  });

  it('hide, unhide (deleting the marker), a new upload and a copy each become the latest in turn', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('ordering-hide');
    const [, , third] = await threeVersions(s, bucket.bucketId);
    const marker = (await s.call('b2_hide_file', { bucketId: bucket.bucketId, fileName: 'x.txt' })).json();
    expect(marker.uploadTimestamp).toBe(third!.uploadTimestamp);
    expect((await s.call('b2_list_file_names', { bucketId: bucket.bucketId })).json().files).toEqual([]);
    expect(
      (await s.download('/file/ordering-hide/x.txt', { headers: { authorization: s.token } })).status,
    ).toBe(404);
    // Hiding twice is refused: the marker is the newest version.
    const again = await s.call('b2_hide_file', { bucketId: bucket.bucketId, fileName: 'x.txt' });
    expect(again.json().code).toBe('already_hidden');

    await s.call('b2_delete_file_version', { fileId: marker.fileId, fileName: 'x.txt' });
    const back = await s.download('/file/ordering-hide/x.txt', { headers: { authorization: s.token } });
    expect(back.body).toBe('third');

    await s.call('b2_hide_file', { bucketId: bucket.bucketId, fileName: 'x.txt' });
    const fourth = await s.put(bucket.bucketId, 'x.txt', 'fourth');
    expect(
      (await s.download('/file/ordering-hide/x.txt', { headers: { authorization: s.token } })).body,
    ).toBe('fourth');
    const copy = (await s.call('b2_copy_file', { sourceFileId: third!.fileId, fileName: 'x.txt' })).json();
    const names = (await s.call('b2_list_file_names', { bucketId: bucket.bucketId })).json().files;
    expect(names.map((f: Json) => f.fileId)).toEqual([copy.fileId]);
    expect(copy.fileId).not.toBe(fourth.fileId);
    const actions = (await s.call('b2_list_file_versions', { bucketId: bucket.bucketId })).json().files;
    expect(actions.map((f: Json) => f.action)).toEqual([
      'upload',
      'upload',
      'hide',
      'upload',
      'upload',
      'upload',
    ]);
  });

  it('lists unfinished large files oldest first, in start order within one second', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('ordering-large');
    const started: string[] = [];
    for (const name of ['b.bin', 'a.bin', 'b.bin']) {
      const file = (
        await s.call('b2_start_large_file', {
          bucketId: bucket.bucketId,
          fileName: name,
          contentType: 'b2/x-auto',
        })
      ).json();
      started.push(file.fileId);
    }
    const listed = (await s.call('b2_list_unfinished_large_files', { bucketId: bucket.bucketId })).json();
    expect(listed.files.map((f: Json) => f.fileId)).toEqual(started);
    const page = (
      await s.call('b2_list_unfinished_large_files', { bucketId: bucket.bucketId, maxFileCount: 2 })
    ).json();
    expect(page.nextFileId).toBe(started[2]);
    const rest = (
      await s.call('b2_list_unfinished_large_files', {
        bucketId: bucket.bucketId,
        startFileId: page.nextFileId,
      })
    ).json();
    expect(rest.files.map((f: Json) => f.fileId)).toEqual([started[2]]);
  });

  it('keeps the order across a restart with persisted state, and after reset and seed', async () => {
    const data = await mkdtemp(join(tmpdir(), 'b2-order-'));
    const before = await openSession({ data });
    let after: Session | undefined;
    try {
      const bucket = await before.createBucket('ordering-kept');
      const old = await before.put(bucket.bucketId, 'x.txt', 'before restart');
      await before.close();

      after = await openSession({ data });
      const fresh = await after.put(bucket.bucketId, 'x.txt', 'after restart');
      expect(fresh.uploadTimestamp).toBe(old.uploadTimestamp);
      expect(orderOf(fresh.fileId) < orderOf(old.fileId)).toBe(true);
      const got = await after.download('/file/ordering-kept/x.txt', {
        headers: { authorization: after.token },
      });
      expect(got.body).toBe('after restart');

      // A seed replaces the whole state (new account, new master key): ids still never come back.
      await after.emulator.control.seed('demo');
      const { keyId, key } = after.emulator.control.credentials() as { keyId: string; key: string };
      const auth = (await after.authorize('v2', keyId, key)).json();
      const demo = (
        await after.call(
          'b2_list_buckets',
          { accountId: auth.accountId, bucketName: 'mediaferry-demo' },
          auth.authorizationToken,
        )
      ).json().buckets[0];
      const seeded = (
        await after.upload(
          await after.uploadUrl(demo.bucketId, auth.authorizationToken),
          'x.txt',
          'after seed',
        )
      ).json();
      expect(orderOf(seeded.fileId) < orderOf(fresh.fileId)).toBe(true);
    } finally {
      await before.close();
      await after?.close();
      await rm(data, { recursive: true, force: true });
    }
  });
});

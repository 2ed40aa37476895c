import { describe, expect, it } from 'vitest';
import { customerKey, openSession, sha1, sseCHeaders, type UploadTarget } from './session.js';

const SSE_B2 = { algorithm: 'AES256', mode: 'SSE-B2' };
const SSE_C = { algorithm: 'AES256', mode: 'SSE-C' };
const ssecJson = (secret: { key: string; md5: string }) => ({
  ...SSE_C,
  customerKey: secret.key,
  customerKeyMd5: secret.md5,
});

describe('B2 server-side encryption', () => {
  it('SSE-B2 per file and as a bucket default, in responses and as a download header', async () => {
    const s = await openSession();
    const plain = await s.createBucket('sse-plain');
    const asked = await s.put(plain.bucketId, 'one.txt', 'one', { 'x-bz-server-side-encryption': 'AES256' });
    expect(asked.serverSideEncryption).toEqual(SSE_B2);
    const unencrypted = await s.put(plain.bucketId, 'two.txt', 'two');
    expect(unencrypted.serverSideEncryption).toEqual({ algorithm: null, mode: null });

    const bucket = await s.createBucket('sse-default', { defaultServerSideEncryption: SSE_B2 });
    expect(bucket.defaultServerSideEncryption).toEqual({ isClientAuthorizedToRead: true, value: SSE_B2 });
    const defaulted = await s.put(bucket.bucketId, 'three.txt', 'three');
    expect(defaulted.serverSideEncryption).toEqual(SSE_B2);
    const got = await s.download('/file/sse-default/three.txt', { headers: { authorization: s.token } });
    expect([got.body, got.headers.get('x-bz-server-side-encryption')]).toEqual(['three', 'AES256']);
    const none = await s.download('/file/sse-plain/two.txt', { headers: { authorization: s.token } });
    expect(none.headers.has('x-bz-server-side-encryption')).toBe(false);

    // b2sdk turns the default off with {mode: "none"}.
    const off = (
      await s.call('b2_update_bucket', {
        accountId: s.accountId,
        bucketId: bucket.bucketId,
        defaultServerSideEncryption: { mode: 'none' },
      })
    ).json();
    expect(off.defaultServerSideEncryption.value).toEqual({ algorithm: null, mode: null });

    const refusedC = await s.call('b2_update_bucket', {
      accountId: s.accountId,
      bucketId: bucket.bucketId,
      defaultServerSideEncryption: ssecJson(customerKey(1)),
    });
    expect([refusedC.status, refusedC.json().code]).toEqual([400, 'bad_request']);
    const weak = await s.keyWith(['listBuckets', 'writeBuckets']);
    const noWrite = await s.call(
      'b2_update_bucket',
      { accountId: s.accountId, bucketId: bucket.bucketId, defaultServerSideEncryption: SSE_B2 },
      weak,
    );
    expect([noWrite.status, noWrite.json().code]).toEqual([401, 'unauthorized']);
    const listed = (
      await s.call('b2_list_buckets', { accountId: s.accountId, bucketId: bucket.bucketId }, weak)
    ).json();
    expect(listed.buckets[0].defaultServerSideEncryption).toEqual({
      isClientAuthorizedToRead: false,
      value: null,
    });
    const wrongValue = await s.upload(await s.uploadUrl(plain.bucketId), 'x.txt', 'x', {
      'x-bz-server-side-encryption': 'NONE',
    });
    expect(wrongValue.status).toBe(400);
  });

  it('SSE-C: only the right key reads the file; B2 keeps and shows only the key MD5', async () => {
    const s = await openSession({ listen: true });
    try {
      const bucket = await s.createBucket('sse-customer');
      const secret = customerKey(7);
      const stored = await s.put(bucket.bucketId, 'secret.txt', 'secret bytes', sseCHeaders(secret));
      expect(stored.serverSideEncryption).toEqual(SSE_C);
      expect(JSON.stringify(stored)).not.toContain(secret.key);

      const path = '/file/sse-customer/secret.txt';
      const auth = { authorization: s.token };
      const withKey = await s.download(path, { headers: { ...auth, ...sseCHeaders(secret) } });
      expect(withKey.status).toBe(200);
      expect(withKey.body).toBe('secret bytes');
      expect(withKey.headers.get('x-bz-server-side-encryption-customer-algorithm')).toBe('AES256');
      expect(withKey.headers.get('x-bz-server-side-encryption-customer-key-md5')).toBe(secret.md5);

      for (const method of ['GET', 'HEAD']) {
        const without = await s.download(path, { method, headers: auth });
        expect([method, without.status]).toEqual([method, 400]);
        const wrong = await s.download(path, {
          method,
          headers: { ...auth, ...sseCHeaders(customerKey(8)) },
        });
        expect([method, wrong.status]).toEqual([method, 403]);
      }
      const byId = await s.download(`/b2api/v2/b2_download_file_by_id?fileId=${stored.fileId}`, {
        headers: auth,
      });
      expect(byId.json().code).toBe('bad_request');

      const badMd5 = await s.upload(await s.uploadUrl(bucket.bucketId), 'x.txt', 'x', {
        ...sseCHeaders(secret),
        'x-bz-server-side-encryption-customer-key-md5': customerKey(9).md5,
      });
      expect([badMd5.status, badMd5.json().code]).toEqual([400, 'bad_request']);
      const both = await s.upload(await s.uploadUrl(bucket.bucketId), 'x.txt', 'x', {
        ...sseCHeaders(secret),
        'x-bz-server-side-encryption': 'AES256',
      });
      expect(both.status).toBe(400);

      // The emulator's state (what --data persists) holds the key's MD5, never the key.
      const dump = JSON.stringify(s.emulator.control.dump());
      expect(dump).toContain(secret.md5);
      expect(dump).not.toContain(secret.key);
    } finally {
      await s.close();
    }
  });

  it('SSE-C large files: every part brings the key; the finished file needs it to be read', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('sse-large');
    const secret = customerKey(3);
    const started = (
      await s.call('b2_start_large_file', {
        bucketId: bucket.bucketId,
        fileName: 'big.bin',
        contentType: 'b2/x-auto',
        serverSideEncryption: ssecJson(secret),
      })
    ).json();
    expect(started.serverSideEncryption).toEqual(SSE_C);
    const target = (
      await s.call('b2_get_upload_part_url', { fileId: started.fileId })
    ).json() as UploadTarget;
    const keyless = await s.upload(target, 'x', 'aaaaaa', { 'x-bz-part-number': '1' });
    expect(keyless.status).toBe(400);
    const other = await s.upload(target, 'x', 'aaaaaa', {
      'x-bz-part-number': '1',
      ...sseCHeaders(customerKey(4)),
    });
    expect([other.status, other.json().code]).toEqual([403, 'access_denied']);
    const part = (
      await s.upload(target, 'x', 'aaaaaa', { 'x-bz-part-number': '1', ...sseCHeaders(secret) })
    ).json();
    expect(part.serverSideEncryption).toEqual(SSE_C);

    const source = await s.put(bucket.bucketId, 'tail.txt', 'tail');
    const copyKeyless = await s.call('b2_copy_part', {
      sourceFileId: source.fileId,
      largeFileId: started.fileId,
      partNumber: 2,
    });
    expect(copyKeyless.status).toBe(400);
    const copied = await s.call('b2_copy_part', {
      sourceFileId: source.fileId,
      largeFileId: started.fileId,
      partNumber: 2,
      destinationServerSideEncryption: ssecJson(secret),
    });
    expect(copied.json().serverSideEncryption).toEqual(SSE_C);
    const finished = (
      await s.call('b2_finish_large_file', {
        fileId: started.fileId,
        partSha1Array: [sha1('aaaaaa'), sha1('tail')],
      })
    ).json();
    expect(finished.serverSideEncryption).toEqual(SSE_C);
    const got = await s.download('/file/sse-large/big.bin', {
      headers: { authorization: s.token, ...sseCHeaders(secret) },
    });
    expect(got.body).toBe('aaaaaatail');
  });

  it('copies: an SSE-C source needs its key; the destination takes its own encryption or the default', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('sse-copies');
    const secret = customerKey(5);
    const source = await s.put(bucket.bucketId, 'src.txt', 'source', sseCHeaders(secret));
    const keyless = await s.call('b2_copy_file', { sourceFileId: source.fileId, fileName: 'a.txt' });
    expect([keyless.status, keyless.json().code]).toEqual([400, 'bad_request']);
    const wrong = await s.call('b2_copy_file', {
      sourceFileId: source.fileId,
      fileName: 'a.txt',
      sourceServerSideEncryption: ssecJson(customerKey(6)),
    });
    expect([wrong.status, wrong.json().code]).toEqual([403, 'access_denied']);
    const toB2 = (
      await s.call('b2_copy_file', {
        sourceFileId: source.fileId,
        fileName: 'b2.txt',
        sourceServerSideEncryption: ssecJson(secret),
        destinationServerSideEncryption: SSE_B2,
      })
    ).json();
    expect(toB2.serverSideEncryption).toEqual(SSE_B2);
    const got = await s.download('/file/sse-copies/b2.txt', { headers: { authorization: s.token } });
    expect(got.body).toBe('source');
    const plainCopy = (
      await s.call('b2_copy_file', {
        sourceFileId: source.fileId,
        fileName: 'plain.txt',
        sourceServerSideEncryption: ssecJson(secret),
      })
    ).json();
    expect(plainCopy.serverSideEncryption).toEqual({ algorithm: null, mode: null });
  });

  it('encrypted uploads get the 2048-byte budget for name and info', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('sse-budget');
    const info = { 'x-bz-info-notes': 'n'.repeat(2100) };
    expect((await s.upload(await s.uploadUrl(bucket.bucketId), 'plain.txt', 'p', info)).status).toBe(200);
    const encrypted = await s.upload(await s.uploadUrl(bucket.bucketId), 'enc.txt', 'e', {
      ...info,
      'x-bz-server-side-encryption': 'AES256',
    });
    expect([encrypted.status, encrypted.json().message]).toEqual([
      400,
      'file name and file info exceed 2048 bytes',
    ]);
  });
});

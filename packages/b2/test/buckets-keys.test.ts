/** `b2.buckets` and `b2.keys` against the B2 emulator. */
import { NotFoundError } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { DuplicateBucketNameError, NoSuchBucketError } from '../src/index.js';
import { setup } from './support/emulator.js';

describe('buckets', () => {
  it('create, list, get, update (revision guarded), delete', async () => {
    const { client, calls } = await setup();
    const created = await client.buckets.create({
      bucketName: 'ferry-test-bucket',
      bucketType: 'allPrivate',
      bucketInfo: { team: 'ferry' },
    });
    expect(created).toMatchObject({
      bucketName: 'ferry-test-bucket',
      bucketType: 'allPrivate',
      bucketInfo: { team: 'ferry' },
    });
    await expect(
      client.buckets.create({ bucketName: 'ferry-test-bucket', bucketType: 'allPrivate' }),
    ).rejects.toBeInstanceOf(DuplicateBucketNameError);
    const updated = await client.buckets.update({
      bucketId: created.bucketId,
      bucketType: 'allPublic',
      ifRevisionIs: created.revision,
    });
    expect(updated.revision).toBe(created.revision + 1);
    await expect(
      client.buckets.update({
        bucketId: created.bucketId,
        bucketType: 'allPrivate',
        ifRevisionIs: created.revision,
      }),
    ).rejects.toMatchObject({ status: 409 });
    const names = [];
    for await (const bucket of client.buckets.list()) names.push(bucket.bucketName);
    expect(names).toContain('ferry-test-bucket');
    expect(names).toEqual([...names].sort());
    const page = await client.buckets.list({ bucketName: 'ferry-test-bucket' });
    expect(page.items.map((b) => b.bucketId)).toEqual([created.bucketId]);
    expect((await client.buckets.get({ bucketId: created.bucketId })).bucketName).toBe('ferry-test-bucket');
    await client.buckets.delete(created.bucketId);
    const missing = await client.buckets.get({ bucketName: 'ferry-test-bucket' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NoSuchBucketError);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404 });
    expect(calls('b2_list_buckets').length).toBeGreaterThan(0);
  });

  it('get().withResponse() answers the response of the one request it made', async () => {
    const { client, calls } = await setup();
    const { data, response } = await client.buckets.get({ bucketName: 'mediaferry-demo' }).withResponse();
    expect(data.bucketName).toBe('mediaferry-demo');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(calls('b2_list_buckets')).toHaveLength(1);
  });

  it('bad names and types are refused before any request', async () => {
    const { client, calls } = await setup();
    await expect(
      client.buckets.create({ bucketName: 'b2-nope', bucketType: 'allPrivate' }),
    ).rejects.toMatchObject({
      field: 'bucketName',
    });
    await expect(
      client.buckets.create({ bucketName: 'fine-name', bucketType: 'snapshot' as 'allPrivate' }),
    ).rejects.toMatchObject({ field: 'bucketType' });
    await expect(client.buckets.delete('')).rejects.toMatchObject({ field: 'bucketId' });
    expect(calls()).toEqual([]);
  });
});

describe('keys', () => {
  it('create (the secret once), list with paging, delete', async () => {
    const { client, bucketId, calls, connect } = await setup();
    const created = [];
    for (const name of ['reader-a', 'reader-b', 'reader-c'])
      created.push(
        await client.keys.create({
          capabilities: ['listFiles', 'readFiles'],
          keyName: name,
          bucketId,
          namePrefix: 'p/',
        }),
      );
    expect(created[0]).toMatchObject({ keyName: 'reader-a', namePrefix: 'p/', bucketId });
    expect(created[0]!.applicationKey).toEqual(expect.any(String));
    const listed = await client.keys.list({ pageSize: 2 }).toArray({ limit: 100 });
    expect(listed.map((k) => k.applicationKeyId)).toEqual(
      expect.arrayContaining(created.map((k) => k.applicationKeyId)),
    );
    expect(calls('b2_list_keys').length).toBeGreaterThanOrEqual(2);
    // The new key works, within its restriction.
    const reader = connect({
      keyId: created[0]!.applicationKeyId,
      applicationKey: created[0]!.applicationKey,
    });
    expect((await reader.authorize()).namePrefix).toBe('p/');
    for (const key of created) await client.keys.delete(key.applicationKeyId);
    const left = await client.keys.list().toArray({ limit: 100 });
    expect(left.map((k) => k.applicationKeyId)).not.toContain(created[0]!.applicationKeyId);
  });

  it('bad keys are refused before any request', async () => {
    const { client, calls } = await setup();
    await expect(client.keys.create({ capabilities: [], keyName: 'x' })).rejects.toMatchObject({
      field: 'capabilities',
    });
    await expect(
      client.keys.create({ capabilities: ['listFiles'], keyName: 'no spaces' }),
    ).rejects.toMatchObject({
      field: 'keyName',
    });
    await expect(
      client.keys.create({ capabilities: ['listFiles'], keyName: 'k', namePrefix: 'p/' }),
    ).rejects.toMatchObject({ field: 'namePrefix' });
    expect(() => client.keys.list({ pageSize: 0 })).toThrow(/pageSize/);
    expect(calls()).toEqual([]);
  });
});

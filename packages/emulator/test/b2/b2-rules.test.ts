import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { b2Service, createEmulator } from '../../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON read loosely in assertions
type Json = Record<string, any>;

const ORIGIN = 'http://b2.test';
const sha1 = (data: string | Uint8Array) => createHash('sha1').update(data).digest('hex');

async function setup() {
  const emulator = createEmulator(b2Service, { seed: 'demo' });
  const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
  const authorize = async (id = keyId, secret = key, version = 'v3') =>
    (
      await emulator.fetch(`${ORIGIN}/b2api/${version}/b2_authorize_account`, {
        headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` },
      })
    ).json() as Promise<Json>;
  const auth = await authorize();
  const call = async (
    name: string,
    body: Record<string, unknown>,
    token: string = auth.authorizationToken,
  ) => {
    const response = await emulator.fetch(`${ORIGIN}/b2api/v3/${name}`, {
      method: 'POST',
      headers: { authorization: token },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const bucket = (await call('b2_list_buckets', { accountId: auth.accountId, bucketName: 'mediaferry-demo' }))
    .body.buckets[0];
  const uploadUrl = async () =>
    (await call('b2_get_upload_url', { bucketId: bucket.bucketId })).body as {
      uploadUrl: string;
      authorizationToken: string;
    };
  const upload = async (
    target: { uploadUrl: string; authorizationToken: string },
    name: string,
    data: string,
    headers: Record<string, string> = {},
  ) => {
    const response = await emulator.fetch(target.uploadUrl, {
      method: 'POST',
      headers: {
        authorization: target.authorizationToken,
        'x-bz-file-name': name,
        'content-type': 'text/plain',
        'x-bz-content-sha1': sha1(data),
        'content-length': String(Buffer.byteLength(data)),
        ...headers,
      },
      body: data,
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  return { emulator, auth, authorize, call, bucket, uploadUrl, upload };
}

describe('B2 emulator rules (spec §3)', () => {
  it('v3 authorize groups the storage API under apiInfo; v4 adds allowed.buckets', async () => {
    const { auth, authorize } = await setup();
    expect(auth.apiInfo.storageApi).toMatchObject({
      infoType: 'storageApi',
      apiUrl: ORIGIN,
      downloadUrl: ORIGIN,
      recommendedPartSize: 100_000_000,
    });
    const v4 = await authorize(undefined, undefined, 'v4');
    expect(v4.apiInfo.storageApi.allowed).toMatchObject({ buckets: null, namePrefix: null });
  });

  it('expired tokens answer 401 expired_auth_token on the virtual clock', async () => {
    const { emulator, call, auth } = await setup();
    emulator.control.clock.advance(86_400_001);
    const result = await call('b2_list_buckets', { accountId: auth.accountId });
    expect(result).toMatchObject({ status: 401, body: { code: 'expired_auth_token', status: 401 } });
  });

  it('forgets tokens a day after they expire, and until then still calls them expired', async () => {
    const { emulator, call, auth, authorize, uploadUrl, upload, bucket } = await setup();
    // Account and download tokens are in the saved state; upload tokens are kept in memory (below).
    const issued = () => {
      const { state } = emulator.control.dump() as { state: Record<string, Record<string, unknown>> };
      expect(state.uploadTokens).toBeUndefined();
      return [state.tokens, state.downloadAuths].map((t) => Object.keys(t!).length);
    };
    const old = await uploadUrl();
    await call('b2_get_download_authorization', {
      bucketId: (await call('b2_list_buckets', { accountId: auth.accountId })).body.buckets[0].bucketId,
      fileNamePrefix: '',
      validDurationInSeconds: 86_400,
    });
    const [tokens, downloads] = issued();
    expect(downloads).toBeGreaterThan(0);
    // Expired, but within the day after: still known, and named expired.
    emulator.control.clock.advance(86_400_000 + 60_000);
    const fresh = await authorize();
    expect(issued()).toEqual([tokens! + 1, downloads]);
    expect(await upload(old, 'late.txt', 'late')).toMatchObject({
      status: 401,
      body: { code: 'expired_auth_token' },
    });
    // A day later still, the next token issued sweeps those out. The one issued a day ago has just expired: kept.
    emulator.control.clock.advance(86_400_000);
    const newest = await authorize();
    expect(issued()).toEqual([2, 0]);
    // Upload tokens are swept when the next one is issued.
    const current = (
      await call('b2_get_upload_url', { bucketId: bucket.bucketId }, newest.authorizationToken)
    ).body as { uploadUrl: string; authorizationToken: string };
    expect((await upload(old, 'later.txt', 'later')).body.code).toBe('bad_auth_token');
    expect((await upload(current, 'later.txt', 'later')).status).toBe(200);
    expect(
      (await call('b2_list_buckets', { accountId: auth.accountId }, fresh.authorizationToken)).status,
    ).toBe(401);
    expect(
      (await call('b2_list_buckets', { accountId: auth.accountId }, newest.authorizationToken)).status,
    ).toBe(200);
  });

  it('keeps upload tokens out of the saved state: a restart or a reseed ends them, a new one works', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-b2-tokens-'));
    const first = createEmulator(b2Service, { seed: 'demo', data, idSeed: 'tokens' });
    const { keyId, key } = first.control.credentials() as { keyId: string; key: string };
    const basic = `Basic ${Buffer.from(`${keyId}:${key}`).toString('base64')}`;
    const session = async (emulator: typeof first) => {
      const auth = (await (
        await emulator.fetch(`${ORIGIN}/b2api/v3/b2_authorize_account`, { headers: { authorization: basic } })
      ).json()) as Json;
      const post = async (name: string, body: Json) =>
        (await emulator
          .fetch(`${ORIGIN}/b2api/v3/${name}`, {
            method: 'POST',
            headers: { authorization: auth.authorizationToken },
            body: JSON.stringify(body),
          })
          .then((r) => r.json())) as Json;
      const [bucket] = (await post('b2_list_buckets', { accountId: auth.accountId })).buckets;
      const target = await post('b2_get_upload_url', { bucketId: bucket.bucketId });
      const send = async (to: Json) =>
        (
          await emulator.fetch(to.uploadUrl, {
            method: 'POST',
            headers: {
              authorization: to.authorizationToken,
              'x-bz-file-name': 'kept.txt',
              'content-type': 'text/plain',
              'x-bz-content-sha1': sha1('kept'),
              'content-length': '4',
            },
            body: 'kept',
          })
        ).status;
      return { target, send };
    };
    const before = await session(first);
    expect(await before.send(before.target)).toBe(200);
    const saved = await readFile(join(data, 'b2', 'state.json'), 'utf8');
    expect(saved).not.toContain(before.target.authorizationToken);
    await first.close();

    const second = createEmulator(b2Service, { seed: 'demo', data, idSeed: 'tokens' });
    const after = await session(second);
    expect(await after.send(before.target)).toBe(401);
    expect(await after.send(after.target)).toBe(200);
    await second.control.seed('demo');
    expect(await after.send(after.target)).toBe(401);
    await second.close();
  });

  it('one upload per upload token at a time: a concurrent second one is 400 auth_token_limit', async () => {
    const { emulator, uploadUrl } = await setup();
    const target = await uploadUrl();
    let release!: () => void;
    const slow = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(5));
        release = () => controller.close();
      },
    });
    const first = emulator.fetch(target.uploadUrl, {
      method: 'POST',
      headers: {
        authorization: target.authorizationToken,
        'x-bz-file-name': 'a.bin',
        'content-type': 'b2/x-auto',
        'x-bz-content-sha1': 'do_not_verify',
        'content-length': '5',
      },
      body: slow,
      duplex: 'half',
    } as RequestInit);
    await new Promise((r) => setTimeout(r, 20));
    const second = await emulator.fetch(target.uploadUrl, {
      method: 'POST',
      headers: {
        authorization: target.authorizationToken,
        'x-bz-file-name': 'b.bin',
        'content-type': 'b2/x-auto',
        'x-bz-content-sha1': sha1(''),
        'content-length': '0',
      },
    });
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ code: 'auth_token_limit' });
    release();
    const done = (await (await first).json()) as Record<string, unknown>;
    expect(done.contentSha1).toMatch(/^unverified:[0-9a-f]{40}$/);
  });

  it('verifies SHA-1: given, at the end of the body, and a mismatch is 400 with nothing stored', async () => {
    const { uploadUrl, upload, call, bucket } = await setup();
    const atEnd = await upload(await uploadUrl(), 'end.txt', `hello${sha1('hello')}`, {
      'x-bz-content-sha1': 'hex_digits_at_end',
      'content-length': '45',
    });
    expect(atEnd.body).toMatchObject({ contentLength: 5, contentSha1: sha1('hello') });
    const wrong = await upload(await uploadUrl(), 'wrong.txt', 'hello', {
      'x-bz-content-sha1': sha1('other'),
    });
    expect(wrong).toMatchObject({
      status: 400,
      body: { code: 'bad_request', message: 'Sha1 did not match data received' },
    });
    const names = (await call('b2_list_file_names', { bucketId: bucket.bucketId })).body.files.map(
      (f: { fileName: string }) => f.fileName,
    );
    expect(names).not.toContain('wrong.txt');
  });

  it('decodes names with + as space and percent-escapes; a raw space is refused', async () => {
    const { uploadUrl, upload, emulator, auth } = await setup();
    const ok = await upload(await uploadUrl(), 'dir/a+b%2Bc%20%C3%BC.txt', 'x');
    expect(ok.body.fileName).toBe('dir/a b+c ü.txt');
    const raw = await upload(await uploadUrl(), 'has space.txt', 'x');
    expect(raw).toMatchObject({
      status: 400,
      body: { message: 'Bad character in percent-encoded string: 32' },
    });
    const download = await emulator.fetch(`${ORIGIN}/file/mediaferry-demo/dir/a+b%2Bc%20%C3%BC.txt`, {
      headers: { authorization: auth.authorizationToken },
    });
    expect(download.headers.get('x-bz-file-name')).toBe('dir/a%20b%2Bc%20%C3%BC.txt');
  });

  it('lists in UTF-8 byte order with folders for a delimiter and a working nextFileName', async () => {
    const { uploadUrl, upload, call, bucket } = await setup();
    for (const name of ['z.txt', 'é.txt', 'a/1.txt', 'a/2.txt', 'b.txt'])
      await upload(await uploadUrl(), encodeURIComponent(name).replace(/%2F/g, '/'), name);
    const top = (
      await call('b2_list_file_names', { bucketId: bucket.bucketId, delimiter: '/', maxFileCount: 2 })
    ).body;
    expect(top.files.map((f: { fileName: string; action: string }) => `${f.fileName}:${f.action}`)).toEqual([
      'README.txt:upload',
      'a/:folder',
    ]);
    const rest = (
      await call('b2_list_file_names', {
        bucketId: bucket.bucketId,
        delimiter: '/',
        startFileName: top.nextFileName,
      })
    ).body;
    expect(rest.files.map((f: { fileName: string }) => f.fileName)).toEqual(['b.txt', 'z.txt', 'é.txt']);
  });

  it('private downloads need a token; a download authorization covers its prefix only', async () => {
    const { emulator, call, bucket, uploadUrl, upload } = await setup();
    await upload(await uploadUrl(), 'files/a.txt', 'A');
    expect((await emulator.fetch(`${ORIGIN}/file/mediaferry-demo/files/a.txt`)).status).toBe(401);
    const grant = (
      await call('b2_get_download_authorization', {
        bucketId: bucket.bucketId,
        fileNamePrefix: 'files/',
        validDurationInSeconds: 86_400,
      })
    ).body;
    const ok = await emulator.fetch(
      `${ORIGIN}/file/mediaferry-demo/files/a.txt?Authorization=${encodeURIComponent(grant.authorizationToken)}`,
    );
    expect(await ok.text()).toBe('A');
    const outside = await emulator.fetch(`${ORIGIN}/file/mediaferry-demo/README.txt`, {
      headers: { authorization: grant.authorizationToken },
    });
    expect(outside.status).toBe(401);
  });

  it('enforces capabilities and bucket/prefix restrictions of application keys', async () => {
    const { call, auth, bucket, authorize } = await setup();
    const key = (
      await call('b2_create_key', {
        accountId: auth.accountId,
        capabilities: ['listFiles'],
        keyName: 'lister',
        bucketId: bucket.bucketId,
        namePrefix: 'gopro/',
      })
    ).body;
    const limited = await authorize(key.applicationKeyId, key.applicationKey);
    expect(limited.apiInfo.storageApi).toMatchObject({
      bucketId: bucket.bucketId,
      namePrefix: 'gopro/',
      capabilities: ['listFiles'],
    });
    const token = limited.authorizationToken;
    expect(
      (await call('b2_list_file_names', { bucketId: bucket.bucketId, prefix: 'gopro/' }, token)).status,
    ).toBe(200);
    expect(
      (await call('b2_list_file_names', { bucketId: bucket.bucketId, prefix: '' }, token)).body.code,
    ).toBe('unauthorized');
    expect((await call('b2_get_upload_url', { bucketId: bucket.bucketId }, token)).body.code).toBe(
      'unauthorized',
    );
    await call('b2_delete_key', { applicationKeyId: key.applicationKeyId });
    expect(
      (await call('b2_list_file_names', { bucketId: bucket.bucketId, prefix: 'gopro/' }, token)).body.code,
    ).toBe('bad_auth_token');
  });

  it('honours X-Bz-Test-Mode fail_some_uploads and force_cap_exceeded', async () => {
    const { uploadUrl, upload } = await setup();
    const statuses = [];
    for (let i = 0; i < 4; i += 1)
      statuses.push(
        (await upload(await uploadUrl(), `t${i}.txt`, 'x', { 'x-bz-test-mode': 'fail_some_uploads' })).status,
      );
    expect(statuses).toEqual([503, 200, 503, 200]);
    expect(
      (await upload(await uploadUrl(), 'cap.txt', 'x', { 'x-bz-test-mode': 'force_cap_exceeded' })).body.code,
    ).toBe('storage_cap_exceeded');
  });

  it('large files: finish checks part count, order, SHA-1s and minimum part size', async () => {
    const { emulator, call, bucket } = await setup();
    const start = (
      await call('b2_start_large_file', {
        bucketId: bucket.bucketId,
        fileName: 'big.bin',
        contentType: 'b2/x-auto',
      })
    ).body;
    const part = async (n: number, data: string) => {
      const target = (await call('b2_get_upload_part_url', { fileId: start.fileId })).body;
      return emulator.fetch(target.uploadUrl, {
        method: 'POST',
        headers: {
          authorization: target.authorizationToken,
          'x-bz-part-number': String(n),
          'x-bz-content-sha1': sha1(data),
          'content-length': String(data.length),
        },
        body: data,
      });
    };
    const big = 'a'.repeat(5_000_000);
    await part(1, big);
    expect(
      (await call('b2_finish_large_file', { fileId: start.fileId, partSha1Array: [sha1(big)] })).body.message,
    ).toMatch(/at least 2 parts/);
    await part(2, 'tail');
    expect(
      (await call('b2_finish_large_file', { fileId: start.fileId, partSha1Array: [sha1(big), sha1('x')] }))
        .status,
    ).toBe(400);
    const done = (
      await call('b2_finish_large_file', { fileId: start.fileId, partSha1Array: [sha1(big), sha1('tail')] })
    ).body;
    expect(done).toMatchObject({
      action: 'upload',
      contentLength: 5_000_004,
      contentSha1: 'none',
      contentType: 'application/octet-stream',
    });
  });
});

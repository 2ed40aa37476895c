import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { type Answer, openSession, type Session } from './session.js';

const PLAIN_HEADERS = [
  'accept-ranges',
  'content-length',
  'content-type',
  'date',
  'x-bz-content-sha1',
  'x-bz-file-id',
  'x-bz-file-name',
  'x-bz-upload-timestamp',
];

/**
 * The header names of an answer. Over a socket Node's HTTP server announces keep-alive itself (`Connection:
 * keep-alive`, `Keep-Alive`); real B2 leaves that implicit. Those transport headers are not the emulator's.
 */
const names = (answer: Answer) =>
  [...answer.headers.keys()].filter((name) => name !== 'connection' && name !== 'keep-alive').sort();

/** The four ways to read a file: by id (GET and POST), by name (GET and HEAD). */
async function everyDownload(s: Session, bucketName: string, fileName: string, fileId: string) {
  const auth = { authorization: s.token };
  return {
    byIdGet: await s.download(`/b2api/v2/b2_download_file_by_id?fileId=${fileId}`, { headers: auth }),
    byIdPost: await s.download('/b2api/v2/b2_download_file_by_id', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ fileId }),
    }),
    byName: await s.download(`/file/${bucketName}/${fileName}`, { headers: auth }),
    head: await s.download(`/file/${bucketName}/${fileName}`, { method: 'HEAD', headers: auth }),
  };
}

describe('B2 download headers, as real B2 sends them', () => {
  it('sends no Cache-Control of its own on any download (only API JSON carries max-age=0, no-store)', async () => {
    const s = await openSession({ listen: true });
    try {
      const bucket = await s.createBucket('headers-plain');
      const file = await s.put(bucket.bucketId, 'plain.txt', 'plain bytes');
      for (const [how, answer] of Object.entries(
        await everyDownload(s, 'headers-plain', 'plain.txt', file.fileId),
      )) {
        expect([how, answer.status]).toEqual([how, 200]);
        expect([how, names(answer)]).toEqual([how, PLAIN_HEADERS]);
      }
      const listed = await s.call('b2_list_file_names', { bucketId: bucket.bucketId });
      expect(listed.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store');
    } finally {
      await s.close();
    }
  });

  it('turns each b2-* info into its real header, never also X-Bz-Info-b2-*', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('headers-info');
    const info = {
      'x-bz-info-b2-content-disposition': encodeURIComponent('attachment; filename="clip.mp4"'),
      'x-bz-info-b2-content-language': 'de-CH',
      'x-bz-info-b2-expires': encodeURIComponent('Thu, 01 Dec 2039 16:00:00 GMT'),
      'x-bz-info-b2-cache-control': encodeURIComponent('public, max-age=86400'),
      'x-bz-info-b2-content-encoding': 'identity',
      'x-bz-info-author': encodeURIComponent('Zoë'),
    };
    const file = await s.put(bucket.bucketId, 'clip.txt', 'clip', info);
    for (const answer of Object.values(await everyDownload(s, 'headers-info', 'clip.txt', file.fileId))) {
      expect(answer.headers.get('content-disposition')).toBe('attachment; filename="clip.mp4"');
      expect(answer.headers.get('content-language')).toBe('de-CH');
      expect(answer.headers.get('expires')).toBe('Thu, 01 Dec 2039 16:00:00 GMT');
      expect(answer.headers.get('cache-control')).toBe('public, max-age=86400');
      expect(answer.headers.get('content-encoding')).toBe('identity');
      expect(answer.headers.get('x-bz-info-author')).toBe('Zo%C3%AB');
      expect(names(answer).filter((h) => h.startsWith('x-bz-info-b2-'))).toEqual([]);
    }
  });

  it('takes Cache-Control from the request override, else the file info, else the bucket info', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('headers-cache', { bucketInfo: { 'Cache-Control': 'max-age=600' } });
    const plain = await s.put(bucket.bucketId, 'plain.txt', 'plain');
    const own = await s.put(bucket.bucketId, 'own.txt', 'own', {
      'x-bz-info-b2-cache-control': 'no-cache',
    });
    const get = (path: string) => s.download(path, { headers: { authorization: s.token } });
    expect((await get('/file/headers-cache/plain.txt')).headers.get('cache-control')).toBe('max-age=600');
    expect(
      (await get(`/b2api/v2/b2_download_file_by_id?fileId=${plain.fileId}`)).headers.get('cache-control'),
    ).toBe('max-age=600');
    expect((await get('/file/headers-cache/own.txt')).headers.get('cache-control')).toBe('no-cache');
    expect(
      (await get(`/b2api/v2/b2_download_file_by_id?fileId=${own.fileId}`)).headers.get('cache-control'),
    ).toBe('no-cache');
    const overridden = await get(
      '/file/headers-cache/own.txt?b2CacheControl=max-age%3D5&b2ContentType=text%2Fx-test',
    );
    expect(overridden.headers.get('cache-control')).toBe('max-age=5');
    expect(overridden.headers.get('content-type')).toBe('text/x-test');
  });

  it('applies the overrides a download authorization was issued with, and requires them', async () => {
    const s = await openSession();
    const bucket = await s.createBucket('headers-shared');
    await s.put(bucket.bucketId, 'files/report.txt', 'report');
    const grant = (
      await s.call('b2_get_download_authorization', {
        bucketId: bucket.bucketId,
        fileNamePrefix: 'files/',
        validDurationInSeconds: 60,
        b2ContentDisposition: 'attachment; filename=report.txt',
      })
    ).json().authorizationToken as string;
    const bare = await s.download('/file/headers-shared/files/report.txt', {
      headers: { authorization: grant },
    });
    expect(bare.status).toBe(401);
    const asked = await s.download(
      `/file/headers-shared/files/report.txt?b2ContentDisposition=${encodeURIComponent('attachment; filename=report.txt')}`,
      { headers: { authorization: grant } },
    );
    expect(asked.status).toBe(200);
    expect(asked.headers.get('content-disposition')).toBe('attachment; filename=report.txt');
    expect(asked.headers.has('cache-control')).toBe(false);
  });
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Whether the request went out on a connection an earlier answer had left open. */
  reusedSocket: boolean;
}

/** One request through a keep-alive agent, to see the connection handling itself (fetch hides it). */
function rawCall(agent: Agent, url: string, token: string, path: string, body: unknown): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const text = JSON.stringify(body);
    const req = request(`${url}${path}`, {
      method: 'POST',
      headers: {
        authorization: token,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      },
      agent,
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let received = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (received += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: received,
          reusedSocket: req.reusedSocket,
        }),
      );
    });
    req.end(text);
  });
}

describe('B2 error answers on the wire', () => {
  it('errors are application/json;charset=utf-8, and a 400 closes the connection as real B2 does', async () => {
    const s = await openSession({ listen: true });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const call = (token: string, path: string, body: unknown) =>
        rawCall(agent, s.origin, token, path, body);
      const fine = await call(s.token, '/b2api/v2/b2_list_buckets', { accountId: s.accountId });
      expect(fine.status).toBe(200);
      expect(fine.headers['content-type']).toBe('application/json;charset=UTF-8');
      expect(fine.headers['content-length']).toBe(String(Buffer.byteLength(fine.body)));

      // A 401 leaves the connection open: the next call reuses it.
      const unauthorized = await call('not-a-token', '/b2api/v2/b2_list_buckets', { accountId: s.accountId });
      expect(unauthorized).toMatchObject({ status: 401, reusedSocket: true });
      expect(unauthorized.headers['content-type']).toBe('application/json;charset=utf-8');
      expect(unauthorized.headers.connection).not.toBe('close');

      const bad = await call(s.token, '/b2api/v2/b2_delete_bucket', {
        accountId: s.accountId,
        bucketId: '1234567',
      });
      expect(bad).toMatchObject({ status: 400, reusedSocket: true });
      expect(bad.headers['content-type']).toBe('application/json;charset=utf-8');
      expect(bad.headers.connection).toBe('close');
      expect(JSON.parse(bad.body)).toEqual({
        code: 'bad_bucket_id',
        message: 'Bucket 1234567 does not exist',
        status: 400,
      });

      // The 400 closed its connection: the next call needs a new one.
      const after = await call(s.token, '/b2api/v2/b2_list_buckets', { accountId: s.accountId });
      expect(after).toMatchObject({ status: 200, reusedSocket: false });
    } finally {
      agent.destroy();
      await s.close();
    }
  });

  it('an injected 400 fault is answered the same way (B2 shape, lower-case type, Connection: close)', async () => {
    const s = await openSession();
    s.emulator.control.faults.add({ on: 'b2_list_buckets', status: 400, code: 'bad_request' });
    const faulted = await s.call('b2_list_buckets', { accountId: s.accountId });
    expect(faulted.status).toBe(400);
    expect(faulted.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(faulted.headers.get('connection')).toBe('close');
  });
});

/**
 * The B2 client against a hostile B2 (issue 18, plus issue 12's lost answers and issue 14's If-Range): a
 * fake B2 on 127.0.0.1 that misbehaves one way per test, and a foreign origin recording what reaches it.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  ConnectionError,
  IntegrityError,
  ManualClock,
  MediaferryError,
  PaginationError,
  RateLimitError,
  ResponseTooLargeError,
  ResponseValidationError,
  readAll,
  TimeoutError,
} from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import {
  type Handler,
  hostileServer,
  json,
  leaked,
  pathOf,
  resetAfter,
  trickle,
} from '../../core/test/hostile/server.js';
import { B2Client, type B2ClientOptions, B2Error } from '../src/index.js';

const KEY_ID = 'hostile-key-id';
const KEY = 'K001-application-key-SECRET';
const ACCOUNT_TOKEN = 'account-token-SECRET-4_0001';
const UPLOAD_TOKEN = 'upload-token-4_0002';

type Routes = Record<string, Handler>;

const file = (overrides: Record<string, unknown> = {}) => ({
  accountId: 'acc',
  action: 'upload',
  bucketId: 'bkt1',
  contentLength: 999,
  contentSha1: 'none',
  contentType: 'video/mp4',
  fileId: '4_zbkt1_f1',
  fileInfo: {},
  fileName: 'clip.mp4',
  uploadTimestamp: 1_700_000_000_000,
  ...overrides,
});

/** A fake B2: authorize answers with its own origin unless a route says otherwise; other calls by name. */
async function fakeB2(routes: Routes = {}, options: Partial<B2ClientOptions> = {}) {
  const server = await hostileServer();
  const authorize = (s: ServerResponse) =>
    json(s, 200, {
      accountId: 'acc',
      authorizationToken: ACCOUNT_TOKEN,
      apiInfo: {
        storageApi: {
          apiUrl: server.origin,
          downloadUrl: server.origin,
          recommendedPartSize: 1000,
          absoluteMinimumPartSize: 100,
        },
      },
    });
  server.handle(async (q: IncomingMessage, s, body) => {
    const path = (q.url ?? '').split('?')[0]!;
    const name = path.startsWith('/file/') ? 'download_file_by_name' : path.split('/').pop()!;
    const route = routes[name];
    if (route) return route(q, s, body);
    if (name === 'b2_authorize_account') return authorize(s);
    if (name === 'b2_get_upload_url')
      return json(s, 200, {
        bucketId: 'bkt1',
        uploadUrl: `${server.origin}/upload`,
        authorizationToken: UPLOAD_TOKEN,
      });
    json(s, 404, { status: 404, code: 'not_found', message: name });
  });
  const clock = new ManualClock();
  const client = new B2Client({
    keyId: KEY_ID,
    applicationKey: KEY,
    baseUrl: server.origin,
    clock,
    ...options,
  });
  return { server, client, clock, calls: () => server.requests.map((r) => pathOf(r).split('/').pop()) };
}

async function typedFailure(promise: Promise<unknown>): Promise<MediaferryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(MediaferryError);
  return error as MediaferryError;
}

const tempDir = () => mkdtemp(join(tmpdir(), 'mf-b2-hostile-'));

/** A small upload of `hello` to bkt1. */
const upload = (client: B2Client, options: { maxRetries?: number } = {}) =>
  client.files
    .upload({ bucketId: 'bkt1', fileName: 'a.txt', source: new TextEncoder().encode('hello') }, options)
    .done();

describe('row 1: credentials go only to their own origin', () => {
  it('an upload URL elsewhere gets the upload token, never the account token or key; a redirect drops auth', async () => {
    const foreign = await hostileServer((_q, s) =>
      json(s, 200, file({ fileName: 'a.txt', contentLength: 5 })),
    );
    const { client } = await fakeB2({
      b2_get_upload_url: (_q, s) =>
        json(s, 200, {
          bucketId: 'bkt1',
          uploadUrl: `${foreign.origin}/up`,
          authorizationToken: UPLOAD_TOKEN,
        }),
      download_file_by_name: (_q, s) => {
        s.writeHead(302, { location: `${foreign.origin}/elsewhere` });
        s.end();
      },
    });
    await upload(client);
    await client.files.download({ bucketName: 'b', fileName: 'x' }).catch(() => {});
    expect(foreign.requests.map(pathOf)).toEqual(['/up', '/elsewhere']);
    expect(foreign.requests[0]?.headers.authorization).toBe(UPLOAD_TOKEN);
    expect(leaked(foreign.requests, ACCOUNT_TOKEN, KEY)).toEqual([]);
  });
});

describe('row 2: Retry-After on uploads is bounded and honours the retry settings', () => {
  it.each(['3600', String(2 ** 31)])(
    'Retry-After %s: a RateLimitError at once, no sleep',
    async (retryAfter) => {
      const { client, clock, calls } = await fakeB2({
        upload: (_q, s) =>
          json(s, 503, { status: 503, code: 'service_unavailable' }, { 'retry-after': retryAfter }),
      });
      const error = await typedFailure(upload(client));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toBeInstanceOf(B2Error);
      expect((error as RateLimitError).retryAfterMs).toBe(Number(retryAfter) * 1000);
      expect(clock.sleeps).toEqual([]);
      expect(calls().filter((c) => c === 'upload')).toHaveLength(1);
    },
  );

  it('a usable wait is honoured, within maxRetries (the call’s, else the client’s)', async () => {
    const { client, clock, calls } = await fakeB2(
      { upload: (_q, s) => json(s, 503, { status: 503, code: 'busy' }, { 'retry-after': '2' }) },
      { maxRetries: 1 },
    );
    await typedFailure(upload(client));
    expect(calls().filter((c) => c === 'upload')).toHaveLength(2);
    expect(clock.sleeps).toEqual([2000]);
    await typedFailure(upload(client, { maxRetries: 3 }));
    expect(calls().filter((c) => c === 'upload')).toHaveLength(6);
  });
});

describe('row 4: a download trickling faster than idleTimeout', () => {
  it('ends at the overall deadline, and downloadToFile leaves nothing behind', async () => {
    const { client } = await fakeB2(
      {
        b2_get_file_info: (_q, s) => json(s, 200, file({ contentLength: 1_000_000 })),
        b2_download_file_by_id: (_q, s) =>
          trickle(s, { 'content-length': '1000000', 'x-bz-file-id': '4_zbkt1_f1' }, Buffer.from('x'), 10),
      },
      { timeout: 300, idleTimeout: 200 },
    );
    const response = await client.files.download({ fileId: '4_zbkt1_f1' });
    expect(await typedFailure(readAll(response.body))).toBeInstanceOf(TimeoutError);
    const dir = await tempDir();
    const error = await typedFailure(
      client.files.downloadToFile({ fileId: '4_zbkt1_f1' }, join(dir, 'f.mp4')).done(),
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('row 5: a 2xx is success only when its body proves it', () => {
  it('an upload answered 200 with a B2 error body is a B2Error of that status', async () => {
    const { client } = await fakeB2({
      upload: (_q, s) =>
        json(s, 200, { status: 400, code: 'bad_request', message: 'checksum did not match' }),
    });
    const error = await typedFailure(upload(client));
    expect(error).toBeInstanceOf(B2Error);
    expect(error).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it.each([
    ['{}', {}],
    ['null', null],
    ['wrong shape', { buckets: 'none' }],
  ])('b2_list_buckets answered %s is a ResponseValidationError', async (_name, body) => {
    const { client } = await fakeB2({ b2_list_buckets: (_q, s) => json(s, 200, body) });
    expect(await typedFailure(client.buckets.list().toArray({ limit: 10 }))).toBeInstanceOf(
      ResponseValidationError,
    );
  });

  it.each([
    ['{}', {}],
    [
      'no apiUrl',
      { accountId: 'a', authorizationToken: 't', apiInfo: { storageApi: { recommendedPartSize: 1 } } },
    ],
    ['flat without URLs', { accountId: 'a', authorizationToken: 't', recommendedPartSize: 1000 }],
    [
      'a javascript: apiUrl',
      {
        accountId: 'a',
        authorizationToken: 't',
        apiInfo: {
          storageApi: {
            apiUrl: 'javascript:alert(1)',
            downloadUrl: 'x',
            recommendedPartSize: 1,
            absoluteMinimumPartSize: 1,
          },
        },
      },
    ],
  ])('authorize answered %s fails typed, and nothing goes to <realm>/undefined', async (_name, body) => {
    const { client, server } = await fakeB2({ b2_authorize_account: (_q, s) => json(s, 200, body) });
    expect(await typedFailure(client.authorize())).toBeInstanceOf(ResponseValidationError);
    expect(server.requests.map(pathOf)).toEqual(['/b2api/v3/b2_authorize_account']);
  });

  it('a wrong optional field is dropped under warn; the result keeps its declared types (issue 14 item 6)', async () => {
    const { client } = await fakeB2({
      b2_get_file_info: (_q, s) => json(s, 200, file({ contentMd5: 12345, extra: 'kept' })),
    });
    const info = await client.files.get('4_zbkt1_f1');
    expect(info.uploadTimestamp).toBeInstanceOf(Date);
    expect(info.contentMd5).toBeUndefined();
    expect(info.extra).toBe('kept');
    const { client: broken } = await fakeB2({
      b2_get_file_info: (_q, s) => json(s, 200, file({ uploadTimestamp: 'yesterday' })),
    });
    expect(await typedFailure(broken.files.get('4_zbkt1_f1'))).toBeInstanceOf(ResponseValidationError);
  });
});

describe('row 6: bounded bodies', () => {
  it('a gzip bomb for listBuckets stops at maxResponseBytes', async () => {
    const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
    const { client } = await fakeB2(
      {
        b2_list_buckets: (_q, s) => {
          s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          s.end(bomb);
        },
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    expect(await typedFailure(client.buckets.list().toArray({ limit: 10 }))).toBeInstanceOf(
      ResponseTooLargeError,
    );
  });
});

describe('row 7: a large file (contentSha1 "none") cut short in a chunked body', () => {
  it('is never saved: the known contentLength must be met', async () => {
    const { client } = await fakeB2({
      b2_get_file_info: (_q, s) => json(s, 200, file()),
      b2_download_file_by_id: (_q, s) => {
        s.writeHead(200, {
          'content-type': 'video/mp4',
          'x-bz-file-id': '4_zbkt1_f1',
          'x-bz-content-sha1': 'none',
        });
        s.end(Buffer.alloc(400, 7));
      },
    });
    const dir = await tempDir();
    const error = await typedFailure(
      client.files.downloadToFile({ fileId: '4_zbkt1_f1' }, join(dir, 'clip.mp4')).done(),
    );
    expect(error).toBeInstanceOf(IntegrityError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('request ids', () => {
  it('an error and a success carry the request id a B2 front sends', async () => {
    const { client } = await fakeB2({
      b2_get_file_info: (_q, s) =>
        json(s, 404, { status: 404, code: 'not_found', message: 'gone' }, { 'x-bz-request-id': 'req-404' }),
      b2_list_file_names: (_q, s) =>
        json(s, 200, { files: [], nextFileName: null }, { 'x-bz-request-id': 'req-200' }),
    });
    const error = await typedFailure(Promise.resolve(client.files.get('4_zbkt1_f1')));
    expect(error).toMatchObject({ status: 404, code: 'not_found', requestId: 'req-404' });
    expect(String(error)).toContain('req-404');
    const page = await client.raw.listFileNames({ bucketId: 'bkt1' }).withResponse();
    expect(page.requestId).toBe('req-200');
  });
});

describe('row 11: pagination traps', () => {
  it.each([
    ['a repeated cursor', { '': 'b', b: 'b' }],
    ['a cycle a→b→c→a', { '': 'a', a: 'b', b: 'c', c: 'a' }],
  ])('%s is a PaginationError, not a short listing', async (_name, ring: Record<string, string>) => {
    const { client, calls } = await fakeB2({
      b2_list_file_names: (_q, s, body) => {
        const start = (JSON.parse(body.toString()) as { startFileName?: string }).startFileName ?? '';
        json(s, 200, { files: [file({ fileName: `after-${start}` })], nextFileName: ring[start] ?? null });
      },
    });
    const seen: string[] = [];
    const error = await typedFailure(
      (async () => {
        for await (const f of client.files.list({ bucketId: 'bkt1' })) seen.push(f.fileName);
      })(),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(calls().filter((c) => c === 'b2_list_file_names').length).toBeLessThanOrEqual(4);
  });
});

describe('issue 12: an answer lost while it is read', () => {
  it('b2_list_file_names is retried; b2_copy_file (not idempotent) is not', async () => {
    let n = 0;
    const { client, calls } = await fakeB2({
      b2_list_file_names: (_q, s) => {
        if (n++ === 0)
          resetAfter(s, 200, { 'content-type': 'application/json', 'content-length': '500' }, '{"files":[');
        else json(s, 200, { files: [file()], nextFileName: null });
      },
      b2_copy_file: (_q, s) =>
        resetAfter(s, 200, { 'content-type': 'application/json', 'content-length': '500' }, '{"fileId":'),
    });
    expect(await client.files.list({ bucketId: 'bkt1' }).toArray({ limit: 10 })).toHaveLength(1);
    expect(calls().filter((c) => c === 'b2_list_file_names')).toHaveLength(2);
    const copy = client.raw.copyFile({ sourceFileId: '4_zbkt1_f1', fileName: 'copy.mp4' });
    expect(await typedFailure(Promise.resolve(copy))).toBeInstanceOf(ConnectionError);
    expect(calls().filter((c) => c === 'b2_copy_file')).toHaveLength(1);
  });
});

describe('issue 14 item 8: downloadToFile resumes with If-Range and never splices versions', () => {
  it('sends If-Range with the ETag; a 206 of another file id restarts the download', async () => {
    const v1 = Buffer.alloc(1000, 1);
    const v2 = Buffer.alloc(1000, 2);
    let n = 0;
    const { client, server } = await fakeB2({
      b2_get_file_info: (_q, s) => json(s, 200, file({ contentLength: 1000 })),
      b2_download_file_by_id: (q, s) => {
        n += 1;
        const headers = {
          'accept-ranges': 'bytes',
          'content-type': 'video/mp4',
          'x-bz-content-sha1': 'none',
        };
        if (n === 1)
          return resetAfter(
            s,
            200,
            { ...headers, etag: '"e1"', 'x-bz-file-id': 'f1', 'content-length': '1000' },
            v1.subarray(0, 400),
          );
        if (q.headers.range) {
          s.writeHead(206, {
            ...headers,
            etag: '"e1"',
            'x-bz-file-id': 'f2',
            'content-range': 'bytes 400-999/1000',
            'content-length': '600',
          });
          s.end(v2.subarray(400));
          return;
        }
        s.writeHead(200, { ...headers, etag: '"e2"', 'x-bz-file-id': 'f2', 'content-length': '1000' });
        s.end(v2);
      },
    });
    const dir = await tempDir();
    const saved = await client.files.downloadToFile({ fileId: '4_zbkt1_f1' }, join(dir, 'clip.mp4')).done();
    expect(saved.size).toBe(1000);
    const downloads = server.requests.filter((r) => pathOf(r).endsWith('b2_download_file_by_id'));
    expect(downloads[1]?.headers['if-range']).toBe('"e1"');
    expect(downloads[1]?.headers.range).toBe('bytes=400-');
    expect(downloads[2]?.headers.range).toBeUndefined();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(join(dir, 'clip.mp4'))).toEqual(v2);
  });
});

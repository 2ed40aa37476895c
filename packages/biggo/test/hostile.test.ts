/**
 * The BigGo client against a hostile BigGo (issue 18 rows 1, 2, 5, 6, 11, and issue 14 item 5 for its
 * uploads): a fake on 127.0.0.1 issuing client-credentials tokens, and a foreign origin recording what
 * reaches it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  ManualClock,
  MediaferryError,
  PaginationError,
  type Progress,
  RateLimitError,
  ResponseTooLargeError,
  ResponseValidationError,
} from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { type Handler, hostileServer, json, leaked, pathOf } from '../../core/test/hostile/server.js';
import { BigGoClient, type BigGoClientOptions, BigGoError } from '../src/index.js';

const SECRET = 'biggo-client-SECRET-xyz';
const TOKEN = 'jwt-SECRET-access-token';

const video = (id: string) => ({
  video_id: id,
  access: 0,
  limit: 0,
  at_userid: 'me',
  userid: 'u1',
  name: 'Me',
  profileimg: '',
  created_at: '2026-01-01',
  timestamp: 1,
  url: `https://biggo.test/v/${id}`,
  hasProduct: false,
  product_count: 0,
  is_edited: false,
  is_like: false,
  is_myvideo: true,
  is_follow: false,
  isVerifyEComm: false,
  isVerifyUser: false,
  status: { process_status: 13, process_status_kw: [], processing: false },
  video_comment_count: 0,
  video_like_count: 0,
  view_count: 0,
});

async function fakeBigGo(routes: Record<string, Handler> = {}, options: Partial<BigGoClientOptions> = {}) {
  const api = await hostileServer((q: IncomingMessage, s: ServerResponse, body: Buffer) => {
    const path = (q.url ?? '').split('?')[0]!;
    if (path === '/auth/v1/token')
      return json(s, 200, { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 });
    const route = Object.entries(routes).find(([prefix]) => path.startsWith(prefix))?.[1];
    if (route) return route(q, s, body);
    json(s, 404, { result: false, error: { code: 1004, message: 'no such video' } });
  });
  const clock = new ManualClock();
  const client = new BigGoClient({
    clientId: 'cid',
    clientSecret: SECRET,
    baseUrl: api.origin,
    clock,
    ...options,
  });
  return { api, client, clock };
}

async function typedFailure(promise: Promise<unknown>): Promise<MediaferryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(MediaferryError);
  return error as MediaferryError;
}

describe('row 1: the token goes to the API origin only', () => {
  it('a redirect to another origin carries neither the token nor the client secret', async () => {
    const foreign = await hostileServer((_q, s) => json(s, 200, { result: true }));
    const { client, api } = await fakeBigGo({
      '/api/v1/video/': (_q, s) => {
        s.writeHead(307, { location: `${foreign.origin}/steal` });
        s.end();
      },
    });
    await client.videos.delete('v1').catch(() => {});
    expect(leaked(api.requests, TOKEN).length).toBeGreaterThan(0);
    expect(foreign.requests.map(pathOf)).toEqual(['/steal']);
    expect(leaked(foreign.requests, TOKEN, SECRET, Buffer.from(`cid:${SECRET}`).toString('base64'))).toEqual(
      [],
    );
  });
});

describe('row 2: rate limits', () => {
  it('429 with Retry-After 3600 is a RateLimitError at once; a negative one means backoff', async () => {
    let n = 0;
    const { client, clock } = await fakeBigGo({
      '/api/v1/video/': (_q, s) =>
        json(
          s,
          429,
          { result: false, error: { code: 429, message: 'slow down' } },
          {
            'retry-after': n++ === 0 ? '3600' : '-1',
          },
        ),
    });
    const error = await typedFailure(client.videos.get('v1'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(clock.sleeps).toEqual([]);
    await typedFailure(client.videos.get('v1', { maxRetries: 1 }));
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(0);
  });
});

describe('row 5: a 2xx is success only when its body proves it', () => {
  it('result:false in a 200 is a BigGoError; null or a wrong shape is a ResponseValidationError', async () => {
    const bodies: unknown[] = [
      { result: false, error: { code: 1004, message: 'gone' } },
      null,
      { result: true },
    ];
    let n = 0;
    const { client } = await fakeBigGo({ '/api/v1/video/': (_q, s) => json(s, 200, bodies[n++]) });
    const gone = await typedFailure(client.videos.get('v1'));
    expect(gone).toBeInstanceOf(BigGoError);
    expect((gone as BigGoError).errorCode).toBe(1004);
    expect(await typedFailure(client.videos.get('v1'))).toBeInstanceOf(ResponseValidationError);
    expect(await typedFailure(client.videos.get('v1'))).toBeInstanceOf(ResponseValidationError);
  });
});

describe('row 6: bounded bodies', () => {
  it('a gzip bomb stops at maxResponseBytes', async () => {
    const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
    const { client } = await fakeBigGo(
      {
        '/api/v1/video/': (_q, s) => {
          s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          s.end(bomb);
        },
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    expect(await typedFailure(client.videos.get('v1'))).toBeInstanceOf(ResponseTooLargeError);
  });
});

describe('row 11: a listing that never ends', () => {
  it('videos.list with an endless size stops at maxPages with a PaginationError', async () => {
    const { client, api } = await fakeBigGo({
      '/api/v1/user/': (q, s) => {
        const page = new URL(q.url ?? '/', 'http://x').searchParams.get('p');
        json(s, 200, {
          result: true,
          user_video: { data: Array.from({ length: 20 }, (_, i) => video(`${page}-${i}`)), size: 1e9 },
        });
      },
    });
    const error = await typedFailure(client.videos.list({ maxPages: 4 }).toArray({ limit: 10_000 }));
    expect(error).toBeInstanceOf(PaginationError);
    expect(api.requests.filter((r) => pathOf(r).startsWith('/api/v1/user/'))).toHaveLength(4);
  });
});

describe('issue 14 item 5: upload progress across a retry', () => {
  it('is monotonic and never above the total', async () => {
    let n = 0;
    const { client } = await fakeBigGo({
      '/api/v1/video/': (_q, s) => {
        if (n++ === 0) return json(s, 503, { result: false, error: { code: 503, message: 'busy' } });
        json(s, 200, { result: true, video_id: 'v9' });
      },
    });
    const events: Progress[] = [];
    const data = new Uint8Array(200_000).fill(7);
    const upload = client.videos.upload(data, { filename: 'a.mp4' }, { onProgress: (p) => events.push(p) });
    expect(await upload.done()).toMatchObject({ video_id: 'v9' });
    expect(n).toBe(2);
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    const total = events[0]!.total!;
    expect(Math.max(...loaded)).toBe(total);
    expect(events.every((e) => e.loaded <= total)).toBe(true);
  });
});

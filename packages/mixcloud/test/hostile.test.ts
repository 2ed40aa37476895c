/**
 * The Mixcloud client against a hostile Mixcloud (issue 18 rows 1, 3, 5, 6, 10, 11, and issue 14 item 5 for
 * uploads): a fake API on 127.0.0.1, and a foreign origin that records every request, so a leaked
 * `access_token` shows.
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
import { type Handler, hostileServer, json, leaked } from '../../core/test/hostile/server.js';
import { Mixcloud, MixcloudError, type MixcloudOptions, type Resource, ResourceList } from '../src/index.js';

const TOKEN = 'mixcloud-token-SECRET-42';

const user = (key: string, connections: Record<string, string> = {}) => ({
  type: 'user',
  key,
  name: key,
  username: key.replaceAll('/', ''),
  metadata: { connections },
});

const page = (items: unknown[], next?: string) => ({
  data: items,
  ...(next === undefined ? {} : { paging: { next } }),
  name: 'list',
});

async function fakeMixcloud(routes: Record<string, Handler> = {}, options: Partial<MixcloudOptions> = {}) {
  const api = await hostileServer((q: IncomingMessage, s: ServerResponse, body: Buffer) => {
    const path = (q.url ?? '').split('?')[0]!;
    const route = routes[path];
    if (route) return route(q, s, body);
    json(s, 404, { error: { type: 'NotFound', message: path } });
  });
  const clock = new ManualClock();
  const client = new Mixcloud({ accessToken: TOKEN, apiRoot: api.origin, clock, ...options });
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

async function drain(iterable: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('row 1: the access token goes to the API origin only', () => {
  it('foreign paging.next, connections and absolute URLs are fetched without it', async () => {
    const foreign = await hostileServer((_q, s) => json(s, 200, page([user('/f/')])));
    const collect = `${foreign.origin}/collect/`;
    const { client, api } = await fakeMixcloud({
      '/bob/': (_q, s) => json(s, 200, user('/bob/', { followers: collect })),
      '/bob/followers/': (_q, s) => json(s, 200, page([user('/a/')], collect)),
    });
    const bob = (await client.get('bob')) as Resource;
    await bob.connection('followers');
    await client.getList(collect);
    await drain(client.listAll('bob/followers'));
    const first = await client.getList('bob/followers');
    await first.next();
    await drain(first.all());
    await client.get(collect, { relative: false });
    expect(leaked(api.requests, TOKEN).length).toBeGreaterThan(0);
    expect(foreign.requests.length).toBeGreaterThanOrEqual(6);
    expect(leaked(foreign.requests, TOKEN)).toEqual([]);
    expect(foreign.requests.every((r) => r.url === '/collect/?metadata=1')).toBe(true);
  });
});

describe('row 3: rate limits (403 RateLimitException)', () => {
  it('retry_after 86400 is a RateLimitError at once; a usable one is waited; a negative one is backoff', async () => {
    const afters = [86_400, 2, -5];
    let n = 0;
    const { client, clock, api } = await fakeMixcloud({
      '/bob/': (_q, s) => {
        const after = afters[n++];
        if (after === undefined) return json(s, 200, user('/bob/'));
        json(s, 403, { error: { type: 'RateLimitException', message: 'slow down', retry_after: after } });
      },
    });
    const error = await typedFailure(client.get('bob'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as MixcloudError).retryAfterMs).toBe(86_400_000);
    expect(clock.sleeps).toEqual([]);
    expect(api.requests).toHaveLength(1);
    await client.get('bob', { maxRetries: 3 });
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBe(2000);
    expect(clock.sleeps[1]).toBeGreaterThan(0);
  });
});

describe('row 5: a 2xx is success only when its body proves it', () => {
  it('an error body with 200 is a MixcloudError; null, deep nesting and non-JSON are typed', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const { client, api } = await fakeMixcloud({
      '/err/': (_q, s) => json(s, 200, { error: { type: 'OAuthException', message: 'bad token' } }),
      '/null/': (_q, s) => json(s, 200, null),
      '/deep/': (_q, s) => {
        s.writeHead(200, { 'content-type': 'application/json' });
        s.end(deep);
      },
      '/bob/follow/': (_q, s) => json(s, 200, null),
      '/oembed/': (_q, s) => {
        s.writeHead(200, { 'content-type': 'application/json' });
        s.end('<oembed>not json</oembed>');
      },
    });
    expect(await typedFailure(client.get('err'))).toBeInstanceOf(MixcloudError);
    expect(await typedFailure(client.get('null'))).toBeInstanceOf(ResponseValidationError);
    expect(await typedFailure(client.get('deep'))).toBeInstanceOf(ResponseValidationError);
    expect(await typedFailure(client.follow('bob'))).toBeInstanceOf(ResponseValidationError);
    const viaRoot = new Mixcloud({
      apiRoot: api.origin,
      oembedRoot: `${api.origin}/oembed`,
      clock: new ManualClock(),
    });
    expect(await typedFailure(viaRoot.oembed('bob/mix'))).toBeInstanceOf(ResponseValidationError);
  });
});

describe('row 6: bounded bodies', () => {
  it('a gzip bomb stops at maxResponseBytes', async () => {
    const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
    const { client } = await fakeMixcloud(
      {
        '/bob/': (_q, s) => {
          s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          s.end(bomb);
        },
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    expect(await typedFailure(client.get('bob'))).toBeInstanceOf(ResponseTooLargeError);
  });
});

describe('rows 10 and 11: pagination traps', () => {
  it('a constant paging.next stops ResourceList.all() and listAll() with a PaginationError', async () => {
    const { client, api } = await fakeMixcloud({
      '/bob/followers/': (q, s) =>
        json(s, 200, page([user('/a/')], `http://${q.headers.host}/bob/followers/?offset=20`)),
    });
    const list = await client.getList('bob/followers');
    expect(list).toBeInstanceOf(ResourceList);
    expect(await typedFailure(drain(list.all()))).toBeInstanceOf(PaginationError);
    expect(api.requests.length).toBeLessThanOrEqual(3);
    expect(await typedFailure(drain(client.listAll('bob/followers')))).toBeInstanceOf(PaginationError);
    expect(api.requests.length).toBeLessThanOrEqual(6);
  });

  it('a cycle a→b→c→a is a PaginationError, not a listing that looks complete', async () => {
    const ring: Record<string, string> = { a: 'b', b: 'c', c: 'a' };
    const { client } = await fakeMixcloud(
      Object.fromEntries(
        Object.keys(ring).map((key) => [
          `/${key}/`,
          (q: IncomingMessage, s: ServerResponse) =>
            json(s, 200, page([user(`/${key}-item/`)], `http://${q.headers.host}/${ring[key]}/`)),
        ]),
      ),
    );
    const seen: unknown[] = [];
    const error = await typedFailure(
      (async () => {
        for await (const item of client.listAll('a')) seen.push(item);
      })(),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toHaveLength(3);
  });

  it('a paging.next that is not a URL is a ResponseValidationError', async () => {
    const { client } = await fakeMixcloud({
      '/bob/followers/': (_q, s) => json(s, 200, page([], 'javascript:1')),
    });
    const list = await client.getList('bob/followers');
    expect(await typedFailure(list.next())).toBeInstanceOf(ResponseValidationError);
  });
});

describe('issue 14 item 5: upload progress across a retry', () => {
  it('is monotonic and never above the total', async () => {
    let n = 0;
    const { client } = await fakeMixcloud({
      '/upload/': (_q, s) => {
        if (n++ === 0) return json(s, 503, { error: { type: 'ServerError', message: 'busy' } });
        json(s, 200, { result: { success: true, message: 'Uploaded', key: '/me/mix/' } });
      },
    });
    const events: Progress[] = [];
    const result = await client.upload(new Uint8Array(150_000).fill(3), 'Mix', {
      onProgress: (p) => events.push(p),
    });
    expect(result).toMatchObject({ success: true, key: '/me/mix/' });
    expect(n).toBe(2);
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.every((e) => e.total !== undefined && e.loaded <= e.total)).toBe(true);
    expect(Math.max(...loaded)).toBe(events[0]!.total);
  });
});

/**
 * The Mixcloud client against a hostile Mixcloud (issue 18 rows 1, 3, 5, 6, 10, 11, and issue 14 item 5 for
 * uploads): a fake API on 127.0.0.1, and a foreign origin that records every request, so a leaked
 * `access_token` shows. Row 1 holds in both entry points.
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
import { type ResourceList as CompatList, Mixcloud, type Resource } from '../src/compat/aiomixcloud/index.js';
import { MixcloudClient, type MixcloudClientOptions, MixcloudError } from '../src/index.js';

const TOKEN = 'mixcloud-token-SECRET-42';

const user = (key: string, connections: Record<string, string> = {}) => ({
  type: 'user',
  key,
  url: `https://www.mixcloud.com${key}`,
  name: key,
  username: key.replaceAll('/', ''),
  metadata: { connections },
});

const page = (items: unknown[], next?: string) => ({
  data: items,
  ...(next === undefined ? {} : { paging: { next } }),
  name: 'list',
});

async function fakeMixcloud(
  routes: Record<string, Handler> = {},
  options: Partial<MixcloudClientOptions> = {},
) {
  const api = await hostileServer((q: IncomingMessage, s: ServerResponse, body: Buffer) => {
    const path = (q.url ?? '').split('?')[0]!;
    const route = routes[path];
    if (route) return route(q, s, body);
    json(s, 404, { error: { type: 'NotFound', message: path } });
  });
  const clock = new ManualClock();
  const client = new MixcloudClient({ accessToken: TOKEN, baseUrl: api.origin, clock, ...options });
  const compat = new Mixcloud(api.origin, { accessToken: TOKEN, clock, raiseExceptions: true });
  return { api, client, compat, clock };
}

async function typedFailure(promise: PromiseLike<unknown>): Promise<MediaferryError> {
  const error = await Promise.resolve(promise).then(
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
  it('new API: a foreign paging.next is fetched without it, and a token a server wrote into it is removed', async () => {
    const foreign = await hostileServer((_q, s) => json(s, 200, page([user('/f/')])));
    const collect = `${foreign.origin}/collect/?access_token=${TOKEN}`;
    const { client, api } = await fakeMixcloud({
      '/bob/followers/': (_q, s) => json(s, 200, page([user('/a/')], collect)),
      '/bob/': (_q, s) => json(s, 200, user('/bob/', { followers: collect })),
    });
    expect(await client.users.followers('bob').toArray({ limit: 10 })).toHaveLength(2);
    await drain(client.objects.list('bob/followers'));
    expect(leaked(api.requests, TOKEN).length).toBeGreaterThan(0);
    expect(foreign.requests).toHaveLength(2);
    expect(leaked(foreign.requests, TOKEN)).toEqual([]);
    expect(foreign.requests.every((r) => r.url === '/collect/?metadata=1')).toBe(true);
  });

  it('aiomixcloud: foreign paging.next, connections and absolute URLs are fetched without it', async () => {
    const foreign = await hostileServer((_q, s) => json(s, 200, page([user('/f/')])));
    const collect = `${foreign.origin}/collect/`;
    const { compat, api } = await fakeMixcloud({
      '/bob/': (_q, s) => json(s, 200, user('/bob/', { followers: collect })),
      '/bob/followers/': (_q, s) => json(s, 200, page([user('/a/')], collect)),
    });
    const bob = (await compat.get('bob')) as Resource;
    await (bob.followers as () => Promise<unknown>)();
    const first = (await compat.get('bob/followers')) as CompatList;
    await first.next();
    await drain(first.all());
    await compat.get(collect, { relative: false });
    await compat.get(`${collect}?access_token=${TOKEN}`, { relative: false });
    expect(leaked(api.requests, TOKEN).length).toBeGreaterThan(0);
    expect(foreign.requests).toHaveLength(5);
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
    const error = await typedFailure(client.users.get('bob'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toBeInstanceOf(MixcloudError);
    expect((error as MixcloudError).type).toBe('RateLimitException');
    expect((error as MixcloudError).retryAfterMs).toBe(86_400_000);
    expect(clock.sleeps).toEqual([]);
    expect(api.requests).toHaveLength(1);
    await client.users.get('bob', { maxRetries: 3 });
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBe(2000);
    expect(clock.sleeps[1]).toBeGreaterThan(0);
  });
});

describe('row 5: a 2xx is success only when its body proves it', () => {
  it('an error body with 200 is a MixcloudError; null, deep nesting and non-JSON are typed', async () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const { client, compat, api } = await fakeMixcloud({
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
    expect(await typedFailure(client.objects.get('err'))).toBeInstanceOf(MixcloudError);
    expect(await typedFailure(compat.get('err'))).toBeInstanceOf(MixcloudError);
    expect(await typedFailure(client.objects.get('null'))).toBeInstanceOf(ResponseValidationError);
    expect(await typedFailure(client.objects.get('deep'))).toBeInstanceOf(ResponseValidationError);
    expect(await typedFailure(compat.get('deep'))).toBeInstanceOf(ResponseValidationError);
    expect(await typedFailure(client.users.follow('bob'))).toBeInstanceOf(ResponseValidationError);
    expect(await typedFailure(client.oembed('bob/mix'))).toBeInstanceOf(ResponseValidationError);
    expect(api.requests.every((r) => !r.url.startsWith('/oembed') || !r.url.includes(TOKEN))).toBe(true);
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
    expect(await typedFailure(client.users.get('bob'))).toBeInstanceOf(ResponseTooLargeError);
  });
});

describe('rows 10 and 11: pagination traps', () => {
  it('a constant paging.next stops the paginators (both entry points) with a PaginationError', async () => {
    const { client, compat, api } = await fakeMixcloud({
      '/bob/followers/': (q, s) =>
        json(s, 200, page([user('/a/')], `http://${q.headers.host}/bob/followers/?offset=20`)),
    });
    expect(await typedFailure(drain(client.users.followers('bob')))).toBeInstanceOf(PaginationError);
    expect(api.requests.length).toBeLessThanOrEqual(3);
    const list = (await compat.get('bob/followers')) as CompatList;
    expect(await typedFailure(drain(list.all()))).toBeInstanceOf(PaginationError);
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
        for await (const item of client.objects.list('a')) seen.push(item);
      })(),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toHaveLength(3);
  });

  it('a paging.next that is not a URL is a ResponseValidationError', async () => {
    const { client, compat } = await fakeMixcloud({
      '/bob/followers/': (_q, s) => json(s, 200, page([], 'javascript:1')),
    });
    expect(await typedFailure(client.users.followers('bob'))).toBeInstanceOf(ResponseValidationError);
    const list = (await compat.get('bob/followers')) as CompatList;
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
    const upload = client.cloudcasts.upload({
      mp3: new Uint8Array(150_000).fill(3),
      name: 'Mix',
      onProgress: (p) => events.push(p),
    });
    expect(await upload.done()).toMatchObject({ success: true, key: '/me/mix/' });
    expect(n).toBe(2);
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.every((e) => e.total !== undefined && e.loaded <= e.total)).toBe(true);
    expect(Math.max(...loaded)).toBe(events[0]!.total);
    expect(upload.progress).toEqual(events.at(-1));
  });
});

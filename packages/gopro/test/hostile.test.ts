/**
 * The GoPro client against a hostile GoPro API and CDN (issue 18 rows 1, 2, 4–6, 8, 9, 11; issue 12's lost
 * answers): a fake on 127.0.0.1, and a foreign CDN origin recording what reaches it.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  IntegrityError,
  ManualClock,
  MediaferryError,
  PaginationError,
  type Progress,
  RateLimitError,
  ResponseTooLargeError,
  ResponseValidationError,
  TimeoutError,
} from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import {
  type Handler,
  type HostileServer,
  hostileServer,
  json,
  leaked,
  pathOf,
  resetAfter,
  trickle,
} from '../../core/test/hostile/server.js';
import { AsyncGoProClient } from '../src/compat/gopro-api/index.js';
import { GoProClient, type GoProClientOptions } from '../src/index.js';

const TOKEN = 'gp-token-SECRET-abcdef';

const item = (id: string, fileSize?: number) => ({
  id,
  gopro_user_id: 'u1',
  source_gumi: 'g',
  source_mgumi: null,
  type: 'Video',
  filename: `${id}.MP4`,
  ...(fileSize === undefined ? {} : { file_size: fileSize }),
});

const searchPage = (media: unknown[], page = 1, totalPages = 1) => ({
  _embedded: { media, errors: [] },
  _pages: { current_page: page, per_page: media.length, total_items: media.length, total_pages: totalPages },
});

/** The download answer of a single-chapter video whose source variation lives at `cdn`. */
const downloadAnswer = (id: string, cdn: string) => ({
  filename: `${id}.MP4`,
  _embedded: {
    files: [],
    variations: [
      {
        url: `${cdn}/v/${id}`,
        head: `${cdn}/h/${id}`,
        width: 3840,
        height: 2160,
        label: 'source',
        type: 'mp4',
        quality: '2160p',
        available: true,
      },
    ],
    sprites: [],
    sidecar_files: [],
  },
});

async function fakeGoPro(
  routes: { search?: Handler; download?: Handler; cdn?: Handler } = {},
  options: Partial<GoProClientOptions> = {},
) {
  const cdn: HostileServer = await hostileServer(routes.cdn);
  const api = await hostileServer((q: IncomingMessage, s: ServerResponse, body: Buffer) => {
    const path = (q.url ?? '').split('?')[0]!;
    if (path === '/media/search')
      return (routes.search ?? ((_q, r) => json(r, 200, searchPage([item('m1', 1000)]))))(q, s, body);
    const id = /^\/media\/([^/]+)\/download$/.exec(path)?.[1];
    if (id) return (routes.download ?? ((_q, r) => json(r, 200, downloadAnswer(id, cdn.origin))))(q, s, body);
    json(s, 404, { error: 'NotFound' });
  });
  const clock = new ManualClock();
  const client = new GoProClient({ accessToken: TOKEN, baseUrl: api.origin, clock, ...options });
  return { api, cdn, client, clock };
}

async function typedFailure(promise: Promise<unknown>): Promise<MediaferryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(MediaferryError);
  return error as MediaferryError;
}

const tempDir = () => mkdtemp(join(tmpdir(), 'mf-gopro-hostile-'));

describe('row 1: the cookie goes to the API origin only', () => {
  it('CDN downloads and a redirect to another origin carry no cookie', async () => {
    const foreign = await hostileServer((_q, s) => json(s, 200, searchPage([])));
    const { client, api, cdn } = await fakeGoPro({
      search: (q, s) => {
        if ((q.url ?? '').includes('page=2')) {
          s.writeHead(302, { location: `${foreign.origin}/media/search` });
          return s.end();
        }
        json(s, 200, searchPage([item('m1', 4)], 1, 2));
      },
      cdn: (_q, s) => {
        s.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '4' });
        s.end('abcd');
      },
    });
    await client.media
      .list({ from: new Date('2026-01-01'), to: new Date('2026-12-31'), pageSize: 1 })
      .toArray({ limit: 10 });
    const report = await client.media.pull({ items: [item('m1', 4)], dest: await tempDir() }).done();
    expect(report.failed).toEqual([]);
    expect(leaked(api.requests, TOKEN).length).toBeGreaterThan(0);
    expect(leaked(foreign.requests, TOKEN)).toEqual([]);
    expect(leaked(cdn.requests, TOKEN)).toEqual([]);
    expect(foreign.requests).toHaveLength(1);
  });
});

describe('row 2: rate limits', () => {
  it('429 with Retry-After 3600 is a RateLimitError at once', async () => {
    const { client, clock, api } = await fakeGoPro({
      search: (_q, s) => json(s, 429, { error: 'TooManyRequests' }, { 'retry-after': '3600' }),
    });
    const error = await typedFailure(client.media.search());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(clock.sleeps).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });
});

describe('row 4: a CDN body trickling faster than idleTimeout', () => {
  it('ends at the overall deadline with nothing saved', async () => {
    const { client } = await fakeGoPro(
      {
        cdn: (_q, s) =>
          trickle(s, { 'content-length': '100000', 'content-type': 'video/mp4' }, Buffer.from('x'), 10),
      },
      { timeout: 300, idleTimeout: 200 },
    );
    const dir = await tempDir();
    const report = await client.media.pull({ items: [item('m1', 100_000)], dest: dir }).done();
    expect(report.failed[0]?.error).toBeInstanceOf(TimeoutError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('row 5: bodies that do not prove success', () => {
  it.each([
    ['null', null],
    ['{}', {}],
    ['media not a list', { _embedded: { media: 'x' }, _pages: {} }],
  ])('search answered %s is a ResponseValidationError', async (_name, body) => {
    const { client } = await fakeGoPro({ search: (_q, s) => json(s, 200, body) });
    expect(await typedFailure(client.media.search())).toBeInstanceOf(ResponseValidationError);
  });

  it('a download answer without its variations is a ResponseValidationError', async () => {
    const { client } = await fakeGoPro({ download: (_q, s) => json(s, 200, { filename: 'x.MP4' }) });
    expect(await typedFailure(client.media.get('m1'))).toBeInstanceOf(ResponseValidationError);
  });
});

describe('row 6: bounded bodies', () => {
  it('a gzip bomb for search stops at maxResponseBytes', async () => {
    const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member));
    const { client } = await fakeGoPro(
      {
        search: (_q, s) => {
          s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          s.end(bomb);
        },
      },
      { maxResponseBytes: 1024 * 1024 },
    );
    expect(await typedFailure(client.media.search())).toBeInstanceOf(ResponseTooLargeError);
  });
});

describe('row 8: a short body, or an HTML page with 200', () => {
  it.each([
    [
      '300 of the 1000 bytes search promised (chunked)',
      { 'content-type': 'video/mp4' },
      Buffer.alloc(300, 1),
    ],
    [
      'an HTML page',
      { 'content-type': 'text/html; charset=utf-8', 'content-length': '1000' },
      Buffer.alloc(1000, 0x20),
    ],
  ])('%s is never saved as the .MP4', async (_name, headers: Record<string, string>, body: Buffer) => {
    const { client } = await fakeGoPro({
      cdn: (_q, s) => {
        s.writeHead(200, headers);
        s.end(body);
      },
    });
    const dir = await tempDir();
    const items = (await client.media.search())._embedded.media;
    const report = await client.media.pull({ items, dest: dir }).done();
    expect(report.downloaded).toEqual([]);
    expect(report.failed[0]?.error).toBeInstanceOf(IntegrityError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('row 9: resume against a CDN whose file changed', () => {
  it('sends If-Range; a 206 with another ETag restarts, never splicing two versions', async () => {
    const v1 = Buffer.alloc(1000, 1);
    const v2 = Buffer.alloc(1000, 2);
    let n = 0;
    const { client, cdn } = await fakeGoPro({
      cdn: (q, s) => {
        n += 1;
        const base = { 'accept-ranges': 'bytes', 'content-type': 'video/mp4' };
        if (n === 1)
          return resetAfter(s, 200, { ...base, etag: '"v1"', 'content-length': '1000' }, v1.subarray(0, 400));
        if (q.headers.range) {
          s.writeHead(206, {
            ...base,
            etag: '"v2"',
            'content-range': 'bytes 400-999/1000',
            'content-length': '600',
          });
          return s.end(v2.subarray(400));
        }
        s.writeHead(200, { ...base, etag: '"v2"', 'content-length': '1000' });
        s.end(v2);
      },
    });
    const dir = await tempDir();
    const events: Progress[] = [];
    const saved = await client.media
      .downloadToFile(
        { url: `${cdn.origin}/v/m1` },
        join(dir, 'm1.MP4'),
        {},
        { onProgress: (p) => events.push(p) },
      )
      .done();
    expect(saved.size).toBe(1000);
    expect(await readFile(join(dir, 'm1.MP4'))).toEqual(v2);
    expect(cdn.requests[1]?.headers['if-range']).toBe('"v1"');
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(Math.max(...loaded)).toBe(1000);
  });
});

describe('row 11: pagination that never ends', () => {
  it('media.list with an endless total_pages, and the compat empty-page loop, stop at maxPages', async () => {
    const { client, api } = await fakeGoPro({
      search: (q, s) => {
        const page = Number(new URL(q.url ?? '/', 'http://x').searchParams.get('page'));
        json(s, 200, searchPage([item(`m${page}`)], page, 1_000_000_000));
      },
    });
    const range = [new Date('2026-01-01'), new Date('2026-12-31')] as const;
    const error = await typedFailure(
      client.media.list({ from: range[0], to: range[1], pageSize: 1, maxPages: 5 }).toArray({ limit: 100 }),
    );
    expect(error).toBeInstanceOf(PaginationError);
    expect(api.requests).toHaveLength(5);
    const pages: unknown[] = [];
    const loop = await typedFailure(
      (async () => {
        const compat = new AsyncGoProClient(TOKEN, 10, { baseUrl: api.origin });
        for await (const page of compat.iterNonemptySearchPages(...range, { maxPages: 3 })) pages.push(page);
      })(),
    );
    expect(loop).toBeInstanceOf(PaginationError);
    expect(pages).toHaveLength(3);
  });
});

describe('issue 12: an answer lost while it is read', () => {
  it('GET /media/:id/download is retried', async () => {
    let n = 0;
    const { client, api, cdn } = await fakeGoPro({
      download: (_q, s) => {
        if (n++ === 0)
          return resetAfter(
            s,
            200,
            { 'content-type': 'application/json', 'content-length': '900' },
            '{"filename":',
          );
        json(s, 200, downloadAnswer('m1', 'http://cdn.invalid'));
      },
    });
    expect((await client.media.get('m1')).filename).toBe('m1.MP4');
    expect(api.requests.map(pathOf)).toEqual(['/media/m1/download', '/media/m1/download']);
    expect(cdn.requests).toEqual([]);
  });
});

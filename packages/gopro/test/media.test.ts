/** `gopro.media`: list, search, get, download, downloadToFile — against the emulator, in process. */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  IntegrityError,
  InvalidInputError,
  NotFoundError,
  RateLimitError,
  ResponseValidationError,
  readAll,
} from '@mediaferry/core';
import { GOPRO_DEMO_TOKEN } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import { GoProClient, GoProError, NoVariationsError } from '../src/index.js';
import { BASE, fixtures, MARCH, manyPhotos, setup } from './support.js';

describe('gopro.media.search and list', () => {
  it('sends the cookie, the exact vendor Accept types and gopro_api query order', async () => {
    const { client, seen } = setup();
    const page = await client.media.search({ ...MARCH, pageSize: 2 });
    await client.media.get(page._embedded.media[0]!.id);
    expect(seen[0]!.headers.get('cookie')).toBe(`gp_access_token=${GOPRO_DEMO_TOKEN}`);
    expect(seen[0]!.headers.get('authorization')).toBeNull();
    expect(seen[0]!.headers.get('accept')).toBe('application/vnd.gopro.jk.media.search+json; version=2.0.0');
    expect(seen[1]!.headers.get('accept')).toBe('application/vnd.gopro.jk.media+json; version=2.0.0');
    const query = new URL(seen[0]!.url).searchParams;
    expect([...query.keys()]).toEqual([
      'processing_states',
      'fields',
      'type',
      'captured_range',
      'page',
      'per_page',
    ]);
    expect(query.get('captured_range')).toBe('2026-03-01T00:00:00.000Z,2026-03-31T00:00:00.000Z');
    expect(query.get('per_page')).toBe('2');
  });

  it('search defaults to a page of 1000, never 1', async () => {
    const { client, seen } = setup();
    const page = await client.media.search();
    expect(new URL(seen[0]!.url).searchParams.get('per_page')).toBe('1000');
    expect(page._embedded.media).toHaveLength(5);
  });

  it('list stops on total_pages: 5 items at 2 per page cost 3 requests, not 4', async () => {
    const { client, calls } = setup();
    const items = await client.media.list({ ...MARCH, pageSize: 2 }).toArray({ limit: 100 });
    expect(items).toHaveLength(5);
    expect(calls()).toEqual(['search', 'search', 'search']);
    expect(items.every((i) => i.captured_at instanceof Date)).toBe(true);
  });

  it('list filters by type and pages 2,500 items in 3 requests with the default page size', async () => {
    const { client } = setup();
    const videos = await client.media.list({ ...MARCH, types: ['Video'] }).toArray({ limit: 100 });
    expect(videos.map((v) => v.type)).toEqual(videos.map(() => 'Video'));
    expect(videos.length).toBeGreaterThan(0);
    const emulator = await manyPhotos(2500);
    const big = new GoProClient({ accessToken: GOPRO_DEMO_TOKEN, baseUrl: BASE, fetch: emulator.fetch });
    const all = await big.media
      .list({ from: new Date('2026-05-01'), to: new Date('2026-05-31') })
      .toArray({ limit: 5000 });
    expect(new Set(all.map((i) => i.id)).size).toBe(2500);
    expect(emulator.control.journal.entries()).toHaveLength(3);
  });

  it('rejects bad input with InvalidInputError before any request', async () => {
    const { client, calls } = setup();
    expect(() => client.media.list({ from: new Date('2026-03-05'), to: new Date('2026-03-01') })).toThrow(
      InvalidInputError,
    );
    expect(() => client.media.list({ pageSize: 0 })).toThrow(/pageSize/);
    expect(() => client.media.list({ from: new Date('nope') })).toThrow(/from/);
    expect(() => client.media.list({ types: ['Video,Photo'] })).toThrow(/types/);
    await expect(client.media.search({ page: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.media.get('')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.media.get('a/../b')).rejects.toBeInstanceOf(InvalidInputError);
    expect(() => client.media.downloadToFile('x', join(tmpdir(), 'x'), { file: -1 })).toThrow(/file/);
    expect(() => client.media.downloadToFile('x', join(tmpdir(), 'x'), { variation: 'a', file: 0 })).toThrow(
      InvalidInputError,
    );
    expect(() => client.media.pull({ dest: '' })).toThrow(/dest/);
    expect(() => client.media.pull({ dest: 'x', concurrency: 0 })).toThrow(/concurrency/);
    expect(() => client.withOptions({ pageSize: 1.5 })).toThrow(/pageSize/);
    expect(calls()).toEqual([]);
  });
});

describe('gopro.media.get', () => {
  it('returns files, variations, sidecars and the sprite sheets, typed', async () => {
    const { client } = setup();
    const { byName } = await fixtures(client);
    const video = await client.media.get(byName('GX010001.MP4').id);
    expect(video._embedded.variations.map((v) => v.label)).toContain('concat');
    const [sprite] = video._embedded.sprites;
    expect(sprite).toMatchObject({
      fps: 30,
      frame: { count: 10, width: 100, height: 56 },
      width: 1000,
      height: 56,
    });
    expect(sprite!.urls).toHaveLength(1);
    const sheet = await client.media.download({ url: sprite!.urls![0]! });
    expect(sheet.contentType).toBe('image/jpeg');
    expect((await readAll(sheet.body)).byteLength).toBe(6 * 1024);
    const photo = await client.media.get(byName('GOPR0004.JPG').id);
    expect(photo._embedded.sprites).toEqual([]);
  });

  it('typed errors: GoProError of its status, 401 without leaking the token, retries 503 and 429 by Retry-After', async () => {
    const bad = setup('fixtures', { accessToken: 'wrong-secret-token' });
    const unauthorized = await bad.client.media.search().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(GoProError);
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect(unauthorized).toMatchObject({ status: 401, code: 'invalid_request' });
    expect(String(unauthorized)).not.toContain('wrong-secret-token');
    const { client, emulator, clock } = setup();
    await expect(client.media.get('missing')).rejects.toBeInstanceOf(NotFoundError);
    emulator.control.faults.add({ on: 'search', status: 503, retryAfter: 1 });
    expect((await client.media.search())._embedded.media).toHaveLength(5);
    emulator.control.faults.add({ on: 'download', status: 429, retryAfter: 7, count: -1 });
    const limited = await client.media.get('x', { maxRetries: 1 }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).retryAfterMs).toBe(7000);
    expect(clock.sleeps).toEqual([1000, 7000]);
  });

  it('rejects a body missing required keys, as gopro_api does', async () => {
    const { client } = setup('fixtures', {
      fetch: async () =>
        Response.json({
          _embedded: { media: [{ id: 'x', gopro_user_id: 'u', source_gumi: 'g' }] },
          _pages: { current_page: 1, per_page: 1, total_items: 1, total_pages: 1 },
        }),
    });
    await expect(client.media.search()).rejects.toBeInstanceOf(ResponseValidationError);
  });
});

describe('gopro.media.download and downloadToFile', () => {
  it('download streams the chosen asset without the cookie, with its own content type', async () => {
    const { client, seen } = setup();
    const { byName } = await fixtures(client);
    const photo = await client.media.download(byName('GOPR0004.JPG').id);
    expect(photo.contentType).toBe('image/jpeg');
    expect(photo.size).toBe(1024);
    expect((await readAll(photo.body)).byteLength).toBe(1024);
    const cdn = seen.find((r) => r.url.includes('/cdn/'))!;
    expect(cdn.headers.get('cookie')).toBeNull();
    const { data, response } = await client.media
      .download(byName('GX010001.MP4').id, { variation: 'mp4_low' })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.contentType).toBe('video/mp4');
    await data.body.cancel();
  });

  it('downloadToFile picks the tallest variation, or the one asked by label, height or file index', async () => {
    const { client } = setup();
    const { byName } = await fixtures(client);
    const id = byName('GX010001.MP4').id;
    const metadata = await client.media.get(id);
    const size = async (label: string) => {
      const variation = metadata._embedded.variations.find((v) => v.label === label)!;
      const head = await client.media.download({ url: variation.url });
      await head.body.cancel();
      return head.size;
    };
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-media-'));
    expect((await client.media.downloadToFile(id, join(dir, 'a.mp4')).done()).size).toBe(
      await size('concat'),
    );
    expect(
      (await client.media.downloadToFile(id, join(dir, 'b.mp4'), { targetHeight: 1080 }).done()).size,
    ).toBe(await size('high_res_proxy_mp4'));
    expect(
      (await client.media.downloadToFile(id, join(dir, 'c.mp4'), { variation: 'mp4_low' }).done()).size,
    ).toBe(await size('mp4_low'));
    const burst = byName('G0010001.JPG').id;
    const third = await client.media.downloadToFile(burst, join(dir, 'nested', 'f2.jpg'), { file: 2 }).done();
    expect((await readFile(join(dir, 'nested', 'f2.jpg'))).byteLength).toBe(third.size);
    await expect(
      client.media.downloadToFile(id, join(dir, 'x.mp4'), { variation: 'nope' }).done(),
    ).rejects.toThrow(/"nope" is not a variation.*concat/);
    await expect(client.media.download(byName('GX010002.MP4').id)).rejects.toBeInstanceOf(NoVariationsError);
  });

  it('head gives the size and type of an asset through its signed HEAD link, without a GET', async () => {
    const { client, emulator, cdnGets } = setup();
    const { byName } = await fixtures(client);
    const photo = byName('GOPR0004.JPG');
    expect(await client.media.head(photo.id)).toMatchObject({ size: 1024, contentType: 'image/jpeg' });
    const [file] = (await client.media.get(photo.id))._embedded.files;
    const { data, response } = await client.media.head(file!).withResponse();
    expect(data.size).toBe(1024);
    expect(response.status).toBe(200);
    const heads = emulator.control.journal
      .entries()
      .filter((e) => e.endpoint === 'cdn' && e.method === 'HEAD');
    expect(heads).toHaveLength(2);
    expect(cdnGets()).toBe(0);
  });

  it('refuses an HTML page from the CDN, as a stream and to a file', async () => {
    const { client } = setup('fixtures', {
      fetch: async () =>
        new Response('<html>sign in</html>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
    });
    await expect(client.media.download({ url: 'https://cdn.test/a.mp4' })).rejects.toBeInstanceOf(
      IntegrityError,
    );
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-media-'));
    await expect(
      client.media.downloadToFile({ url: 'https://cdn.test/a.mp4' }, join(dir, 'a.mp4')).done(),
    ).rejects.toBeInstanceOf(IntegrityError);
    await expect(client.media.download({ url: 'file:///etc/passwd' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

describe('GoProClient options', () => {
  it('withOptions changes per-client options and shares the lifetime', async () => {
    const { client, seen } = setup();
    const small = client.withOptions({ pageSize: 2, defaultHeaders: { 'x-trace': 'on' } });
    await small.media.search();
    expect(new URL(seen[0]!.url).searchParams.get('per_page')).toBe('2');
    expect(seen[0]!.headers.get('x-trace')).toBe('on');
    expect(seen[0]!.headers.get('cookie')).toBe(`gp_access_token=${GOPRO_DEMO_TOKEN}`);
    await small.close();
    expect(client.closed).toBe(true);
  });

  it('per-call headers go out with the request', async () => {
    const { client, seen } = setup();
    await client.media.search({ pageSize: 1 }, { headers: { 'x-call': '1' } });
    expect(seen[0]!.headers.get('x-call')).toBe('1');
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  InvalidInputError,
  ManualClock,
  NotFoundError,
  RateLimitError,
  ResponseValidationError,
  UnsafePathError,
} from '@mediaferry/core';
import { addGoproMedia, createEmulator, GOPRO_DEMO_TOKEN, goproService } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import { GoProClient, NoVariationsError, searchQuery, selectVideoVariation } from '../src/index.js';

const BASE = 'http://api.gopro.test';
const MARCH = [new Date('2026-03-01'), new Date('2026-03-31')] as const;

function setup(seed = 'fixtures', options: Partial<ConstructorParameters<typeof GoProClient>[0]> = {}) {
  const emulator = createEmulator(goproService, { seed });
  const seen: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    return emulator.fetch(request);
  };
  const client = new GoProClient({
    accessToken: GOPRO_DEMO_TOKEN,
    baseUrl: BASE,
    fetch,
    clock: new ManualClock(),
    ...options,
  });
  const calls = () => emulator.control.journal.entries().map((e) => e.endpoint);
  return { emulator, client, seen, calls };
}

describe('GoProClient (gopro_api parity)', () => {
  it('sends the cookie and the exact vendor Accept types', async () => {
    const { client, seen } = setup();
    const page = await client.search({ perPage: 2 });
    await client.download(page._embedded.media[0]!.id);
    expect(seen[0]!.headers.get('cookie')).toBe(`gp_access_token=${GOPRO_DEMO_TOKEN}`);
    expect(seen[0]!.headers.get('authorization')).toBeNull();
    expect(seen[0]!.headers.get('accept')).toBe('application/vnd.gopro.jk.media.search+json; version=2.0.0');
    expect(seen[1]!.headers.get('accept')).toBe('application/vnd.gopro.jk.media+json; version=2.0.0');
  });

  it('serialises default params in gopro_api order with per_page 1', () => {
    const query = searchQuery({
      capturedRange: { start: new Date('2026-03-01T10:00:00Z'), end: new Date('2026-03-02') },
    });
    expect(Object.keys(query)).toEqual([
      'processing_states',
      'fields',
      'type',
      'captured_range',
      'page',
      'per_page',
    ]);
    expect(query).toMatchObject({
      processing_states: 'rendering,pretranscoding,transcoding,stabilizing,ready,failure',
      fields: 'id,type,filename,file_extension,captured_at,file_size,item_count,width,height',
      type: 'Burst,BurstVideo,Continuous,LoopedVideo,Photo,TimeLapse,TimeLapseVideo,Video,MultiClipEdit,Edit',
      captured_range: '2026-03-01T00:00:00.000Z,2026-03-02T00:00:00.000Z',
      page: 1,
      per_page: 1,
    });
  });

  it('iterNonemptySearchPages stops at the first empty page: 5 items at 2 per page cost 4 requests', async () => {
    const { client, calls } = setup();
    const pages = [];
    for await (const page of client.iterNonemptySearchPages(...MARCH, { perPage: 2 }))
      pages.push(page._embedded.media.length);
    expect(pages).toEqual([2, 2, 1]);
    expect(calls()).toEqual(['search', 'search', 'search', 'search']);
  });

  it('listMediaItems truncates to maxItems and stops requesting once it has them', async () => {
    const { client, calls } = setup('fixtures', { pageSize: 2, maxItems: 3 });
    const items = await client.listMediaItems(...MARCH);
    expect(items).toHaveLength(3);
    expect(calls()).toEqual(['search', 'search']);
    expect(await client.listMediaItems(...MARCH, { maxItems: 0 })).toEqual([]);
  });

  it('searchAll pages lazily and stops on total_pages without an empty request', async () => {
    const { client, calls } = setup('demo');
    const items = await client
      .searchAll(new Date('2026-10-01'), new Date('2026-10-31'), { perPage: 5 })
      .toArray({ limit: 100 });
    expect(items.length).toBeGreaterThanOrEqual(14);
    expect(items.every((i) => i.captured_at instanceof Date && i.captured_at.getUTCMonth() === 9)).toBe(true);
    expect(calls()).toHaveLength(Math.ceil(items.length / 5));
  });

  it('getDownloadUrl picks the tallest variation for a video, every file otherwise, named like gopro_api', async () => {
    const { client } = setup();
    const items = await client.listMediaItems(...MARCH, { maxItems: 10 });
    const withVariations = items.filter((i) => i.filename !== 'GX010002.MP4');
    const assets = await client.getDownloadUrl(withVariations);
    expect([...assets.keys()].sort()).toEqual([
      'G0010001000.JPG',
      'G0010001001.JPG',
      'G0010001002.JPG',
      'GOPR0004000.JPG',
      'GS010003000.360',
      'GX010001000.MP4',
    ]);
    expect(assets.get('GX010001000.MP4')).toMatchObject({ label: 'concat', height: 2160 });
    expect(assets.get('G0010001001.JPG')).toMatchObject({ available: false });
    client.preferHeight = 1080;
    expect(
      (await client.getDownloadUrl(items.filter((i) => i.filename === 'GX010001.MP4'))).get(
        'GX010001000.MP4',
      ),
    ).toMatchObject({
      label: 'high_res_proxy_mp4',
    });
    await expect(
      client.getDownloadUrl(items.filter((i) => i.filename === 'GX010002.MP4')),
    ).rejects.toBeInstanceOf(NoVariationsError);
  });

  it('downloadUrlToPath streams a signed URL without sending the cookie', async () => {
    const { client, seen } = setup();
    const [item] = await client
      .listMediaItems(...MARCH, { maxItems: 10 })
      .then((all) => all.filter((i) => i.filename === 'GOPR0004.JPG'));
    const asset = [...(await client.getDownloadUrl([item!])).values()][0]!;
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-'));
    const saved = await client.downloadUrlToPath(asset.url, join(dir, 'nested', 'photo.jpg'));
    expect(saved.size).toBe(1024);
    const cdnRequest = seen.find((r) => r.url.includes('/cdn/'))!;
    expect(cdnRequest.headers.get('cookie')).toBeNull();
    expect((await readFile(join(dir, 'nested', 'photo.jpg'))).byteLength).toBe(1024);
  });
});

describe('GoProClient beyond gopro_api', () => {
  it('pull keeps both files on a name collision and never writes outside the folder', async () => {
    const { client, emulator } = setup();
    const items = (await client.listMediaItems(...MARCH, { maxItems: 10 })).filter(
      (i) => i.filename === 'GOPR0004.JPG',
    );
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-'));
    const pulled = (await client.pull([items[0]!, items[0]!], dir)).downloaded;
    expect(pulled.map((p) => p.name).sort()).toEqual([`GOPR0004000-${items[0]!.id}.JPG`, 'GOPR0004000.JPG']);
    expect((await readdir(dir)).sort()).toEqual(pulled.map((p) => p.name).sort());
    expect(emulator.control.journal.entries().filter((e) => e.endpoint === 'cdn')).toHaveLength(2);
  });

  it('pull resumes a CDN body cut mid-way and the bytes match a clean download', async () => {
    const { client, emulator } = setup();
    const video = (await client.listMediaItems(...MARCH, { maxItems: 10 })).find(
      (i) => i.filename === 'GX010001.MP4',
    )!;
    const clean = await mkdtemp(join(tmpdir(), 'mf-gopro-'));
    await client.pull([video], clean);
    emulator.control.wireFaults.add({ on: 'cdn', kind: 'reset_mid_body', afterBytes: 2000 });
    const cut = await mkdtemp(join(tmpdir(), 'mf-gopro-'));
    await client.pull([video], cut);
    const digest = async (dir: string) =>
      createHash('sha1')
        .update(await readFile(join(dir, 'GX010001000.MP4')))
        .digest('hex');
    expect(await digest(cut)).toBe(await digest(clean));
    expect(
      emulator.control.journal
        .entries()
        .filter((e) => e.endpoint === 'cdn')
        .map((e) => e.fault),
    ).toEqual([null, 'reset_mid_body', null]);
  });

  it('typed errors: 401 for a bad token, 404 for an unknown id, retries 503 honouring Retry-After', async () => {
    const bad = setup('fixtures', { accessToken: 'wrong' });
    const unauthorized = await bad.client.search().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect(unauthorized).toMatchObject({ status: 401, code: 'invalid_request', service: 'gopro' });
    expect(String(unauthorized)).not.toContain('wrong');
    const { client, emulator } = setup();
    await expect(client.download('missing')).rejects.toBeInstanceOf(NotFoundError);
    emulator.control.faults.add({ on: 'search', status: 503, retryAfter: 1 });
    expect((await client.search())._embedded.media).toHaveLength(1);
  });

  it('rejects a body missing required keys, as gopro_api does', async () => {
    const { client } = setup('fixtures', {
      fetch: async () =>
        new Response(
          JSON.stringify({
            _embedded: { media: [{ id: 'x', gopro_user_id: 'u', source_gumi: 'g' }] },
            _pages: { current_page: 1, per_page: 1, total_items: 1, total_pages: 1 },
          }),
          { headers: { 'content-type': 'application/json' } },
        ),
    });
    await expect(client.search()).rejects.toBeInstanceOf(ResponseValidationError);
  });

  it('validates input before any request', async () => {
    const { client, calls } = setup();
    expect(() => client.searchAll(new Date('2026-03-05'), new Date('2026-03-01'))).toThrow(InvalidInputError);
    await expect(client.search({ page: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.download('')).rejects.toBeInstanceOf(InvalidInputError);
    expect(() => new GoProClient({ accessToken: '', baseUrl: BASE })).toThrow(/GP_ACCESS_TOKEN/);
    expect(calls()).toEqual([]);
  });
});

describe('GoProClient, acceptance cases of issue 4', () => {
  const v = (label: string, width: number, height: number) => ({
    url: label,
    head: label,
    label,
    width,
    height,
    type: 'mp4',
    quality: `${height}p`,
    available: true,
  });
  const [a, b, c] = [v('a', 1440, 1080), v('b', 1920, 1080), v('c', 1280, 720)];

  it.each([
    [{}, 'a'],
    [{ targetHeight: 1080 }, 'b'],
    [{ targetHeight: 900 }, 'b'],
    [{ targetWidth: 1600 }, 'a'],
    [{ targetHeight: 0 }, 'c'],
  ])('selectVideoVariation %j → %s (spec §A5 table)', (target, expected) => {
    expect(selectVideoVariation([a, b, c], target).label).toBe(expected);
  });

  it('pages 2,500 items with pageSize 1000 in 3 searches (searchAll) or 4 (gopro_api loop)', async () => {
    const emulator = createEmulator(goproService, { seed: 'none' });
    for (let i = 0; i < 2500; i += 1) {
      await addGoproMedia(emulator.context, {
        type: 'Photo',
        filename: `P${i}.JPG`,
        capturedAt: '2026-05-05T10:00:00Z',
        width: 10,
        height: 10,
        files: [{ size: 1 }],
      });
    }
    const client = new GoProClient({
      accessToken: GOPRO_DEMO_TOKEN,
      baseUrl: BASE,
      fetch: emulator.fetch,
      pageSize: 1000,
    });
    const all = await client
      .searchAll(new Date('2026-05-01'), new Date('2026-05-31'))
      .toArray({ limit: 5000 });
    expect(all).toHaveLength(2500);
    expect(emulator.control.journal.entries()).toHaveLength(3);
    const listed = await client.listMediaItems(new Date('2026-05-01'), new Date('2026-05-31'), {
      maxItems: 5000,
    });
    expect(listed).toHaveLength(2500);
    expect(emulator.control.journal.entries()).toHaveLength(3 + 4);
    expect(new Set(listed.map((i) => i.id)).size).toBe(2500);
  });

  it('a hostile file name from the server fails that file with UnsafePathError and writes nothing outside', async () => {
    const emulator = createEmulator(goproService, { seed: 'none' });
    for (const filename of ['../../escape.JPG', '/etc/passwd.JPG', 'nul\u0000.JPG', 'fine.JPG']) {
      await addGoproMedia(emulator.context, {
        type: 'Photo',
        filename,
        capturedAt: '2026-05-05T10:00:00Z',
        width: 10,
        height: 10,
        files: [{ size: 10 }],
      });
    }
    const client = new GoProClient({ accessToken: GOPRO_DEMO_TOKEN, baseUrl: BASE, fetch: emulator.fetch });
    const parent = await mkdtemp(join(tmpdir(), 'mf-gopro-'));
    const dest = join(parent, 'inside');
    const report = await client.pullMedia({ from: new Date('2026-05-01'), to: new Date('2026-05-31'), dest });
    expect(report.downloaded.map((d) => d.name)).toEqual(['fine000.JPG']);
    expect(report.failed).toHaveLength(3);
    for (const failure of report.failed) expect(failure.error).toBeInstanceOf(UnsafePathError);
    expect((await readdir(parent)).sort()).toEqual(['inside']);
  });

  it('pullMedia skips what is already there with the same size, and reports', async () => {
    const { client, emulator } = setup('demo');
    const dest = await mkdtemp(join(tmpdir(), 'mf-gopro-'));
    const range = { from: new Date('2026-10-01'), to: new Date('2026-10-10') };
    const first = await client.pullMedia({ ...range, dest, concurrency: 3 });
    expect(first.downloaded.length).toBeGreaterThanOrEqual(4);
    expect(first.failed).toEqual([]);
    const cdnBefore = emulator.control.journal
      .entries()
      .filter((e) => e.endpoint === 'cdn' && e.method === 'GET').length;
    const second = await client.pullMedia({ ...range, dest });
    expect(second.downloaded).toEqual([]);
    expect(second.skipped.map((s) => s.name).sort()).toEqual(first.downloaded.map((d) => d.name).sort());
    expect(
      emulator.control.journal.entries().filter((e) => e.endpoint === 'cdn' && e.method === 'GET').length,
    ).toBe(cdnBefore);
  });

  it('honours Retry-After on 429 and gives up with RateLimitError carrying it', async () => {
    const clock = new ManualClock();
    const { client, emulator } = setup('fixtures', { clock });
    emulator.control.faults.add({ on: 'download', status: 429, retryAfter: 3 });
    const [item] = await client.listMediaItems(...MARCH);
    await client.download(item!.id);
    expect(clock.sleeps).toEqual([3000]);
    emulator.control.faults.add({ on: 'download', status: 429, retryAfter: 7, count: -1 });
    const error = await client.download(item!.id, { maxRetries: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(7000);
  });

  it('a CDN reset that keeps happening is reported as a failure and leaves no file', async () => {
    const { client, emulator } = setup();
    const video = (await client.listMediaItems(...MARCH, { maxItems: 10 })).find(
      (i) => i.filename === 'GX010001.MP4',
    )!;
    emulator.control.wireFaults.add({ on: 'cdn', kind: 'reset_mid_body', afterBytes: 100, count: -1 });
    const dest = await mkdtemp(join(tmpdir(), 'mf-gopro-'));
    const report = await client.pull([video], dest);
    expect(report.failed).toHaveLength(1);
    expect(await readdir(dest)).toEqual([]);
  });
});

/**
 * `@mediaferry/gopro/gopro-api`: gopro_api's surface, checked against the seed's documented behaviour
 * (seed 002, gopro_api's client docs; spec gopro-biggo.md §A4–§A6, §A8) on the emulator.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, TimeoutError } from '@mediaferry/core';
import { createEmulator, GOPRO_DEMO_TOKEN, goproService } from '@mediaferry/emulator';
import {
  AsyncGoProClient,
  ClientResponseError,
  GoProAPI,
  GoProClient,
  HTTPError,
  NoVariationsError,
  pullAssetsForResponse,
  RuntimeError,
  selectVideoVariation,
  ValidationError,
  writeBytes,
} from '@mediaferry/gopro/gopro-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GoProError } from '../../src/index.js';
import { BASE, manyPhotos, recordingEmulator } from '../support.js';

const MARCH = [new Date('2026-03-01'), new Date('2026-03-31')] as const;

function setup(seed = 'fixtures', keywords: ConstructorParameters<typeof AsyncGoProClient>[2] = {}) {
  const recorded = recordingEmulator(seed);
  const client = new AsyncGoProClient(GOPRO_DEMO_TOKEN, 10.0, {
    baseUrl: BASE,
    fetch: recorded.fetch,
    clock: new ManualClock(),
    ...keywords,
  });
  return { ...recorded, client };
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe('AsyncGoProClient / GoProClient construction and context', () => {
  it("the sync names are the async classes; defaults are the seed's", () => {
    expect(GoProClient).toBe(AsyncGoProClient);
    const client = new GoProClient(GOPRO_DEMO_TOKEN);
    expect({ ...client }).toEqual({ pageSize: 1000, maxItems: 1, preferHeight: null, preferWidth: null });
    expect(new GoProAPI(GOPRO_DEMO_TOKEN).baseUrl).toBe('https://api.gopro.com');
  });

  it('the token is `access_token or GP_ACCESS_TOKEN`: an empty string falls back to the variable', async () => {
    vi.stubEnv('GP_ACCESS_TOKEN', GOPRO_DEMO_TOKEN);
    const emulator = createEmulator(goproService, { seed: 'fixtures' });
    const client = new AsyncGoProClient('', 10, { baseUrl: BASE, fetch: emulator.fetch });
    expect((await client.search())._embedded.media).toHaveLength(1);
    vi.stubEnv('GP_ACCESS_TOKEN', '');
    expect(() => new AsyncGoProClient(null)).toThrow(/GP_ACCESS_TOKEN/);
  });

  it('timeout is in seconds and defaults to 10', async () => {
    const hang = (input: Request | string | URL, init?: RequestInit) => {
      const signal = input instanceof Request ? input.signal : init?.signal;
      return new Promise<Response>((_resolve, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason)),
      );
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const client = new AsyncGoProClient(GOPRO_DEMO_TOKEN, undefined, {
      baseUrl: BASE,
      fetch: hang,
      maxRetries: 0,
    });
    const failed = client.search().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(9_900);
    let settled = false;
    void failed.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    const error = await failed;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(10_000);
  });

  it('aexit() closes: calls throw RuntimeError until aenter() opens it again; await using leaves the context', async () => {
    const { client } = setup();
    expect(await client.aenter()).toBe(client);
    await client.aexit();
    await expect(client.search()).rejects.toBeInstanceOf(RuntimeError);
    await client.aenter();
    expect((await client.search())._embedded.media).toHaveLength(1);
    {
      await using scoped = await client.enter();
      await scoped.download((await scoped.search())._embedded.media[0]!.id);
    }
    await expect(client.download('x')).rejects.toThrow(/async context manager/);
  });
});

describe('search, download (the raw calls)', () => {
  it('search sends the seed defaults in order, with per_page 1', async () => {
    const { client, seen, query } = setup();
    const page = await client.search();
    expect(page._embedded.media).toHaveLength(1);
    expect(Object.fromEntries(query(0))).toEqual({
      processing_states: 'rendering,pretranscoding,transcoding,stabilizing,ready,failure',
      fields: 'id,type,filename,file_extension,captured_at,file_size,item_count,width,height',
      type: 'Burst,BurstVideo,Continuous,LoopedVideo,Photo,TimeLapse,TimeLapseVideo,Video,MultiClipEdit,Edit',
      captured_range: '0001-01-01T00:00:00.000Z,9999-12-31T00:00:00.000Z',
      page: '1',
      per_page: '1',
    });
    expect([...query(0).keys()][0]).toBe('processing_states');
    expect(seen[0]!.headers.get('cookie')).toBe(`gp_access_token=${GOPRO_DEMO_TOKEN}`);
    await client.search({
      capturedRange: { start: new Date('2026-03-01T10:00:00Z'), end: new Date('2026-03-02') },
      perPage: 3,
      type: ['Video'],
    });
    expect(query(1).get('captured_range')).toBe('2026-03-01T00:00:00.000Z,2026-03-02T00:00:00.000Z');
    expect(query(1).get('type')).toBe('Video');
  });

  it('download returns the metadata; HTTP errors are ClientResponseError / HTTPError; a bad body is ValidationError', async () => {
    const { client } = setup();
    const id = (await client.search())._embedded.media[0]!.id;
    expect((await client.download(id)).filename).toMatch(/\./);
    const missing = await client.download('missing').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ClientResponseError);
    expect(missing).toBeInstanceOf(HTTPError);
    expect(missing).toBeInstanceOf(GoProError);
    expect(missing).toMatchObject({ status: 404 });
    const broken = new AsyncGoProClient(GOPRO_DEMO_TOKEN, 10, {
      baseUrl: BASE,
      fetch: async () =>
        Response.json({ filename: 'x.MP4', _embedded: { files: [], variations: [], sidecar_files: [] } }),
    });
    await expect(broken.download('x')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('iterNonemptySearchPages, listMediaItems', () => {
  it('iterNonemptySearchPages stops at the first empty page: 5 items at 2 per page cost 4 requests', async () => {
    const { client, calls, query } = setup();
    const pages: number[] = [];
    for await (const page of client.iterNonemptySearchPages(...MARCH, { perPage: 2 }))
      pages.push(page._embedded.media.length);
    expect(pages).toEqual([2, 2, 1]);
    expect(calls()).toEqual(['search', 'search', 'search', 'search']);
    expect(query(3).get('page')).toBe('4');
  });

  it('respects startPage, and defaults perPage to the pageSize attribute', async () => {
    const { client, query } = setup();
    client.pageSize = 2;
    const pages = [];
    for await (const page of client.iterNonemptySearchPages(...MARCH, { startPage: 2 })) pages.push(page);
    expect(pages.map((p) => p._pages.current_page)).toEqual([2, 3]);
    expect(query(0).get('per_page')).toBe('2');
    expect(query(0).get('page')).toBe('2');
  });

  it('listMediaItems defaults to 1 item from 1 request of 1000; truncates to maxItems; 0 costs one request', async () => {
    const { client, calls, query } = setup();
    expect(await client.listMediaItems(...MARCH)).toHaveLength(1);
    expect(query(0).get('per_page')).toBe('1000');
    expect(calls()).toEqual(['search']);
    const small = setup('fixtures', { pageSize: 2, maxItems: 3 });
    expect(await small.client.listMediaItems(...MARCH)).toHaveLength(3);
    expect(small.calls()).toEqual(['search', 'search']);
    small.client.maxItems = 0;
    expect(await small.client.listMediaItems(...MARCH)).toEqual([]);
    expect(small.calls()).toHaveLength(3);
  });

  it('2,500 items with pageSize 1000 cost 4 requests (the empty page included), no duplicates', async () => {
    const emulator = await manyPhotos(2500);
    const client = new AsyncGoProClient(GOPRO_DEMO_TOKEN, 10, {
      baseUrl: BASE,
      fetch: emulator.fetch,
      maxItems: 5000,
    });
    const listed = await client.listMediaItems(new Date('2026-05-01'), new Date('2026-05-31'));
    expect(new Set(listed.map((i) => i.id)).size).toBe(2500);
    expect(emulator.control.journal.entries()).toHaveLength(4);
  });
});

describe('getDownloadUrl, downloadUrlToPath', () => {
  it('returns a plain object: the tallest variation of a video, every file otherwise, named like gopro_api', async () => {
    const { client } = setup('fixtures', { maxItems: 10 });
    const items = await client.listMediaItems(...MARCH);
    const assets = await client.getDownloadUrl(items.filter((i) => i.filename !== 'GX010002.MP4'));
    expect(Object.getPrototypeOf(assets)).toBe(Object.prototype);
    expect(Object.keys(assets).sort()).toEqual([
      'G0010001000.JPG',
      'G0010001001.JPG',
      'G0010001002.JPG',
      'GOPR0004000.JPG',
      'GS010003000.360',
      'GX010001000.MP4',
    ]);
    expect(assets['GX010001000.MP4']).toMatchObject({ label: 'concat', height: 2160 });
    expect(assets['G0010001001.JPG']).toMatchObject({ available: false });
    client.preferHeight = 1080;
    const video = items.filter((i) => i.filename === 'GX010001.MP4');
    expect((await client.getDownloadUrl(video))['GX010001000.MP4']).toMatchObject({
      label: 'high_res_proxy_mp4',
    });
    await expect(
      client.getDownloadUrl(items.filter((i) => i.filename === 'GX010002.MP4')),
    ).rejects.toBeInstanceOf(NoVariationsError);
  });

  it('merges in input order, the later item replacing the earlier; an empty list makes no request', async () => {
    const { client, calls } = setup('fixtures', { maxItems: 10 });
    expect(await client.getDownloadUrl([])).toEqual({});
    expect(calls()).toEqual([]);
    const items = await client.listMediaItems(...MARCH);
    const photo = items.find((i) => i.filename === 'GOPR0004.JPG')!;
    const burst = items.find((i) => i.filename === 'G0010001.JPG')!;
    const merged = await client.getDownloadUrl([burst, photo, burst]);
    expect(Object.keys(merged)).toEqual([
      'G0010001000.JPG',
      'G0010001001.JPG',
      'G0010001002.JPG',
      'GOPR0004000.JPG',
    ]);
  });

  it('downloadUrlToPath writes the CDN body without the cookie, creating folders; an HTTP error raises', async () => {
    const { client, seen } = setup('fixtures', { maxItems: 10 });
    const photo = (await client.listMediaItems(...MARCH)).filter((i) => i.filename === 'GOPR0004.JPG');
    const [asset] = Object.values(await client.getDownloadUrl(photo));
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-compat-'));
    expect(await client.downloadUrlToPath(asset!.url, join(dir, 'nested', 'photo.jpg'))).toBeUndefined();
    expect((await readFile(join(dir, 'nested', 'photo.jpg'))).byteLength).toBe(1024);
    expect(seen.find((r) => r.url.includes('/cdn/'))!.headers.get('cookie')).toBeNull();
    const forged = asset!.url.replace(/signature=[0-9a-f]+/, 'signature=00');
    await expect(client.downloadUrlToPath(forged, join(dir, 'x.jpg'))).rejects.toBeInstanceOf(
      ClientResponseError,
    );
  });
});

describe('gopro_api.utils', () => {
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

  it('pullAssetsForResponse returns a plain object; a hostile name stays an own key', () => {
    const response = {
      filename: '__proto__',
      _embedded: {
        files: [
          {
            url: 'u',
            head: 'h',
            camera_position: 'c',
            item_number: 1,
            width: 1,
            height: 1,
            orientation: 1,
            available: true,
          },
        ],
        variations: [],
        sprites: [],
        sidecar_files: [],
      },
    };
    const assets = pullAssetsForResponse(response);
    expect(Object.keys(assets)).toEqual(['000.__proto__']);
    expect(Object.getPrototypeOf(assets)).toBe(Object.prototype);
  });

  it('writeBytes creates the folder and writes the bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-compat-'));
    await writeBytes(join(dir, 'a', 'b.bin'), new Uint8Array([1, 2, 3]));
    expect([...(await readFile(join(dir, 'a', 'b.bin')))]).toEqual([1, 2, 3]);
  });
});

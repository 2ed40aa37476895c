import { describe, expect, it } from 'vitest';
import { createEmulator, GOPRO_DEMO_TOKEN, goproService } from '../../src/index.js';

const ORIGIN = 'http://api.gopro.test';
const cookie = { cookie: `gp_access_token=${GOPRO_DEMO_TOKEN}` };

function gopro(seed = 'fixtures', options: Record<string, unknown> = {}) {
  const emulator = createEmulator(goproService, { seed, options });
  const get = (path: string, headers: Record<string, string> = cookie) =>
    emulator.fetch(`${ORIGIN}${path}`, { headers });
  return { emulator, get };
}

interface SearchBody {
  _embedded: { media: Array<Record<string, unknown>>; errors: unknown[] };
  _pages: { current_page: number; per_page: number; total_items: number; total_pages: number };
}

describe('GoPro emulator (spec §A9)', () => {
  it('demands the gp_access_token cookie (401 invalid_request), accepts Bearer as an option', async () => {
    const { get } = gopro();
    const none = await get('/media/search', {});
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: 'invalid_request' });
    expect((await get('/media/search', { cookie: 'gp_access_token=nope' })).status).toBe(401);
    expect((await get('/media/search', { authorization: `Bearer ${GOPRO_DEMO_TOKEN}` })).status).toBe(200);
    const strict = gopro('fixtures', { acceptBearer: false });
    expect((await strict.get('/media/search', { authorization: `Bearer ${GOPRO_DEMO_TOKEN}` })).status).toBe(
      401,
    );
  });

  it('pages with 1-based page/per_page, newest first, and answers 200 with no media past the end', async () => {
    const { get } = gopro();
    const first = (await (await get('/media/search?page=1&per_page=2')).json()) as SearchBody;
    expect(first._pages).toEqual({ current_page: 1, per_page: 2, total_items: 5, total_pages: 3 });
    expect(first._embedded.media.map((m) => m.filename)).toEqual(['GOPR0004.JPG', 'GS010003.360']);
    expect(first._embedded.errors).toEqual([]);
    const past = await get('/media/search?page=4&per_page=2');
    expect(past.status).toBe(200);
    const body = (await past.json()) as SearchBody;
    expect(body._embedded.media).toEqual([]);
    expect(body._pages.total_items).toBe(5);
  });

  it('reads captured_range leniently (clean, double-time, percent-encoded) and filters by date inclusively', async () => {
    const { get } = gopro();
    const forms = [
      'captured_range=2026-03-02T00:00:00.000Z,2026-03-03T00:00:00.000Z',
      'captured_range=2026-03-02T00:00:00T00:00:00.000Z,2026-03-03T23:59:59.999999T00:00:00.000Z',
      'captured_range=2026-03-02T00%3A00%3A00.000Z%2C2026-03-03T00%3A00%3A00.000Z',
    ];
    for (const query of forms) {
      const body = (await (await get(`/media/search?per_page=50&${query}`)).json()) as SearchBody;
      expect(body._embedded.media.map((m) => m.filename).sort()).toEqual(['G0010001.JPG', 'GX010002.MP4']);
    }
    expect((await get('/media/search?captured_range=yesterday,today')).status).toBe(400);
  });

  it('filters by type and processing state, honours fields but always returns the four identity keys', async () => {
    const { get } = gopro('demo');
    const videos = (await (
      await get('/media/search?per_page=100&type=Burst&fields=filename')
    ).json()) as SearchBody;
    expect(videos._embedded.media).toHaveLength(5);
    expect(Object.keys(videos._embedded.media[0]!).sort()).toEqual([
      'filename',
      'gopro_user_id',
      'id',
      'source_gumi',
      'source_mgumi',
    ]);
    expect(videos._embedded.media[0]!.source_mgumi).toBeNull();
    const ready = (await (
      await get('/media/search?per_page=100&processing_states=ready')
    ).json()) as SearchBody;
    const all = (await (await get('/media/search?per_page=100')).json()) as SearchBody;
    expect(all._pages.total_items - ready._pages.total_items).toBe(1);
  });

  it('download metadata has all four arrays, required fields, integer fps, and signed CDN links that serve bytes', async () => {
    const { emulator, get } = gopro();
    const search = (await (await get('/media/search?per_page=10')).json()) as SearchBody;
    const video = search._embedded.media.find((m) => m.filename === 'GX010001.MP4')!;
    const response = await get(`/media/${video.id as string}/download`);
    const body = (await response.json()) as {
      filename: string;
      _embedded: Record<string, Array<Record<string, unknown>>>;
    };
    expect(body.filename).toBe('GX010001.MP4');
    expect(Object.keys(body._embedded).sort()).toEqual(['files', 'sidecar_files', 'sprites', 'variations']);
    const variation = body._embedded.variations![0]!;
    for (const key of ['url', 'head', 'label', 'type', 'quality', 'width', 'height', 'available'])
      expect(variation).toHaveProperty(key);
    expect(Number.isInteger(body._embedded.sidecar_files![0]!.fps)).toBe(true);

    const cdn = await emulator.fetch(variation.url as string);
    expect(cdn.status).toBe(200);
    expect((await cdn.arrayBuffer()).byteLength).toBe(6 * 1024);
    const head = await emulator.fetch(variation.head as string, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(6 * 1024));
    const ranged = await emulator.fetch(variation.url as string, { headers: { range: 'bytes=0-9' } });
    expect(ranged.status).toBe(206);

    // One hex digit of the signature changed (to another digit, whatever it was: the key is random per run).
    const tampered = (variation.url as string).replace(
      /signature=([0-9a-f])/,
      (_, digit: string) => `signature=${digit === '0' ? '1' : '0'}`,
    );
    expect(tampered).not.toBe(variation.url);
    expect((await emulator.fetch(tampered)).status).toBe(403);
    emulator.control.clock.advance(3_601_000);
    const expired = await emulator.fetch(variation.url as string);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ message: 'request has expired' });
  });

  it('404s an unknown media id', async () => {
    const { get } = gopro();
    const response = await get('/media/nope/download');
    expect(response.status).toBe(404);
  });

  it('the demo seed holds 50+ items across 2026, the richest month October', async () => {
    const { get } = gopro('demo');
    const year = (await (
      await get('/media/search?per_page=1000&captured_range=2026-01-01,2026-12-31')
    ).json()) as SearchBody;
    expect(year._pages.total_items).toBeGreaterThanOrEqual(50);
    const types = new Set(year._embedded.media.map((m) => m.type));
    for (const type of ['Video', 'Photo', 'Burst', 'TimeLapseVideo']) expect(types).toContain(type);
    const october = (await (
      await get('/media/search?per_page=100&captured_range=2026-10-01,2026-10-31')
    ).json()) as SearchBody;
    expect(october._pages.total_items).toBeGreaterThanOrEqual(14);
    expect(october._embedded.media.every((m) => String(m.captured_at).startsWith('2026-10'))).toBe(true);
  });

  it('seeds a blob for every asset, and none that no asset uses', async () => {
    for (const seed of ['fixtures', 'demo']) {
      const { emulator } = gopro(seed);
      await emulator.ready;
      const dump = emulator.control.dump() as {
        state: {
          media: Record<
            string,
            Record<'files' | 'variations' | 'sidecars' | 'sprites', { blobId: string }[]>
          >;
        };
        blobs: { id: string }[];
      };
      const used = Object.values(dump.state.media).flatMap((m) =>
        [...m.files, ...m.variations, ...m.sidecars, ...m.sprites].map((asset) => asset.blobId),
      );
      expect(dump.blobs.map((blob) => blob.id).sort()).toEqual(used.sort());
    }
  });
});

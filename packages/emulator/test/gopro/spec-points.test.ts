/**
 * Issue 19, GoPro: the CDN's content types, seeded sprites, signed links answering their own method, and
 * every option both ways, over HTTP against a listening emulator (spec gopro-biggo.md part A).
 */
import { describe, expect, it } from 'vitest';
import { GOPRO_DEMO_TOKEN, goproService } from '../../src/index.js';
import { type Json, serve } from '../support/http.js';

const cookie = { cookie: `gp_access_token=${GOPRO_DEMO_TOKEN}` };

async function start(seed = 'fixtures') {
  const s = await serve(goproService, { seed });
  const search = async (query = 'per_page=100', headers: Record<string, string> = cookie) =>
    s.json(`/media/search?${query}`, { headers });
  const download = async (filename: string) => {
    const media = (await search()).body._embedded.media as Json[];
    const item = media.find((m) => m.filename === filename)!;
    return (await s.json(`/media/${item.id}/download`, { headers: cookie })).body;
  };
  return { ...s, search, download };
}

describe('GoPro emulator against the spec (issue 19)', () => {
  it('the CDN serves each file with its own type: JPG photos and bursts image/jpeg, videos video/mp4', async () => {
    const s = await start();
    const typeOf = async (url: string) => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
      return response.headers.get('content-type');
    };
    for (const file of (await s.download('G0010001.JPG'))._embedded.files)
      expect(await typeOf(file.url)).toBe('image/jpeg');
    expect(await typeOf((await s.download('GOPR0004.JPG'))._embedded.files[0].url)).toBe('image/jpeg');
    const video = (await s.download('GX010001.MP4'))._embedded;
    for (const variation of video.variations) expect(await typeOf(variation.url)).toBe('video/mp4');
    expect(await typeOf(video.sidecar_files[0].url)).toBe('video/mp4');
    expect(await typeOf((await s.download('GS010003.360'))._embedded.files[0].url)).toBe('video/mp4');
  });

  it('download metadata carries seeded sprites, whose links serve JPEG sheets', async () => {
    const s = await start();
    const sprites = (await s.download('GX010001.MP4'))._embedded.sprites as Json[];
    expect(sprites).toEqual([
      {
        fps: 30,
        frame: { count: 10, width: 100, height: 56 },
        width: 1000,
        height: 56,
        type: 'jpg',
        total_count: 1,
        heads: [expect.stringMatching(/\/cdn\/h\//)],
        urls: [expect.stringMatching(/\/cdn\/[^h]/)],
      },
    ]);
    const sheet = await fetch(sprites[0]!.urls[0]);
    expect(sheet.headers.get('content-type')).toBe('image/jpeg');
    expect((await sheet.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect((await fetch(sprites[0]!.heads[0], { method: 'HEAD' })).status).toBe(200);
    // Photos have no sprites, but the key is always there (gopro_api requires it).
    expect((await s.download('GOPR0004.JPG'))._embedded.sprites).toEqual([]);
  });

  it('a signed link answers the method it was signed for: GET on url, HEAD on head; the other is 403', async () => {
    const s = await start();
    const { url, head } = (await s.download('GX010001.MP4'))._embedded.variations[0];
    const got = await fetch(url);
    expect(got.status).toBe(200);
    const size = (await got.arrayBuffer()).byteLength;
    const headed = await fetch(head, { method: 'HEAD' });
    expect(headed.status).toBe(200);
    expect(Number(headed.headers.get('content-length'))).toBe(size);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(403);
    const getOnHead = await fetch(head);
    expect(getOnHead.status).toBe(403);
    await getOnHead.arrayBuffer();
  });
});

describe('GoPro options, each both ways', () => {
  it('signedMethodOnly: off, both links answer GET and HEAD', async () => {
    const s = await start();
    const { url, head } = (await s.download('GX010001.MP4'))._embedded.variations[0];
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(403);
    await s.setOptions({ signedMethodOnly: false });
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    const body = await fetch(head);
    expect(body.status).toBe(200);
    expect((await body.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('acceptBearer: Bearer accepted, or 401', async () => {
    const s = await start();
    const bearer = { authorization: `Bearer ${GOPRO_DEMO_TOKEN}` };
    expect((await s.search(undefined, bearer)).status).toBe(200);
    await s.setOptions({ acceptBearer: false });
    expect((await s.search(undefined, bearer)).status).toBe(401);
  });

  it('strictAccept and acceptMismatchStatus: any Accept, or 406 / 415 for the wrong one', async () => {
    const s = await start();
    const wrong = { ...cookie, accept: 'application/json' };
    expect((await s.search(undefined, wrong)).status).toBe(200);
    await s.setOptions({ strictAccept: true });
    expect((await s.search(undefined, wrong)).status).toBe(406);
    const right = { ...cookie, accept: 'application/vnd.gopro.jk.media.search+json; version=2.0.0' };
    expect((await s.search(undefined, right)).status).toBe(200);
    await s.setOptions({ acceptMismatchStatus: 415 });
    expect((await s.search(undefined, wrong)).status).toBe(415);
  });

  it('cdnUrlTtlSeconds: a link expires after an hour, or lasts as long as set', async () => {
    const s = await start();
    const url = async () => (await s.download('GOPR0004.JPG'))._embedded.files[0].url as string;
    const early = await url();
    await s.advanceClock(3_601_000);
    expect((await fetch(early)).status).toBe(403);
    await s.setOptions({ cdnUrlTtlSeconds: 86_400 });
    const late = await url();
    await s.advanceClock(3_601_000);
    const response = await fetch(late);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });

  it('maxPerPage: per_page clamped at 1000, or lower', async () => {
    const s = await start();
    expect((await s.search('per_page=3')).body._pages.per_page).toBe(3);
    await s.setOptions({ maxPerPage: 2 });
    const page = (await s.search('per_page=3')).body;
    expect(page._pages.per_page).toBe(2);
    expect(page._embedded.media).toHaveLength(2);
  });

  it('inclusiveEnd: the end date of captured_range is in, or out', async () => {
    const s = await start();
    const range = 'captured_range=2026-03-01T00:00:00.000Z,2026-03-02T00:00:00.000Z';
    expect((await s.search(range)).body._pages.total_items).toBe(2);
    await s.setOptions({ inclusiveEnd: false });
    expect((await s.search(range)).body._pages.total_items).toBe(1);
  });
});

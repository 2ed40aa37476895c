/**
 * Issue 19, BigGo: the §B8 code for an unknown client, every link a model carries served, and every option
 * both ways, over HTTP against a listening emulator (spec gopro-biggo.md part B).
 */
import { describe, expect, it } from 'vitest';
import { BIGGO_DEMO_CLIENT, biggoService } from '../../src/index.js';
import { type Json, serve } from '../support/http.js';

const basicOf = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const demoBasic = basicOf(BIGGO_DEMO_CLIENT.clientId, BIGGO_DEMO_CLIENT.clientSecret);

async function start() {
  const s = await serve(biggoService, { seed: 'demo' });
  const token = (authorization = demoBasic) =>
    s.json('/auth/v1/token', {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
  const bearer = (await token()).body.access_token as string;
  const api = (method: string, path: string, init: RequestInit = {}) =>
    s.json(`/api/v1/${path}`, {
      method,
      ...init,
      headers: { authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) },
    });
  const upload = (bytes: Uint8Array, headers: Record<string, string> = {}) => {
    const body = new FormData();
    body.set('video', new Blob([new Uint8Array(bytes)]), 'clip.mp4');
    return api('POST', 'video/', { body, headers });
  };
  const sendJson = (method: string, path: string, body: unknown) =>
    api(method, path, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { ...s, token, api, upload, sendJson };
}

/** Every absolute link into the emulator found anywhere in a JSON value. */
function linksIn(value: unknown, origin: string, found = new Set<string>()): Set<string> {
  if (typeof value === 'string' && value.startsWith(origin)) found.add(value);
  else if (Array.isArray(value)) for (const item of value) linksIn(item, origin, found);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) linksIn(item, origin, found);
  return found;
}

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 251);

describe('BigGo emulator against the spec (issue 19)', () => {
  it('§B8: an unknown client_id is bad credentials, 401 with code 1005 (a wrong secret too)', async () => {
    const s = await start();
    expect(await s.token(basicOf('nobody', 'x'))).toMatchObject({
      status: 401,
      body: { result: false, error: { code: 1005 } },
    });
    expect((await s.token(basicOf(BIGGO_DEMO_CLIENT.clientId, 'wrong'))).body.error.code).toBe(1005);
  });

  it('every link a video, its user and its products carry can be followed: images, pages, redirects, the mp4', async () => {
    const s = await start();
    const listing = (await s.api('GET', 'user/self/video/?p=1')).body;
    const withProducts = (listing.user_video.data as Json[]).find((v) => v.product_list.length > 0)!;
    // A private video's links are the owner's to follow too.
    await s.sendJson('PATCH', `video/${withProducts.video_id}`, { access: 1 });
    const got = (await s.api('GET', `video/${withProducts.video_id}`)).body;
    const links = linksIn([got, listing.user], s.url);
    for (const field of ['profileimg', 'url']) expect(links).toContain(got.video[0][field]);
    expect(links).toContain(got.video[0].meta.cover_image);
    expect(links).toContain(got.video[0].meta.thumbnails[0]);
    expect(links).toContain(got.user.personal_url);
    expect(links).toContain(got.video[0].product_list[0].purl);
    expect(links.size).toBeGreaterThanOrEqual(10);
    for (const link of links) {
      const response = await fetch(link);
      expect(response.status, link).toBe(200);
      const body = new Uint8Array(await response.arrayBuffer());
      if (link.endsWith('.jpg')) {
        expect(response.headers.get('content-type'), link).toBe('image/jpeg');
        expect([body[0], body[1], body.at(-2), body.at(-1)], link).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      } else if (link.endsWith('.mp4')) expect(response.headers.get('content-type')).toBe('video/mp4');
      else expect(response.headers.get('content-type'), link).toMatch(/^text\/html/);
    }
    expect((await fetch(`${s.url}/static/cover/unknown.jpg`)).status).toBe(404);
    expect((await fetch(`${s.url}/video/unknown`)).status).toBe(404);
  });
});

describe('BigGo options, each both ways', () => {
  it('unknownClientCode: 1005, or 1003 APP_KEY_NOT_EXIST', async () => {
    const s = await start();
    expect((await s.token(basicOf('nobody', 'x'))).body.error.code).toBe(1005);
    await s.setOptions({ unknownClientCode: 1003 });
    expect((await s.token(basicOf('nobody', 'x'))).body.error).toEqual({
      code: 1003,
      message: 'App key does not exist',
    });
  });

  it('tokenTtlSeconds: tokens last an hour, or as long as set', async () => {
    const s = await start();
    expect((await s.token()).body.expires_in).toBe(3600);
    await s.setOptions({ tokenTtlSeconds: 60 });
    const short = (await s.token()).body;
    expect(short.expires_in).toBe(60);
    await s.advanceClock(61_000);
    const expired = await s.json('/api/v1/video_auth/self', {
      method: 'POST',
      headers: { authorization: `Bearer ${short.access_token}` },
    });
    expect(expired.body.error.code).toBe(4);
  });

  it('processingMs and queuedStatus: queued (0, or 1) until processing completes (13)', async () => {
    const s = await start();
    const statusOf = async (id: string) =>
      (await s.api('GET', `video/${id}`)).body.video[0].status.process_status;
    const first = (await s.upload(bytes(500, 1))).body.video_id;
    expect(await statusOf(first)).toBe(0);
    await s.setOptions({ queuedStatus: 1 });
    expect(await statusOf(first)).toBe(1);
    await s.advanceClock(2000);
    expect(await statusOf(first)).toBe(13);
    await s.setOptions({ processingMs: 0 });
    expect(await statusOf((await s.upload(bytes(500, 2))).body.video_id)).toBe(13);
  });

  it('perPage: 20 a page, or fewer', async () => {
    const s = await start();
    expect((await s.api('GET', 'user/self/video/?p=1')).body.user_video.data).toHaveLength(20);
    await s.setOptions({ perPage: 7 });
    const page = (await s.api('GET', 'user/self/video/?p=1')).body.user_video;
    expect(page.data).toHaveLength(7);
    expect(page.size).toBe(45);
  });

  it('requireFullUpdate: a POST update without every field is 1010, or applies what it has', async () => {
    const s = await start();
    const id = (await s.upload(bytes(400, 3))).body.video_id;
    expect((await s.sendJson('POST', `video/${id}`, { title: 'only a title' })).body.error.code).toBe(1010);
    await s.setOptions({ requireFullUpdate: false });
    expect((await s.sendJson('POST', `video/${id}`, { title: 'only a title' })).body.result).toBe(true);
    expect((await s.api('GET', `video/${id}`)).body.video[0].title).toBe('only a title');
  });

  it('duplicateStatus and uploadErrorType: 409 with error_type 2, or 400 without it', async () => {
    const s = await start();
    const clip = bytes(600, 4);
    await s.upload(clip);
    const first = await s.upload(clip);
    expect(first.status).toBe(409);
    expect(first.body).toMatchObject({ result: false, error: { code: 1002 }, error_type: 2 });
    await s.setOptions({ duplicateStatus: 400, uploadErrorType: false });
    const second = await s.upload(clip);
    expect(second.status).toBe(400);
    expect(second.body.error.code).toBe(1002);
    expect(second.body.error_type).toBeUndefined();
  });

  it('transcodeErrorStatus: an untranscodable (empty) upload is 422, or 500, code 1001', async () => {
    const s = await start();
    expect(await s.upload(new Uint8Array(0))).toMatchObject({ status: 422, body: { error: { code: 1001 } } });
    await s.setOptions({ transcodeErrorStatus: 500 });
    expect(await s.upload(new Uint8Array(0))).toMatchObject({ status: 500, body: { error: { code: 1001 } } });
  });

  it('checkFileSize: File-Size is recorded only, or must match the bytes (1006)', async () => {
    const s = await start();
    expect((await s.upload(bytes(300, 5), { 'file-size': '999' })).body.result).toBe(true);
    await s.setOptions({ checkFileSize: true });
    expect((await s.upload(bytes(300, 6), { 'file-size': '999' })).body.error.code).toBe(1006);
    expect((await s.upload(bytes(300, 7), { 'file-size': '300' })).body.result).toBe(true);
  });

  it('maxProducts: ten products, or fewer (more is 1009)', async () => {
    const s = await start();
    const id = (await s.upload(bytes(350, 8))).body.video_id;
    const products = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ nindex: 'tw_shop', oid: String(i + 1) }));
    expect((await s.sendJson('PATCH', `video/${id}`, { product_list: products(10) })).body.result).toBe(true);
    expect((await s.sendJson('PATCH', `video/${id}`, { product_list: products(11) })).body.error.code).toBe(
      1009,
    );
    await s.setOptions({ maxProducts: 3 });
    expect((await s.sendJson('PATCH', `video/${id}`, { product_list: products(4) })).body.error.code).toBe(
      1009,
    );
  });
});

import { describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON read loosely in assertions
type Json = Record<string, any>;

import { BIGGO_DEMO_CLIENT, biggoService, createEmulator } from '../../src/index.js';

const HOST = 'http://api.biggo.test';
const basic = `Basic ${Buffer.from(`${BIGGO_DEMO_CLIENT.clientId}:${BIGGO_DEMO_CLIENT.clientSecret}`).toString('base64')}`;

async function setup() {
  const emulator = createEmulator(biggoService, { seed: 'demo' });
  const token = async (body = 'grant_type=client_credentials', authorization: string | null = basic) => {
    const response = await emulator.fetch(`${HOST}/auth/v1/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(authorization ? { authorization } : {}),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const bearer = (await token()).body.access_token as string;
  const api = async (method: string, path: string, init: RequestInit = {}) => {
    const response = await emulator.fetch(`${HOST}/api/v1/${path}`, {
      method,
      ...init,
      headers: { authorization: `Bearer ${bearer}`, ...(init.headers as Record<string, string>) },
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  return { emulator, token, api, bearer };
}

describe('BigGo emulator (spec B8)', () => {
  it('issues client-credentials tokens and refuses the rest with BigGo codes', async () => {
    const { token } = await setup();
    expect((await token()).body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: expect.stringMatching(/^eyJ/),
    });
    expect(await token('grant_type=refresh_token')).toMatchObject({
      status: 400,
      body: { result: false, error: { code: 1010 } },
    });
    expect((await token(undefined, null)).body.error.code).toBe(1001);
    const wrong = `Basic ${Buffer.from(`${BIGGO_DEMO_CLIENT.clientId}:nope`).toString('base64')}`;
    expect(await token(undefined, wrong)).toMatchObject({
      status: 401,
      body: { result: false, error: { code: 1005 } },
    });
  });

  it('needs a valid, unexpired Bearer on every API call (codes 2, 3, 4)', async () => {
    const { emulator, api } = await setup();
    const none = await emulator.fetch(`${HOST}/api/v1/video_auth/self`, { method: 'POST' });
    expect(await none.json()).toEqual({
      result: false,
      error: { code: 2, message: 'Authorization is required' },
    });
    expect(
      (await api('POST', 'video_auth/self', { headers: { authorization: 'Bearer eyJbogus' } })).body.error
        .code,
    ).toBe(3);
    emulator.control.clock.advance(3_600_001);
    expect(await api('POST', 'video_auth/self')).toMatchObject({ status: 401, body: { error: { code: 4 } } });
  });

  it('accepts the JS part name `file`, string access on PATCH, and records uploads newest first', async () => {
    const { api } = await setup();
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(3000).fill(7)], { type: 'video/mp4' }), 'clip.mp4');
    const uploaded = await api('POST', 'video', { body: form });
    expect(uploaded.body).toMatchObject({ result: true, video_id: expect.any(String) });
    const id = uploaded.body.video_id as string;
    expect(
      (
        await api('PATCH', `video/${id}`, {
          body: JSON.stringify({ access: 'unlisted' }),
          headers: { 'content-type': 'application/json' },
        })
      ).body,
    ).toEqual({ result: true });
    const got = (await api('GET', `video/${id}`)).body;
    expect(got.video[0]).toMatchObject({
      access: 2,
      limit: 2,
      status: { process_status: 0, processing: true },
    });
    const own = (await api('GET', 'user/self/video/?p=1')).body;
    expect(own.user_video.data[0].video_id).toBe(id);
    expect(own.user_video.size).toBe(46);
  });

  it("a full update needs title, description and access (1010); another user's video is 1003", async () => {
    const { api, emulator } = await setup();
    const own = (await api('GET', 'user/self/video')).body.user_video.data[0].video_id as string;
    const missing = await api('POST', `video/${own}`, {
      body: JSON.stringify({ title: 'x', description: null, access: null }),
      headers: { 'content-type': 'application/json' },
    });
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 1010 } } });
    const foreign = Object.values(
      (emulator.control.dump() as { state: { videos: Record<string, { userid: string; video_id: string }> } })
        .state.videos,
    ).find((v) => v.userid === 'u2000')!;
    expect((await api('DELETE', `video/${foreign.video_id}`)).body.error.code).toBe(1003);
  });
});

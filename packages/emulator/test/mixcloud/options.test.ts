/**
 * Every Mixcloud option, both ways: the default first, then the other setting, switched at run time through
 * `POST /__emulator/options` on a listening emulator.
 */
import { describe, expect, it } from 'vitest';
import { MIXCLOUD_DEMO_TOKEN, mixcloudService } from '../../src/index.js';
import { type Json, serve } from '../support/http.js';

const token = `access_token=${MIXCLOUD_DEMO_TOKEN}`;
type Server = Awaited<ReturnType<typeof start>>;

async function start() {
  return serve(mixcloudService, { seed: 'demo' });
}

function form(fields: Record<string, string>, files: Record<string, number> = { mp3: 2000 }): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const [name, size] of Object.entries(files)) body.append(name, new Blob([new Uint8Array(size)]), name);
  return body;
}
const upload = (s: Server, fields: Record<string, string>, files?: Record<string, number>) =>
  s.json(`/upload/?${token}`, { method: 'POST', body: form(fields, files) });
const path = (url: string) => url.slice(new URL(url).origin.length);
const keysOf = (list: Json) => (list.data as Json[]).map((item) => item.key as string);

describe('Mixcloud options, each both ways', () => {
  it('oauthErrorStatus: 400, or 401', async () => {
    const s = await start();
    expect((await s.json('/me/')).status).toBe(400);
    await s.setOptions({ oauthErrorStatus: 401 });
    expect((await s.json('/me/')).status).toBe(401);
  });

  it('maxLimit: clamps limit', async () => {
    const s = await start();
    expect((await s.json('/new/?limit=100')).body.data).toHaveLength(100);
    await s.setOptions({ maxLimit: 10 });
    expect((await s.json('/new/?limit=100')).body.data).toHaveLength(10);
  });

  it('meRedirects: /me/ is the user, or a 302 to it', async () => {
    const s = await start();
    expect((await s.json(`/me/?${token}`)).body.username).toBe('ferry');
    await s.setOptions({ meRedirects: true });
    const response = await s.call(`/me/?${token}`);
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`/ferry/?${token}`);
  });

  it('autoApprove: a code, or access_denied', async () => {
    const s = await start();
    const authorize = () =>
      s.call('/oauth/authorize?client_id=mf-demo-client&redirect_uri=http://localhost:8765/callback');
    expect((await authorize()).headers.get('location')).toMatch(/\?code=[0-9a-f]+$/);
    await s.setOptions({ autoApprove: false });
    expect((await authorize()).headers.get('location')).toMatch(/\?error=access_denied$/);
  });

  it('acceptUrlencodedEdit: a urlencoded edit is taken, or refused with the upload error', async () => {
    const s = await start();
    const editUrlencoded = () =>
      s.json(`/upload/ferry/ferry-session-1/edit/?${token}`, {
        method: 'POST',
        body: new URLSearchParams({ description: 'plain form' }),
      });
    expect((await editUrlencoded()).status).toBe(200);
    await s.setOptions({ acceptUrlencodedEdit: false });
    expect((await editUrlencoded()).body.error.type).toBe('UploadFormException');
  });

  it('acceptBearer: a Bearer token works, or counts as no token', async () => {
    const s = await start();
    const me = () => s.json('/me/', { headers: { authorization: `Bearer ${MIXCLOUD_DEMO_TOKEN}` } });
    expect((await me()).status).toBe(200);
    await s.setOptions({ acceptBearer: false });
    expect((await me()).body.error.message).toBe('An access_token is required to access this resource.');
  });

  it('mp3MaxSize and pictureMaxSize: the documented limits, or smaller ones', async () => {
    const s = await start();
    expect((await upload(s, { name: 'a' }, { mp3: 3000, picture: 3000 })).status).toBe(200);
    await s.setOptions({ mp3MaxSize: 2999 });
    expect((await upload(s, { name: 'b' }, { mp3: 3000 })).body.error.details.mp3).toBeDefined();
    await s.setOptions({ mp3MaxSize: null, pictureMaxSize: 2999 });
    expect(
      (await upload(s, { name: 'c' }, { mp3: 3000, picture: 3000 })).body.error.details.picture,
    ).toBeDefined();
  });

  it('minAudioSeconds: off, or a minimum length (audio at 128 kbit/s)', async () => {
    const s = await start();
    expect((await upload(s, { name: 'short' }, { mp3: 16_000 })).status).toBe(200);
    await s.setOptions({ minAudioSeconds: 900 });
    expect((await upload(s, { name: 'short 2' }, { mp3: 16_000 })).body.error.details.mp3[0]).toMatch(
      /900 seconds/,
    );
  });

  it('rateLimitPerMinute: off, or 403 RateLimitException with Retry-After', async () => {
    const s = await start();
    for (let i = 0; i < 5; i += 1) expect((await s.call('/bob/')).status).toBe(200);
    await s.setOptions({ rateLimitPerMinute: 2 });
    await s.call('/bob/');
    await s.call('/bob/');
    const limited = await s.json('/bob/');
    expect(limited.status).toBe(403);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error).toMatchObject({ type: 'RateLimitException', retry_after: expect.any(Number) });
  });

  it('uploadErrorStatus, uploadErrorType, uploadErrorDetails: the shape of validation errors', async () => {
    const s = await start();
    const bad = () => upload(s, { name: '' });
    const before = await bad();
    expect(before.status).toBe(400);
    expect(before.body.error).toEqual({
      type: 'UploadFormException',
      message: 'name: This field is required.',
      details: { name: ['This field is required.'] },
    });
    await s.setOptions({
      uploadErrorStatus: 422,
      uploadErrorType: 'ValidationException',
      uploadErrorDetails: false,
    });
    const after = await bad();
    expect(after.status).toBe(422);
    expect(after.body.error).toEqual({
      type: 'ValidationException',
      message: 'name: This field is required.',
    });
  });

  it('uploadMessage and editMessage', async () => {
    const s = await start();
    expect((await upload(s, { name: 'm1' })).body.result.message).toBe('Uploaded successfully');
    const edit = () =>
      s.json(`/upload/ferry/m1/edit/?${token}`, { method: 'POST', body: form({ description: 'x' }, {}) });
    expect((await edit()).body.result.message).toBe('Updated successfully');
    await s.setOptions({ uploadMessage: 'Your upload is being processed', editMessage: 'Saved' });
    expect((await upload(s, { name: 'm2' })).body.result.message).toBe('Your upload is being processed');
    expect((await edit()).body.result.message).toBe('Saved');
  });

  const actions = [
    ['unfollowMessage', 'DELETE', '/bob/follow/', 'Unfollowed bob'],
    ['favoriteMessage', 'POST', '/bob/bob-mix-1/favorite/', 'Favorited bob mix 1'],
    ['unfavoriteMessage', 'DELETE', '/bob/bob-mix-1/favorite/', 'Unfavorited bob mix 1'],
    ['repostMessage', 'POST', '/bob/bob-mix-1/repost/', 'Reposted bob mix 1'],
    ['unrepostMessage', 'DELETE', '/bob/bob-mix-1/repost/', 'Unreposted bob mix 1'],
    ['listenLaterMessage', 'POST', '/bob/bob-mix-1/listen-later/', 'Added to listen later: bob mix 1'],
    [
      'unlistenLaterMessage',
      'DELETE',
      '/bob/bob-mix-1/listen-later/',
      'Removed from listen later: bob mix 1',
    ],
  ] as const;
  it.each(actions)('%s: the guessed message, or yours', async (option, method, target, message) => {
    const s = await start();
    const act = async () => (await s.json(`${target}?${token}`, { method })).body.result;
    expect(await act()).toEqual({ success: true, message });
    await s.setOptions({ [option]: 'Done: {target}!' });
    expect((await act()).message).toBe(`Done: ${message.includes('bob mix') ? 'bob mix 1' : 'bob'}!`);
  });

  it('followSelfStatus: following yourself is 400, or 404', async () => {
    const s = await start();
    const self = () => s.json(`/ferry/follow/?${token}`, { method: 'POST' });
    expect(await self()).toMatchObject({
      status: 400,
      body: { error: { type: 'InvalidParameterException' } },
    });
    await s.setOptions({ followSelfStatus: 404 });
    expect(await self()).toMatchObject({
      status: 404,
      body: { error: { type: 'ResourceNotFoundException' } },
    });
  });

  it('previousOnNewestPage: the newest page links previous, or not (older pages always do)', async () => {
    const s = await start();
    expect((await s.json('/new/?limit=5')).body.paging.previous).toBeDefined();
    await s.setOptions({ previousOnNewestPage: false });
    const newest = (await s.json('/new/?limit=5')).body;
    expect(newest.paging.previous).toBeUndefined();
    expect((await s.json(path(newest.paging.next))).body.paging.previous).toBeDefined();
  });

  it('strictDatePaging: until excludes its boundary, or includes it (the last item repeats)', async () => {
    const s = await start();
    const first = (await s.json('/new/?limit=3')).body;
    const next = async () => keysOf((await s.json(path(first.paging.next))).body);
    expect(await next()).not.toContain(keysOf(first)[2]);
    await s.setOptions({ strictDatePaging: false });
    expect((await next())[0]).toBe(keysOf(first)[2]);
  });

  it('tagConnections: popular and latest, fewer, or none', async () => {
    const s = await start();
    const connections = async () => (await s.json('/discover/jazz/?metadata=1')).body.metadata?.connections;
    expect(await connections()).toEqual({
      popular: `${s.url}/discover/jazz/popular/`,
      latest: `${s.url}/discover/jazz/latest/`,
    });
    await s.setOptions({ tagConnections: 'latest' });
    expect(Object.keys(await connections())).toEqual(['latest']);
    await s.setOptions({ tagConnections: '' });
    expect(await connections()).toBeUndefined();
  });

  it('tagKeyPrefix: /discover/<tag>/, or /genres/<tag>/', async () => {
    const s = await start();
    const tagKeys = async () => (await s.json('/ferry/ferry-session-1/')).body.tags.map((t: Json) => t.key);
    expect((await tagKeys()).every((k: string) => k.startsWith('/discover/'))).toBe(true);
    await s.setOptions({ tagKeyPrefix: 'genres' });
    expect((await tagKeys()).every((k: string) => k.startsWith('/genres/'))).toBe(true);
    expect((await s.json('/discover/jazz/')).body.key).toBe('/genres/jazz/');
  });

  it('listenLaterConnection: no listen-later connection, or one that lists them', async () => {
    const s = await start();
    await s.json(`/bob/bob-mix-1/listen-later/?${token}`, { method: 'POST' });
    const connections = async () => (await s.json('/ferry/?metadata=1')).body.metadata.connections;
    expect((await connections())['listen-later']).toBeUndefined();
    expect((await s.json('/ferry/listen-later/')).status).toBe(404);
    await s.setOptions({ listenLaterConnection: true });
    expect((await connections())['listen-later']).toBe(`${s.url}/ferry/listen-later/`);
    expect(keysOf((await s.json('/ferry/listen-later/')).body)).toEqual(['/bob/bob-mix-1/']);
  });
});

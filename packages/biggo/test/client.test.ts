import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPath, InvalidInputError, ManualClock } from '@mediaferry/core';
import { BIGGO_DEMO_CLIENT, biggoService, createEmulator } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import { Access, authClientCredentials, BigGoAPIError, BigGoClient, ProcessStatus } from '../src/index.js';

const HOST = 'http://api.biggo.test';

function setup(options: Record<string, unknown> = {}, credentials = BIGGO_DEMO_CLIENT) {
  const emulator = createEmulator(biggoService, { seed: 'demo', options });
  const seen: Request[] = [];
  const clock = new ManualClock(Date.now());
  const client = new BigGoClient({
    ...credentials,
    hostUrl: HOST,
    region: 'tw',
    clock,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      seen.push(request.clone());
      return emulator.fetch(request);
    },
  });
  const calls = () => emulator.control.journal.entries().map((e) => `${e.endpoint}:${e.status}`);
  return { emulator, client, clock, seen, calls };
}

const video = (seed: number) => new Uint8Array(5000).map((_, i) => (i * seed) % 251);

describe('BigGoClient (biggo_api parity, spec B6)', () => {
  it('has_permission with a client-credentials token (Basic on the token call, Bearer after, region header)', async () => {
    const { client, seen } = setup();
    const permission = await client.video.hasPermission();
    expect(permission).toMatchObject({ result: true, userid: 'u1000', region: 'tw' });
    expect(seen[0]!.url).toBe(`${HOST}/auth/v1/token`);
    expect(seen[0]!.headers.get('authorization')).toMatch(/^Basic /);
    expect(seen[0]!.headers.get('region')).toBeNull();
    expect(await seen[0]!.text()).toBe('grant_type=client_credentials');
    expect(seen[1]!.headers.get('authorization')).toMatch(/^Bearer eyJ/);
    expect(seen[1]!.headers.get('region')).toBe('tw');
  });

  it('upload → get → delete → get raises code 1004; a missing file fails before any request', async () => {
    const { client, calls, seen } = setup();
    const dir = await mkdtemp(join(tmpdir(), 'mf-biggo-'));
    await writeFile(join(dir, 'test_video1.mp4'), video(3));
    const id = await client.video.upload(fromPath(join(dir, 'test_video1.mp4')));
    const upload = seen.find((r) => r.url.endsWith('/api/v1/video/'))!;
    expect(upload.headers.get('file-size')).toBe('5000');
    expect(await upload.text()).toContain('name="video"; filename="test_video1.mp4"');
    expect((await client.video.get(id)).video[0]!.video_id).toBe(id);
    expect(await client.video.delete(id)).toBe(true);
    const gone = await client.video.get(id).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(BigGoAPIError);
    expect((gone as BigGoAPIError).errorCode).toBe(1004);
    const before = calls().length;
    await expect(client.video.upload(fromPath(join(dir, 'NotExistVideo.mp4')))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(calls().length).toBe(before);
  });

  it('a duplicate upload is code 1002', async () => {
    const { client } = setup();
    await client.video.upload(video(5), { filename: 'a.mp4' });
    const error = await client.video.upload(video(5), { filename: 'b.mp4' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ errorCode: 1002, status: 409 });
  });

  it('update and partialUpdate change access, title and description', async () => {
    const { client, seen } = setup();
    const id = await client.video.upload(video(7));
    await client.video.update({
      videoId: id,
      access: Access.PUBLIC,
      title: 'Harbour at dawn',
      description: 'calm',
    });
    let got = (await client.video.get(id)).video[0]!;
    expect(got).toMatchObject({
      access: Access.PUBLIC,
      limit: Access.PUBLIC,
      description: 'calm',
      title: 'Harbour at dawn',
    });
    await client.video.partialUpdate({ videoId: id, access: 'unlisted' });
    const patch = seen.find((r) => r.method === 'PATCH')!;
    expect(await patch.json()).toEqual({ access: 2 });
    got = (await client.video.get(id)).video[0]!;
    expect(got.access).toBe(Access.UNLISTED);
    await expect(client.video.update({ videoId: id, title: 'x' })).rejects.toThrow(
      /required for a full update/,
    );
    await expect(
      client.video.partialUpdate({
        videoId: id,
        productList: Array.from({ length: 11 }, (_, i) => ({ nindex: 'n', oid: String(i) })),
      }),
    ).rejects.toThrow(/at most 10/);
  });

  it('lists own and user videos 20 per page, newest first, with size as the total (45 seeded: three pages)', async () => {
    const { client, calls } = setup({ processingMs: 0 });
    const page1 = await client.user.getOwnVideos(1);
    expect(page1.user_video.data).toHaveLength(20);
    expect(page1.user_video.size).toBe(45);
    expect((await client.user.getOwnVideos(3)).user_video.data).toHaveLength(5);
    expect((await client.user.getOwnVideos(4)).user_video.data).toEqual([]);
    const times = page1.user_video.data.map((v) => v.timestamp);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const before = calls().filter((c) => c.startsWith('user_videos')).length;
    const all = await client.user.videos().toArray({ limit: 100 });
    expect(new Set(all.map((v) => v.video_id)).size).toBe(45);
    expect(calls().filter((c) => c.startsWith('user_videos')).length - before).toBe(3);
    const fresh = await client.video.upload(video(200));
    expect((await client.user.getOwnVideos(1)).user_video.data[0]!.video_id).toBe(fresh);
    const { userid } = await client.video.hasPermission();
    expect((await client.user.getUserVideos(userid)).user_video.size).toBe(46);
    // The other seeded user's public videos are visible, but they are not ours to change.
    const other = (await client.user.getUserVideos('u2000')).user_video.data[0]!;
    expect(other.is_myvideo).toBe(false);
    await expect(client.video.delete(other.video_id)).rejects.toMatchObject({ errorCode: 1003, status: 403 });
    await expect(client.user.getUserVideos('nobody')).rejects.toMatchObject({ errorCode: 1007 });
  });

  it('every other /api/v1/ path through request(), and a 4xx without an error body is still a typed error', async () => {
    const { client, emulator } = setup();
    const own = await client.request<{ user_video: { size: number } }>('GET', 'user/self/video/', {
      query: { p: 2 },
    });
    expect(own.user_video.size).toBe(45);
    emulator.control.faults.add({
      on: 'has_permission',
      status: 418,
      headers: { 'content-type': 'text/plain' },
    });
    const error = await client.video.hasPermission().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigGoAPIError);
    expect(error).toMatchObject({ status: 418 });
  });

  it('upload reports progress and a client without credentials must authorize first', async () => {
    const { client } = setup();
    const progress: number[] = [];
    await client.video.upload(new Uint8Array(300_000).fill(1), {
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(progress.at(-1)).toBeGreaterThanOrEqual(300_000);
    const emulator = createEmulator(biggoService, { seed: 'demo' });
    const later = new BigGoClient({ hostUrl: HOST, fetch: emulator.fetch });
    expect(() => later.video).toThrow(/authorize/);
    const token = await later.authorize({ ...BIGGO_DEMO_CLIENT });
    expect(token.token).toMatch(/^eyJ/);
    expect((await later.video.hasPermission()).userid).toBe('u1000');
    const direct = await authClientCredentials(`${HOST}/auth/v1/token`, BIGGO_DEMO_CLIENT, {
      fetch: emulator.fetch,
    });
    expect(direct.token).toMatch(/^eyJ/);
  });

  it('publish uploads and sets up in one go; waitUntilProcessed polls on the virtual clock', async () => {
    const { client, emulator, clock } = setup({ processingMs: 12_000 });
    const id = await client.video.publish(video(9), { title: 'Clip', description: 'd', access: 'public' });
    const pending = (await client.video.get(id)).video[0]!;
    expect(pending.status.process_status).toBe(ProcessStatus.IN_QUEUE);
    expect(pending.meta?.download).toEqual([]);
    // The client sleeps in virtual time; the emulator's clock is moved along with it.
    const original = clock.sleep.bind(clock);
    clock.sleep = async (ms: number, signal?: AbortSignal) => {
      emulator.control.clock.advance(ms);
      return original(ms, signal);
    };
    const done = await client.video.waitUntilProcessed(id, { intervalMs: 5000 });
    expect(done.status.process_status).toBe(ProcessStatus.COMPLETE);
    expect(done.meta?.download).toMatchObject({ mp4: expect.stringContaining(`/media/${id}.mp4`) });
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
  });

  it('publish deletes the upload when the setup step fails', async () => {
    const { client, emulator } = setup();
    emulator.control.faults.add({ on: 'update', status: 400, code: '1006', message: 'bad' });
    await expect(
      client.video.publish(video(11), { title: 'Clip', description: 'd', access: 'public' }),
    ).rejects.toMatchObject({ errorCode: 1006 });
    expect((await client.user.videos().toArray({ limit: 100 })).map((v) => v.title)).not.toContain('Clip');
    expect(emulator.control.journal.entries().map((e) => e.endpoint)).toContain('delete');
  });

  it('renews an expired token once for 10 concurrent calls (single-flight) and replays with the new header', async () => {
    const { client, emulator, calls } = setup();
    await client.video.hasPermission();
    emulator.control.clock.advance(3_601_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => client.video.hasPermission()));
    expect(results.every((r) => r.result)).toBe(true);
    expect(calls().filter((c) => c.startsWith('token'))).toEqual(['token:200', 'token:200']);
    expect(calls().filter((c) => c === 'has_permission:401')).toHaveLength(10);
  });

  it('bad credentials: a typed error with the code, and the secret never in it', async () => {
    const { client } = setup({}, { clientId: BIGGO_DEMO_CLIENT.clientId, clientSecret: 'not-the-secret-42' });
    const error = await client.video.hasPermission().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, errorCode: 1005 });
    expect(String(error) + JSON.stringify(error)).not.toContain('not-the-secret-42');
    expect(() => new BigGoClient({ clientId: 'x', hostUrl: HOST })).toThrow(
      /Missing parameters for authorization/,
    );
  });
});

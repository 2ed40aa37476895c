/**
 * `@mediaferry/biggo/biggo-api`: biggo_api's async surface on the new client, over real HTTP against the
 * BigGo emulator. The scenarios are biggo_api's own tests (spec B6: `tests/test_async_video.py`,
 * `tests/test_async_user.py`), pointed at the emulator, plus the rows of docs/compat.md they do not cover.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError, ManualClock, type Middleware } from '@mediaferry/core';
import { BIGGO_DEMO_CLIENT, biggoService, createEmulator } from '@mediaferry/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Access,
  APIClient,
  authClientCredentials,
  BaseInstanceClient,
  BigGoAPIError,
  type BigGoVideo,
  ClientCredentials,
  ClientResponseError,
  FileNotFoundError,
  OAuth2Session,
  ProcessStatus,
  UserClient,
  VideoClient,
  VideoParams,
} from '../../src/compat/biggo-api/index.js';
import { BigGoError } from '../../src/index.js';
import { failure, videoBytes } from '../support.js';

const VIDEO_PER_PAGE = 20;
const emulator = createEmulator(biggoService, { seed: 'demo', options: { processingMs: 12_000 } });
let host = '';
let dir = '';
const credentials = new ClientCredentials(BIGGO_DEMO_CLIENT.clientId, BIGGO_DEMO_CLIENT.clientSecret);
const requests: string[] = [];
const record: Middleware = async (request, next) => {
  requests.push(`${request.method} ${new URL(request.url).pathname}`);
  return next(request);
};

beforeAll(async () => {
  host = (await emulator.listen()).url;
  dir = await mkdtemp(join(tmpdir(), 'mf-biggo-api-'));
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.control.reset();
  await emulator.control.seed('demo');
  requests.length = 0;
});

/** What biggo_api's tests do in asyncSetUp: `APIClient(host_url=TEST_HOST, verify_ssl=False)`, authorize. */
async function authorized(region: string | null = null): Promise<APIClient> {
  const api = new APIClient(host, region, false, { middleware: [record], clock: new ManualClock() });
  await api.authorize(credentials);
  return api;
}

let sample = 0;
async function sampleVideo(): Promise<string> {
  sample += 1;
  const path = join(dir, `test_video${sample}.mp4`);
  await writeFile(path, videoBytes(sample + 40, 4000));
  return path;
}

describe('VideoClient (test_async_video.py)', () => {
  it('has_permission', async () => {
    const api = await authorized('tw');
    const permission = await api.video!.hasPermission();
    expect(permission).toEqual({ result: true, atUserid: 'ferrystudio', region: 'tw', userid: 'u1000' });
    await api.close();
  });

  it('upload of a file that does not exist raises FileNotFoundError before any request', async () => {
    const api = await authorized();
    const before = requests.length;
    const error = await failure(api.video!.upload(join(dir, 'NotExistVideo.mp4')));
    expect(error).toBeInstanceOf(FileNotFoundError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(requests.length).toBe(before);
    await api.close();
  });

  it('upload → get → delete → get raises BigGoAPIError 1004', async () => {
    const api = await authorized();
    const uploaded = await api.video!.upload(await sampleVideo());
    expect(uploaded.result).toBe(true);
    expect(uploaded.videoId).toMatch(/\S/);
    const got = await api.video!.get(uploaded.videoId);
    expect(got.result).toBe(true);
    expect(got.size).toBe(1);
    expect(got.video[0]!.videoId).toBe(uploaded.videoId);
    expect(got.user.userid).toBe('u1000');
    expect(await api.video!.delete(uploaded.videoId)).toEqual({ result: true });
    const error = await failure(api.video!.get(uploaded.videoId));
    expect(error).toBeInstanceOf(BigGoAPIError);
    expect((error as BigGoAPIError).response).toEqual({
      result: false,
      error: { code: 1004, message: 'The video does not exist.' },
    });
    expect((error as BigGoAPIError).response.error.code).toBe(1004);
    await api.close();
  });

  it('a duplicate upload raises BigGoAPIError 1002', async () => {
    const api = await authorized();
    const path = await sampleVideo();
    const first = await api.video!.upload(path);
    const error = await failure(api.video!.upload(path));
    expect(error).toBeInstanceOf(BigGoAPIError);
    expect((error as BigGoAPIError).response.error.code).toBe(1002);
    await api.video!.delete(first.videoId);
    await api.close();
  });

  it('update with VideoParams(video_id, access, description, title)', async () => {
    const api = await authorized();
    const { videoId } = await api.video!.upload(await sampleVideo());
    const params = new VideoParams({
      videoId,
      access: Access.PUBLIC,
      description: 'DESCRIPTION',
      title: 'TITLE',
    });
    expect(await api.video!.update(params)).toEqual({ result: true });
    const video = (await api.video!.get(videoId)).video[0]!;
    expect(video).toMatchObject({
      videoId,
      description: 'DESCRIPTION',
      access: Access.PUBLIC,
      title: 'TITLE',
    });
    await expect(api.video!.update({ videoId, title: 'only the title' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await api.video!.delete(videoId);
    await api.close();
  });

  it('partial_update, then partial_update of access alone', async () => {
    const api = await authorized();
    const { videoId } = await api.video!.upload(await sampleVideo());
    await api.video!.partialUpdate(
      new VideoParams({ videoId, access: Access.PUBLIC, description: 'DESCRIPTION', title: 'TITLE' }),
    );
    expect(await api.video!.partialUpdate(new VideoParams({ videoId, access: Access.UNLISTED }))).toEqual({
      result: true,
    });
    const video = (await api.video!.get(videoId)).video[0]!;
    expect(video.access).toBe(Access.UNLISTED);
    expect(video.title).toBe('TITLE');
    await api.video!.partialUpdate({ videoId, productList: [{ nindex: 'tw_pmall_x', oid: '42' }] });
    const [product] = (await api.video!.get(videoId)).video[0]!.productList!;
    expect(product).toMatchObject({
      title: 'Product 42',
      currency: 'TWD',
      galleryCount: 1,
      isAd: false,
      originalImage: expect.stringContaining('/static/product/42-orig.jpg'),
      sellerCredit: 5,
      type: 'product',
    });
    await api.video!.delete(videoId);
    await api.close();
  });
});

/** test_async_user.py's loop: pages from 1 until `size <= 20 * page`, every product a BigGoVideoProductBase. */
async function collectAll(list: (page: number) => ReturnType<UserClient['getOwnVideos']>): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const { userVideo } = await list(page);
    for (const video of userVideo.data) {
      ids.push(video.videoId);
      for (const product of video.productList ?? [])
        expect(product).toEqual(
          expect.objectContaining({ image: expect.any(String), price: expect.any(Number) }),
        );
    }
    if (userVideo.size <= VIDEO_PER_PAGE * page) {
      expect(new Set(ids).size).toBe(userVideo.size);
      return ids;
    }
  }
}

/** test_async_user.py's second test: poll `videos[0]` every 5 s (virtual here) until processed. */
async function waitForNewest(list: () => ReturnType<UserClient['getOwnVideos']>): Promise<BigGoVideo> {
  for (;;) {
    const newest = (await list()).userVideo.data[0]!;
    if (newest.status.processStatus === ProcessStatus.COMPLETE) return newest;
    expect(newest.status.processStatus).toBe(ProcessStatus.INQUEUE);
    expect(newest.meta?.download).toEqual([]);
    emulator.control.clock.advance(5_000);
  }
}

describe('UserClient (test_async_user.py)', () => {
  it('get_own_videos over every page; a page past the end is empty with the same size', async () => {
    const api = await authorized();
    const ids = await collectAll((page) => api.user!.getOwnVideos(page));
    expect(ids).toHaveLength(45);
    const past = await api.user!.getOwnVideos(4);
    expect(past).toEqual({ result: true, userVideo: { data: [], size: 45 } });
    await expect(api.user!.getOwnVideos(0)).rejects.toBeInstanceOf(InvalidInputError);
    await api.close();
  });

  it('get_own_videos after an upload: newest first, processed in (virtual) time, then listed', async () => {
    const api = await authorized();
    const { videoId } = await api.video!.upload(await sampleVideo());
    const newest = await waitForNewest(() => api.user!.getOwnVideos());
    expect(newest.videoId).toBe(videoId);
    expect(newest.meta?.download).toEqual({ mp4: `${host}/media/${videoId}.mp4` });
    expect(newest).toMatchObject({ profileImage: `${host}/static/profile/u1000.jpg`, isVerifyEcomm: false });
    expect(typeof newest.timestamp).toBe('number');
    expect(await collectAll((page) => api.user!.getOwnVideos(page))).toContain(videoId);
    await api.video!.delete(videoId);
    await api.close();
  });

  it('get_user_videos of has_permission().userid, before and after an upload; an unknown user is 1007', async () => {
    const api = await authorized();
    const { userid } = await api.video!.hasPermission();
    expect(await collectAll((page) => api.user!.getUserVideos(userid, page))).toHaveLength(45);
    const { videoId } = await api.video!.upload(await sampleVideo());
    expect((await waitForNewest(() => api.user!.getUserVideos(userid))).videoId).toBe(videoId);
    const unknown = await failure(api.user!.getUserVideos('nobody'));
    expect(unknown).toBeInstanceOf(BigGoAPIError);
    expect((unknown as BigGoAPIError).response.error.code).toBe(1007);
    await api.close();
  });
});

describe('APIClient, authorization and sessions', () => {
  it('user and video are null until authorize; params say what the client holds; close ends it', async () => {
    const api = new APIClient({ hostUrl: host, region: 'tw' });
    expect(api.user).toBeNull();
    expect(api.video).toBeNull();
    expect(api.params).toEqual({ oauth2Session: null, hostUrl: host, region: 'tw', verifySsl: true });
    await expect(api.authorize(null)).rejects.toThrow(/Missing parameters for authorization/);
    await api.authorize(credentials);
    expect(api.params.oauth2Session).toBeInstanceOf(OAuth2Session);
    expect(api.params.oauth2Session!.authorized).toBe(true);
    expect(api.user).toBeInstanceOf(UserClient);
    expect(api.video).toBeInstanceOf(BaseInstanceClient);
    await api.close();
    await expect(api.video!.hasPermission()).rejects.toMatchObject({ name: 'AbortError' });
    expect(new APIClient().params.hostUrl).toBe('https://api.biggo.com');
  });

  it('bad credentials: BigGoAPIError with the token endpoint code, the secret nowhere in it', async () => {
    const api = new APIClient(host);
    const error = await failure(
      api.authorize(new ClientCredentials(credentials.clientId, 'wrong-secret-77')),
    );
    expect(error).toBeInstanceOf(BigGoAPIError);
    expect((error as BigGoAPIError).response.error.code).toBe(1005);
    expect(String(error) + JSON.stringify(error)).not.toContain('wrong-secret-77');
    expect(JSON.stringify(credentials)).not.toContain(BIGGO_DEMO_CLIENT.clientSecret);
    const [clientId, clientSecret] = credentials;
    expect({ clientId, clientSecret }).toEqual(BIGGO_DEMO_CLIENT);
  });

  it('auth_client_credentials: a session the instance clients share; renewals go to refresh_url', async () => {
    const session = await authClientCredentials(
      `${host}/auth/v1/token`,
      credentials,
      true,
      `${host}/auth/v1/token/`,
      {
        middleware: [record],
      },
    );
    expect(session.authorized).toBe(true);
    expect(session.token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const videos = new VideoClient(session, host, true, 'tw', { middleware: [record] });
    const users = new UserClient(session, host, true, null, { middleware: [record] });
    await videos.hasPermission();
    await users.getOwnVideos();
    expect(requests.filter((r) => r.includes('/auth/'))).toEqual(['POST /auth/v1/token']);
    emulator.control.clock.advance(3_601_000);
    expect((await users.getOwnVideos()).userVideo.size).toBe(45);
    expect((await videos.hasPermission()).region).toBe('tw');
    expect(requests.filter((r) => r.includes('/auth/'))).toEqual([
      'POST /auth/v1/token',
      'POST /auth/v1/token/',
    ]);
    await Promise.all([videos.close(), users.close(), session.close()]);
    const forged = Object.create(OAuth2Session.prototype) as OAuth2Session;
    expect(() => new VideoClient(forged, host, true)).toThrow(/Invalid oauth2_session/);
  });
});

describe('BaseInstanceClient.request', () => {
  it('any /api/v1/ path: the answer as a dict with the wire keys', async () => {
    const api = await authorized();
    const answer = await api.user!.request('GET', 'user/self/video/', {}, { params: { p: 2 } });
    expect(answer).toMatchObject({ result: true, user_video: { size: 45 } });
    const permission = await api.video!.request('post', '/video_auth/self', { region: 'jp' });
    expect(permission).toMatchObject({ region: 'jp' });
    await expect(api.video!.request('FETCH', 'x')).rejects.toBeInstanceOf(InvalidInputError);
    const { videoId } = await api.video!.upload(await sampleVideo());
    expect(await api.video!.request('PATCH', `video/${videoId}`, {}, { json: { access: 2 } })).toEqual({
      result: true,
    });
    const text = '{"access": 0, "title": "sent as text"}';
    await api.video!.request(
      'PATCH',
      `video/${videoId}`,
      { 'content-type': 'application/json' },
      { data: text },
    );
    expect((await api.video!.get(videoId)).video[0]).toMatchObject({
      access: Access.PUBLIC,
      title: 'sent as text',
    });
    await api.close();
  });

  it('raises BigGoAPIError for a 4xx error body, ClientResponseError for a 5xx and for a 2xx with result false', async () => {
    const api = new APIClient(host, null, true, { maxRetries: 0 });
    await api.authorize(credentials);
    const missing = await failure(api.video!.request('GET', 'video/nope'));
    expect(missing).toBeInstanceOf(BigGoAPIError);
    expect(missing).toMatchObject({ status: 404, errorCode: 1004 });
    emulator.control.faults.add({ on: 'has_permission', status: 503 });
    const busy = await failure(api.video!.hasPermission());
    expect(busy).toBeInstanceOf(ClientResponseError);
    expect(busy).not.toBeInstanceOf(BigGoAPIError);
    expect(busy).toBeInstanceOf(BigGoError);
    expect(busy).toMatchObject({ status: 503 });
    const wrongMethod = await failure(api.video!.request('GET', 'video_auth/self'));
    expect(wrongMethod).toBeInstanceOf(BigGoAPIError);
    expect((wrongMethod as BigGoAPIError).response.error.code).toBe(1);
    const falsy = new APIClient(host, null, true, {
      middleware: [
        async (request, next) =>
          request.url.includes('/video_auth/') ? Response.json({ result: false }) : next(request),
      ],
    });
    await falsy.authorize(credentials);
    const error = await failure(falsy.video!.hasPermission());
    expect(error).toBeInstanceOf(ClientResponseError);
    expect((error as ClientResponseError).message).toContain('status is 200 but result is False');
    await falsy.close();
    await api.close();
  });
});

describe('models', () => {
  it('VideoParams checks at construction, like pydantic; thumbnail-ts is its alias', () => {
    expect(() => new VideoParams({ videoId: '' })).toThrow(InvalidInputError);
    expect(
      () =>
        new VideoParams({
          videoId: 'v',
          productList: Array.from({ length: 11 }, (_, i) => ({ nindex: 'n', oid: String(i) })),
        }),
    ).toThrow(/at most 10/);
    const params = new VideoParams({ videoId: 'v', 'thumbnail-ts': 7, access: 'unlisted' });
    expect(params).toMatchObject({ videoId: 'v', thumbnailTime: 7, access: Access.UNLISTED, title: null });
    expect(Access).toEqual({ PUBLIC: 0, PRIVATE: 1, UNLISTED: 2 });
    expect(ProcessStatus).toEqual({ INQUEUE: 0, COMPLETE: 13 });
  });
});

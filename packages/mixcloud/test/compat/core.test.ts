/**
 * `@mediaferry/mixcloud/aiomixcloud`'s `Mixcloud` against the Mixcloud emulator: the seed's methods, argument
 * shapes, return shapes and error behaviour (spec mixcloud.md §1.2–§1.5).
 */
import { inspect } from 'node:util';
import { InvalidInputError, ManualClock, RateLimitError } from '@mediaferry/core';
import { createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import {
  AccessDict,
  type AccessList,
  Mixcloud,
  MixcloudError,
  type MixcloudOptions,
  Resource,
  ResourceList,
} from '../../src/compat/aiomixcloud/index.js';
import { MixcloudClient } from '../../src/index.js';

const ROOT = 'http://api.mixcloud.test';

function setup(options: MixcloudOptions = {}, emulatorOptions: Record<string, unknown> = {}) {
  const emulator = createEmulator(mixcloudService, { seed: 'demo', options: emulatorOptions });
  const seen: string[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(`${request.method} ${request.url}`);
    return emulator.fetch(request);
  };
  const client = new Mixcloud(ROOT, {
    mixcloudRoot: ROOT,
    oembedRoot: `${ROOT}/oembed`,
    accessToken: MIXCLOUD_DEMO_TOKEN,
    fetch,
    clock: new ManualClock(),
    ...options,
  });
  return { emulator, client, seen };
}

const keys = (list: Iterable<unknown>) => [...list].map((item) => (item as Resource).key);

describe('Mixcloud.get', () => {
  it('returns a full Resource with attribute access and connection methods, always asking for metadata=1', async () => {
    const { client, seen } = setup();
    const bob = await client.get('bob');
    expect(bob).toBeInstanceOf(Resource);
    expect(bob.type).toBe('user');
    expect(bob.key).toBe('/bob/');
    expect(bob.name).toBe('Bob');
    expect(bob.item('username')).toBe('bob');
    expect(bob.created_time).toBeInstanceOf(Date);
    expect(typeof bob.followers).toBe('function');
    expect(seen[0]).toBe(`GET ${ROOT}/bob/?metadata=1&access_token=${MIXCLOUD_DEMO_TOKEN}`);
    expect(String(bob)).toBe("<Resource: User '/bob/'>");
    expect(inspect(bob)).toBe("<Resource: User '/bob/'>");
  });

  it('a list is a ResourceList: items by index or key, iteration, length, next()/previous()', async () => {
    const { client } = setup();
    const chris = (await client.get('chris')) as Resource;
    const favorites = (await (chris.favorites as (o: object) => Promise<unknown>)({
      limit: 3,
    })) as ResourceList;
    expect(favorites).toBeInstanceOf(ResourceList);
    expect(favorites.name).toBe("Chris's favorites");
    expect(String(favorites)).toBe(`<ResourceList "Chris's favorites">`);
    expect(favorites.length).toBe(3);
    const first = favorites[0] as Resource;
    expect(first.type).toBe('cloudcast');
    expect((favorites[-1] as Resource).key).toBe(keys(favorites).at(-1));
    expect((favorites[String(first.key).slice(1, -1)] as Resource).key).toBe(first.key);
    expect(favorites['no/such']).toBeUndefined();
    expect(() => favorites.item('no/such')).toThrow(InvalidInputError);
    expect(() => favorites.item(7)).toThrow(InvalidInputError);
    const next = (await favorites.next()) as ResourceList;
    expect(next.length).toBeGreaterThan(0);
    expect(keys(next).some((k) => keys(favorites).includes(k))).toBe(false);
    const back = (await next.previous()) as ResourceList;
    expect(keys(back)).toEqual(keys(favorites));
    let all = 0;
    for await (const _ of favorites.all()) all += 1;
    expect(all).toBeGreaterThanOrEqual(favorites.length + next.length);
  });

  it('list items are not full until load(), which fetches once (force fetches again) and makes connections', async () => {
    const { client, seen } = setup();
    const list = (await client.popular({ limit: 2 })) as ResourceList;
    const item = list[0] as Resource;
    expect(item.full).toBe(false);
    expect(item.description).toBeUndefined();
    expect(item.comments).toBeUndefined();
    expect(await item.load()).toBe(item);
    expect(item.full).toBe(true);
    expect(typeof item.description).toBe('string');
    expect(typeof item.comments).toBe('function');
    const count = seen.length;
    await item.load();
    expect(seen.length).toBe(count);
    await item.load({ force: true });
    expect(seen.length).toBe(count + 1);
  });

  it('merges params in order, ends with metadata=1 and the token, and fetches absolute URLs as given', async () => {
    const { client, seen } = setup();
    await client.get('bob', { params: { foo: 'bar', height: 3, metadata: 0 } });
    expect(new URL(seen[0]!.split(' ')[1]!).search).toBe(
      `?foo=bar&height=3&metadata=1&access_token=${MIXCLOUD_DEMO_TOKEN}`,
    );
    await client.get(`${ROOT}/bob/cloudcasts/?metadata=1`, { relative: false });
    expect(new URL(seen[1]!.split(' ')[1]!).searchParams.getAll('metadata')).toEqual(['1']);
    await expect(client.get('bob/', { relative: false })).rejects.toBeInstanceOf(InvalidInputError);
    expect(await client.get('')).toBeInstanceOf(AccessDict);
  });

  it('errors come back as dicts by default (the seed), and throw MixcloudError with raiseExceptions', async () => {
    const quiet = setup({ accessToken: 'wrong-token' }).client;
    const answer = await quiet.get('me');
    expect(answer).toBeInstanceOf(AccessDict);
    expect(answer.data).toEqual({
      error: { type: 'OAuthException', message: 'An invalid access token was provided.' },
    });
    expect((answer.error as AccessDict).type).toBe('OAuthException');
    const loud = setup({ accessToken: 'wrong-token-123', raiseExceptions: true }).client;
    const error = await loud.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixcloudError);
    expect(error).toMatchObject({
      status: 400,
      type: 'OAuthException',
      message: 'An invalid access token was provided.',
    });
    expect(String(error)).toBe('OAuthException: An invalid access token was provided.');
    expect(inspect(error, { depth: 5 }) + JSON.stringify(error)).not.toContain('wrong-token-123');
  });

  it('a 404 and a rate limit are typed MixcloudErrors with the service fields', async () => {
    const { client } = setup({ raiseExceptions: true }, { rateLimitPerMinute: 2 });
    await expect(client.get('nobody-at-all')).rejects.toMatchObject({
      status: 404,
      type: 'ResourceNotFoundException',
    });
    await client.get('bob');
    const limited = await client.get('bob', { maxRetries: 0 }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(MixcloudError);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as MixcloudError).retryAfterMs).toBeGreaterThan(0);
    expect((limited as MixcloudError).extra).toMatchObject({ retry_after: expect.any(Number) });
    expect(String(limited)).toMatch(/^RateLimitException: .* \(retry_after: \d+\)$/);
  });
});

describe('listing helpers', () => {
  it('popular/hot/new/search/discover/me send the documented paths and parameters', async () => {
    const { client, seen } = setup();
    await client.popular({ offset: 2, limit: 3 });
    await client.hot({ page: 1, perPage: 2 });
    await client.new({ since: 1000, until: new Date('2026-12-01T00:00:00Z') });
    const found = (await client.search('house', { limit: 2, offset: 0 })) as ResourceList;
    expect(found.length).toBe(2);
    const users = (await client.search('bo', { type: 'user' })) as ResourceList;
    expect(keys(users)).toContain('/bob/');
    expect((await client.discover('jazz')).name).toBe('Jazz shows');
    expect((await client.me()).key).toBe('/ferry/');
    expect(seen.slice(0, 5).map((s) => s.replace(`&access_token=${MIXCLOUD_DEMO_TOKEN}`, ''))).toEqual([
      `GET ${ROOT}/popular/?offset=2&limit=3&metadata=1`,
      `GET ${ROOT}/popular/hot/?offset=2&limit=2&metadata=1`,
      `GET ${ROOT}/new/?since=1000&until=1796083200&metadata=1`,
      `GET ${ROOT}/search/?q=house&type=cloudcast&offset=0&limit=2&metadata=1`,
      `GET ${ROOT}/search/?q=bo&type=user&metadata=1`,
    ]);
    await expect(client.hot({ page: 1, offset: 3 })).rejects.toThrow(
      'page and offset/limit/since/until cannot be specified simultaneously',
    );
  });

  it("me() and the actions need a token (the seed's message), before any request", async () => {
    const { client, emulator } = setup({ accessToken: undefined });
    await expect(client.me()).rejects.toThrow('access_token must be set');
    await expect(client.follow('bob')).rejects.toThrow('access_token must be set');
    await expect(client.upload(new Uint8Array(1), 'x')).rejects.toThrow('access_token must be set');
    // `@uploading` checks the fields first, then `@personal` the token, before the mp3 is opened.
    await expect(client.upload('./no/such.mp3', 'x')).rejects.toThrow('access_token must be set');
    await expect(
      client.upload('./no/such.mp3', 'x', { tags: ['1', '2', '3', '4', '5', '6'] }),
    ).rejects.toThrow('5 tags at most');
    expect(emulator.control.journal.entries()).toEqual([]);
  });
});

describe('actions, targeting and the token', () => {
  it('actions POST and DELETE, return the answer as a dict, and are mirrored on resources', async () => {
    const { client, seen } = setup();
    const followed = await client.follow('spartacus');
    expect(followed).toBeInstanceOf(AccessDict);
    expect(followed.data).toEqual({ result: { success: true, message: 'Now following spartacus' } });
    expect((followed.result as AccessDict).success).toBe(true);
    expect(seen.at(-1)).toBe(`POST ${ROOT}/spartacus/follow/?access_token=${MIXCLOUD_DEMO_TOKEN}`);
    const spartacus = (await client.get('spartacus')) as Resource;
    // The `following` connection method shadows the `following` item, as in the seed: read it as an item.
    expect(typeof spartacus.following).toBe('function');
    expect(spartacus.item('following')).toBe(true);
    await (spartacus.unfollow as () => Promise<unknown>)();
    expect(((await client.get('spartacus')) as Resource).item('following')).toBe(false);
    const mix = ((await client.get('bob/cloudcasts')) as ResourceList)[0] as Resource;
    await client.unfavorite(String(mix.key));
    const before = Number(((await client.get(String(mix.key))) as Resource).favorite_count);
    await (mix.favorite as () => Promise<unknown>)();
    expect(((await client.get(String(mix.key))) as Resource).favorite_count).toBe(before + 1);
    await client.listenLater(String(mix.key));
    await client.unlistenLater(String(mix.key));
    await client.repost(String(mix.key));
    expect(seen.at(-1)).toContain('/repost/?access_token=');
    expect(mix.noSuchMethod).toBeUndefined();
  });

  it('every targeting method is callable from a resource, with its key first', async () => {
    const { client } = setup();
    const mix = (await client.get('bob/bob-mix-1')) as Resource;
    for (const name of [
      'follow',
      'unfollow',
      'favorite',
      'unfavorite',
      'repost',
      'unrepost',
      'listenLater',
      'unlistenLater',
      'embedJson',
      'embedHtml',
      'oembed',
      'edit',
    ])
      expect(typeof mix[name], name).toBe('function');
    expect(await (mix.embedHtml as () => Promise<string>)()).toMatch(/^<iframe/);
  });

  it('accessToken is a mutable attribute: setting it applies to the next calls', async () => {
    const { client, seen } = setup({ accessToken: undefined });
    expect(client.accessToken).toBeUndefined();
    await client.get('bob');
    expect(seen.at(-1)).not.toContain('access_token');
    client.accessToken = MIXCLOUD_DEMO_TOKEN;
    expect((await client.me()).key).toBe('/ferry/');
    expect(seen.at(-1)).toContain(`access_token=${MIXCLOUD_DEMO_TOKEN}`);
  });

  it('a MixcloudClient can be given as the session; close() closes it too', async () => {
    const emulator = createEmulator(mixcloudService, { seed: 'demo' });
    const session = new MixcloudClient({ baseUrl: ROOT, fetch: emulator.fetch, accessToken: null });
    const client = new Mixcloud(ROOT, { session, accessToken: MIXCLOUD_DEMO_TOKEN });
    expect(client.session).not.toBe(session);
    expect((await client.me()).key).toBe('/ferry/');
    await client.close();
    await expect(session.users.get('bob')).rejects.toThrow('closed');
  });
});

describe('upload and edit', () => {
  it('uploads a mix with tags and sections (multipart, streamed) and edits it by a bare slug', async () => {
    const { client, emulator } = setup();
    const audio = new Uint8Array(200_000).map((_, i) => i % 256);
    const result = await client.upload(audio, 'Ferry Sunday Session', {
      description: 'A calm one ✓',
      tags: ['house', 'deep'],
      sections: [
        { chapter: 'Intro', start_time: 0 },
        { artist: 'Somebody', song: 'Some song', start_time: 95 },
      ],
      unlisted: true,
      picture: new Uint8Array(1000),
    });
    expect(result.data).toMatchObject({ result: { success: true, key: '/ferry/ferry-sunday-session/' } });
    const show = (await client.get('ferry/ferry-sunday-session')) as Resource;
    expect(show.description).toBe('A calm one ✓');
    expect([...(show.tags as AccessList)].map((t) => (t as Resource).name)).toEqual([
      'House shows',
      'Deep shows',
    ]);
    expect((show.sections as AccessList).length).toBe(2);
    await client.edit('ferry-sunday-session', { name: 'Ferry Sunday Session (remaster)', tags: ['ambient'] });
    const edited = (await client.get('ferry/ferry-sunday-session')) as Resource;
    expect(edited.name).toBe('Ferry Sunday Session (remaster)');
    expect([...(edited.tags as AccessList)].map((t) => (t as Resource).name)).toEqual(['Ambient shows']);
    expect(emulator.control.journal.entries().map((e) => e.endpoint)).toContain('me');
    await (edited.edit as (o: object) => Promise<unknown>)({ description: 'via the resource' });
    expect(((await client.get('ferry/ferry-sunday-session')) as Resource).description).toBe(
      'via the resource',
    );
  });

  it('a string mp3 or picture is a path, never content', async () => {
    const { client } = setup({ raiseExceptions: true });
    await expect(client.upload('./no/such/file.mp3', 'Missing')).rejects.toThrow(
      /cannot read file \.\/no\/such\/file\.mp3/,
    );
    await expect(
      client.upload(new Uint8Array(10), 'Missing picture', { picture: './no/such/picture.jpg' }),
    ).rejects.toThrow(/cannot read file/);
  });

  it("validates uploads before any request, with the seed's messages", async () => {
    const { client, emulator } = setup();
    await expect(
      client.upload(new Uint8Array(1), 'x', { tags: ['a', 'b', 'c', 'd', 'e', 'f'] }),
    ).rejects.toThrow('an upload must have 5 tags at most');
    await expect(client.upload(new Uint8Array(1), 'x', { description: '✓'.repeat(1001) })).rejects.toThrow(
      'description size must be 1000 characters at most',
    );
    await expect(
      client.upload(new Uint8Array(1), 'x', { picture: new Uint8Array(10_485_761) }),
    ).rejects.toThrow('picture file size must be 10485760 bytes at most');
    await expect(
      client.upload(new Uint8Array(1), 'x', { sections: [{ artist: 'only artist' }] }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.upload(new Uint8Array(1), '')).rejects.toThrow(/name/);
    expect(emulator.control.journal.entries()).toEqual([]);
  });
});

describe('embeds and oEmbed', () => {
  it('embedJson gives a dict, embedHtml and xml oEmbed text, json oEmbed a dict', async () => {
    const { client, seen } = setup();
    const json = (await client.embedJson('bob/bob-mix-1', { height: 60, color: 'ff0000' })) as AccessDict;
    expect(String(json.html)).toContain('mini=1');
    expect(seen.at(-1)).toBe(`GET ${ROOT}/bob/bob-mix-1/embed-json/?height=60&color=ff0000`);
    expect(await client.embedHtml('bob/bob-mix-1')).toMatch(/^<iframe/);
    expect(((await client.oembed('bob/bob-mix-1')) as AccessDict).data).toMatchObject({
      type: 'rich',
      title: 'bob mix 1',
      provider_name: 'Mixcloud',
    });
    expect(seen.at(-1)).toBe(
      `GET ${ROOT}/oembed/?format=json&url=${encodeURIComponent(`${ROOT}/bob/bob-mix-1/`)}`,
    );
    expect(await client.oembed('bob/bob-mix-1', { format: 'xml' })).toMatch(
      /^<\?xml.*<title>bob mix 1<\/title>/,
    );
    await expect(client.embedJson('bob/bob-mix-1', { color: '#fff' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(client.oembed('bob/bob-mix-1', { maxwidth: 3 } as object)).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});

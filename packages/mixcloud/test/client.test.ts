import { inspect } from 'node:util';
import { InvalidInputError, ManualClock, RateLimitError } from '@mediaferry/core';
import { createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import {
  formatDatetime,
  Mixcloud,
  MixcloudError,
  MixcloudOAuth,
  MixcloudOAuthError,
  paginationQuery,
  Resource,
  ResourceList,
  toTimestamp,
} from '../src/index.js';

const ROOT = 'http://api.mixcloud.test';

function setup(options: Record<string, unknown> = {}, token: string | null = MIXCLOUD_DEMO_TOKEN) {
  const emulator = createEmulator(mixcloudService, { seed: 'demo', options });
  const seen: string[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(`${request.method} ${request.url}`);
    return emulator.fetch(request);
  };
  const client = new Mixcloud({
    apiRoot: ROOT,
    mixcloudRoot: ROOT,
    oembedRoot: `${ROOT}/oembed`,
    fetch,
    clock: new ManualClock(),
    ...(token ? { accessToken: token } : {}),
  });
  return { emulator, client, seen };
}

describe('Mixcloud (aiomixcloud parity)', () => {
  it('get() returns a full Resource with connections, always asking for metadata=1', async () => {
    const { client, seen } = setup();
    const bob = (await client.get('bob')) as Resource;
    expect(bob).toBeInstanceOf(Resource);
    expect(bob.type).toBe('user');
    expect(bob.key).toBe('/bob/');
    expect(bob.connections).toEqual(expect.arrayContaining(['cloudcasts', 'followers', 'favorites']));
    expect(seen[0]).toBe(`GET ${ROOT}/bob/?metadata=1&access_token=${MIXCLOUD_DEMO_TOKEN}`);
    expect(String(bob)).toBe("<Resource: User '/bob/'>");
    expect(bob.get('created_time')).toBeInstanceOf(Date);
  });

  it('lists page by date with next()/previous(), items wrap into Resources and look up by key', async () => {
    const { client } = setup();
    const chris = (await client.get('chris')) as Resource;
    const favorites = await chris.connection('favorites', { limit: 3 });
    expect(favorites).toBeInstanceOf(ResourceList);
    expect(favorites.name).toBe("Chris's favorites");
    expect(favorites.length).toBe(3);
    const first = favorites.at(0) as Resource;
    expect(first.type).toBe('cloudcast');
    expect((favorites.at(first.key.slice(1, -1)) as Resource).key).toBe(first.key);
    expect(() => favorites.at('no/such')).toThrow(InvalidInputError);
    const next = await favorites.next();
    expect(next?.length).toBeGreaterThan(0);
    const firstKeys = favorites.items.map((i) => (i as Resource).key);
    expect(next!.items.map((i) => (i as Resource).key).some((k) => firstKeys.includes(k))).toBe(false);
    const all = await client.listAll('chris/favorites', { limit: 2 }).toArray({ limit: 100 });
    expect(all.length).toBeGreaterThanOrEqual(favorites.length + next!.length);
  });

  it('list items are not full until load(), which fetches once', async () => {
    const { client, seen } = setup();
    const list = await client.popular({ limit: 2 });
    const item = list.at(0) as Resource;
    expect(item.full).toBe(false);
    expect(item.get('description')).toBeUndefined();
    await item.load();
    expect(item.full).toBe(true);
    expect(typeof item.get('description')).toBe('string');
    const count = seen.length;
    await item.load();
    expect(seen.length).toBe(count);
  });

  it('popular/hot/new/search/discover/me send the documented paths and parameters', async () => {
    const { client, seen } = setup();
    await client.popular({ offset: 2, limit: 3 });
    await client.hot({ page: 1, perPage: 2 });
    await client.new({ since: 1000, until: new Date('2026-12-01T00:00:00Z') });
    const found = await client.search('house', { limit: 2, offset: 0 });
    expect(found.length).toBe(2);
    expect((await client.discover('jazz')).get('name')).toBe('Jazz shows');
    expect((await client.me()).key).toBe('/ferry/');
    expect(seen.slice(0, 4).map((s) => s.replace(`&access_token=${MIXCLOUD_DEMO_TOKEN}`, ''))).toEqual([
      `GET ${ROOT}/popular/?offset=2&limit=3&metadata=1`,
      `GET ${ROOT}/popular/hot/?offset=2&limit=2&metadata=1`,
      `GET ${ROOT}/new/?since=1000&until=1796083200&metadata=1`,
      `GET ${ROOT}/search/?q=house&type=cloudcast&offset=0&limit=2&metadata=1`,
    ]);
  });

  it('actions POST and DELETE with the token and change state', async () => {
    const { client, seen } = setup();
    expect(await client.follow('spartacus')).toEqual({ success: true, message: 'Now following spartacus' });
    expect(seen.at(-1)).toBe(`POST ${ROOT}/spartacus/follow/?access_token=${MIXCLOUD_DEMO_TOKEN}`);
    const spartacus = (await client.get('spartacus')) as Resource;
    expect(spartacus.get('following')).toBe(true);
    await spartacus.act('unfollow');
    expect(((await client.get('spartacus')) as Resource).get('following')).toBe(false);
    const mix = ((await client.get('bob/cloudcasts')) as ResourceList).at(0) as Resource;
    await client.unfavorite(mix.key);
    const before = Number(((await client.get(mix.key)) as Resource).get('favorite_count'));
    await client.favorite(mix.key);
    expect(((await client.get(mix.key)) as Resource).get('favorite_count')).toBe(before + 1);
    await client.listenLater(mix.key);
    await client.unlistenLater(mix.key);
    await client.repost(mix.key);
    expect(seen.at(-1)).toContain('/repost/?access_token=');
  });

  it('uploads a mix with tags and sections (multipart, streamed) and edits it', async () => {
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
    expect(result).toMatchObject({ success: true, key: '/ferry/ferry-sunday-session/' });
    const show = (await client.get('ferry/ferry-sunday-session')) as Resource;
    expect(show.get('description')).toBe('A calm one ✓');
    expect((show.get('tags') as Resource[]).map((t) => t.get('name'))).toEqual(['House shows', 'Deep shows']);
    expect((show.get('sections') as unknown[]).length).toBe(2);
    await client.edit('ferry-sunday-session', { name: 'Ferry Sunday Session (remaster)', tags: ['ambient'] });
    const edited = (await client.get('ferry/ferry-sunday-session')) as Resource;
    expect(edited.get('name')).toBe('Ferry Sunday Session (remaster)');
    expect((edited.get('tags') as Resource[]).map((t) => t.get('name'))).toEqual(['Ambient shows']);
    expect(emulator.control.journal.entries().map((e) => e.endpoint)).toContain('me');
  });

  it('validates uploads before any request', async () => {
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
    const anonymous = setup({}, null).client;
    await expect(anonymous.follow('bob')).rejects.toThrow('access_token must be set');
    expect(emulator.control.journal.entries()).toEqual([]);
  });

  it('embeds and oEmbed', async () => {
    const { client } = setup();
    const json = await client.embedJson('bob/bob-mix-1', { height: 60, color: 'ff0000' });
    expect(String(json.html)).toContain('mini=1');
    expect(await client.embedHtml('bob/bob-mix-1')).toMatch(/^<iframe/);
    expect(await client.oembed('bob/bob-mix-1')).toMatchObject({
      type: 'rich',
      title: 'bob mix 1',
      provider_name: 'Mixcloud',
    });
    expect(await client.oembed('bob/bob-mix-1', { format: 'xml' })).toMatch(
      /^<\?xml.*<title>bob mix 1<\/title>/,
    );
    await expect(client.embedJson('bob/bob-mix-1', { color: '#fff' })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it('errors: OAuthException for a bad token (never leaked), 404, and rate limits with retry_after', async () => {
    const bad = setup({}, 'wrong-token-123');
    const error = await bad.client.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixcloudError);
    expect(error).toMatchObject({ status: 400, code: 'OAuthException' });
    expect(inspect(error, { depth: 5 }) + JSON.stringify(error)).not.toContain('wrong-token-123');
    const { client } = setup({ rateLimitPerMinute: 2 });
    await expect(client.get('nobody-at-all')).rejects.toMatchObject({
      status: 404,
      code: 'ResourceNotFoundException',
    });
    await client.get('bob');
    const limited = await client.get('bob', { maxRetries: 0 }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as MixcloudError).retryAfterMs).toBeGreaterThan(0);
    expect((limited as MixcloudError).extra).toMatchObject({ retry_after: expect.any(Number) });
  });
});

describe('pagination and dates', () => {
  it.each([
    [{ page: 2 }, { offset: 40, limit: 20 }],
    [
      { page: 7, perPage: 30 },
      { offset: 210, limit: 30 },
    ],
    [
      { page: 0, perPage: 1 },
      { offset: 0, limit: 1 },
    ],
  ])('page %j → %j', (input, expected) => {
    expect(paginationQuery(input)).toEqual(expected);
  });

  it('refuses page with offset, converts since/until, formats dates in UTC', () => {
    expect(() => paginationQuery({ page: 1, offset: 3 })).toThrow(
      'page and offset/limit/since/until cannot be specified simultaneously',
    );
    expect(toTimestamp('Jan 12 2018 21:02:44 UTC')).toBe(1515790964);
    expect(toTimestamp(new Date(Date.UTC(2020, 1, 12, 20)))).toBe(1581537600);
    expect(toTimestamp('1530384039')).toBe(1530384039);
    expect(formatDatetime(1530384039)).toBe('2018-06-30T18:40:39Z');
    expect(() => toTimestamp('random text')).toThrow(InvalidInputError);
  });
});

describe('MixcloudOAuth', () => {
  it('builds the authorization URL like aiomixcloud and trades a code once', async () => {
    const emulator = createEmulator(mixcloudService, { seed: 'demo' });
    const oauth = new MixcloudOAuth({
      oauthRoot: `${ROOT}/oauth`,
      clientId: 'mf-demo-client',
      clientSecret: 'mf-demo-secret',
      redirectUri: 'http://localhost:8765/callback',
      fetch: emulator.fetch,
    });
    expect(oauth.authorizationUrl).toBe(
      `${ROOT}/oauth/authorize?client_id=mf-demo-client&redirect_uri=http://localhost:8765/callback`,
    );
    const redirect = await emulator.fetch(oauth.authorizationUrl, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const token = await oauth.accessToken(code);
    const me = await new Mixcloud({ apiRoot: ROOT, accessToken: token, fetch: emulator.fetch }).me();
    expect(me.key).toBe('/ferry/');
    const again = await oauth.accessToken(code).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MixcloudOAuthError);
    expect(String(again)).not.toContain('mf-demo-secret');
    expect(() => new MixcloudOAuth({ clientId: 'x' }).authorizationUrl).toThrow('redirect_uri must be set');
  });
});

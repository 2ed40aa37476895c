import { ManualClock } from '@mediaferry/core';
import { addCloudcast, createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import {
  isCloudcast,
  isComment,
  isTag,
  isUser,
  Mixcloud,
  type Resource,
  type ResourceList,
} from '../src/index.js';

const ROOT = 'http://api.mixcloud.test';

function setup(options: Record<string, unknown> = {}, clientOptions: Record<string, unknown> = {}) {
  const emulator = createEmulator(mixcloudService, { seed: 'demo', options });
  const requests: Request[] = [];
  const client = new Mixcloud({
    apiRoot: ROOT,
    accessToken: MIXCLOUD_DEMO_TOKEN,
    clock: new ManualClock(),
    fetch: async (input, init) => {
      const request = new Request(input, init);
      requests.push(request.clone());
      return emulator.fetch(request);
    },
    ...clientOptions,
  });
  return { emulator, client, requests };
}

describe("Mixcloud: the seed's tested behaviours (spec §1.9)", () => {
  it.each([
    ['foo', '/foo/'],
    ['hello/', '/hello/'],
    ['/something', '/something/'],
    ['/bar/', '/bar/'],
    ['this/that', '/this/that/'],
    ['/abcd/efgh/', '/abcd/efgh/'],
  ])(
    'joins %s as %s (always with the slash Mixcloud redirects to, saving a round trip)',
    async (key, path) => {
      const { client, requests } = setup();
      await client.get(key).catch(() => undefined);
      expect(new URL(requests[0]!.url).pathname).toBe(path);
    },
  );

  it('merges params in order and always ends with metadata=1 and the token', async () => {
    const { client, requests } = setup();
    await client.get('bob', { params: { foo: 'bar', height: 3, metadata: 0 } });
    expect(new URL(requests[0]!.url).search).toBe(
      `?foo=bar&height=3&metadata=1&access_token=${MIXCLOUD_DEMO_TOKEN}`,
    );
    await client.get(`${ROOT}/bob/cloudcasts/?metadata=1`, { relative: false });
    expect(new URL(requests[1]!.url).searchParams.getAll('metadata')).toEqual(['1']);
  });

  it('actions use the documented verbs and paths, with a trailing slash', async () => {
    const { client, requests } = setup();
    await client.favorite('bob/bob-mix-1');
    await client.unfavorite('bob/bob-mix-1');
    await client.listenLater('bob/bob-mix-1');
    await client.unfollow('bob');
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'POST /bob/bob-mix-1/favorite/',
      'DELETE /bob/bob-mix-1/favorite/',
      'POST /bob/bob-mix-1/listen-later/',
      'DELETE /bob/follow/',
    ]);
  });

  it("sends the upload fields in aiomixcloud's order, booleans as '1', with progress", async () => {
    const { client, requests } = setup();
    const progress: number[] = [];
    await client.upload(new Uint8Array(50_000), 'Order Test', {
      picture: new Uint8Array(10),
      description: 'd',
      publishDate: 1530384039,
      unlisted: true,
      tags: ['house', 'tech'],
      sections: [{ artist: 'somebody', song: 'x', start_time: 20 }],
      onProgress: (p) => progress.push(p.loaded),
    });
    const body = await requests.at(-1)!.text();
    const names = [...body.matchAll(/form-data; name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual([
      'name',
      'mp3',
      'picture',
      'description',
      'publish_date',
      'unlisted',
      'tags-0-tag',
      'tags-1-tag',
      'sections-0-artist',
      'sections-0-song',
      'sections-0-start_time',
    ]);
    expect(body).toContain('2018-06-30T18:40:39Z');
    expect(body).toMatch(/name="unlisted"\r\n\r\n1\r\n/);
    expect(progress.at(-1)).toBeGreaterThan(50_000);
  });
});

describe('Mixcloud: paging, connections, errors', () => {
  it('pages through 120 items forward (until) and back (since) without gaps or overlaps', async () => {
    const { client, emulator } = setup();
    const ctx = emulator.context as Parameters<typeof addCloudcast>[0];
    await emulator.ready;
    const existing = Object.keys(
      (emulator.control.dump() as { state: { cloudcasts: object } }).state.cloudcasts,
    ).filter((k) => k.startsWith('/jimmy/')).length;
    for (let i = existing; i < 120; i += 1)
      addCloudcast(ctx, 'jimmy', `extra ${i}`, { created: Date.UTC(2025, 0, 1) + i * 60_000 });
    const forward: string[] = [];
    let page: ResourceList | undefined = (await ((await client.get('jimmy')) as Resource).cloudcasts({
      limit: 25,
    })) as ResourceList;
    let last: ResourceList = page;
    for (; page; page = await page.next()) {
      forward.push(...page.items.map((i) => (i as Resource).key));
      last = page;
    }
    expect(forward).toHaveLength(120);
    expect(new Set(forward).size).toBe(120);
    const backward: string[] = [];
    for (
      let back: ResourceList | undefined = await last.previous();
      back && back.length > 0;
      back = await back.previous()
    )
      backward.unshift(...back.items.map((i) => (i as Resource).key));
    expect([...backward, ...last.items.map((i) => (i as Resource).key)]).toEqual(forward);
    let all = 0;
    for await (const _ of (await client.getList('jimmy/cloudcasts', { limit: 50 })).all()) all += 1;
    expect(all).toBe(120);
  });

  it('discovers connections of a resource type it has never heard of', async () => {
    const calls: string[] = [];
    const client = new Mixcloud({
      apiRoot: ROOT,
      fetch: async (input, init) => {
        const url = new Request(input, init).url;
        calls.push(url);
        const body = url.includes('/episodes/')
          ? { data: [{ type: 'episode', key: '/show/e1/', name: 'E1' }], name: 'Episodes' }
          : {
              type: 'podcast_series',
              key: '/show/',
              name: 'Show',
              created_time: '2026-01-02T03:04:05Z',
              metadata: { connections: { 'new-episodes': `${ROOT}/show/episodes/` } },
            };
        return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
      },
    });
    const show = (await client.get('show')) as Resource;
    expect(String(show)).toBe("<Resource: Podcast Series '/show/'>");
    expect(show.connections).toEqual(['new_episodes']);
    expect(show.get('created_time')).toBeInstanceOf(Date);
    const episodes = await show.connection('new_episodes');
    expect((episodes.at(0) as Resource).type).toBe('episode');
    expect(calls.at(-1)).toBe(`${ROOT}/show/episodes/?metadata=1`);
  });

  it('narrows known kinds with guards and typed data', async () => {
    const { client } = setup();
    const list = await client.popular({ limit: 3 });
    const first = list.at(0);
    expect(isCloudcast(first)).toBe(true);
    if (!isCloudcast(first)) return;
    expect(first.data.created_time).toBeInstanceOf(Date);
    expect(typeof first.data.play_count).toBe('number');
    expect(isUser(first.get('user'))).toBe(true);
    expect(isTag((first.get('tags') as unknown[])[0])).toBe(true);
    const comments = await ((await client.get('bob')) as Resource).comments();
    expect(comments.items.every(isComment)).toBe(true);
  });

  it('does not turn names that look like dates into dates (the seed decoder did)', async () => {
    const { client } = setup();
    const may = (await client.get('may')) as Resource;
    expect(may.get('name')).toBe('May');
    expect(may.get('picture_primary_color')).toBe('020202');
  });

  it('waits out a rate limit (403 + retry_after) and retries within the budget', async () => {
    const clock = new ManualClock();
    const { client, emulator } = setup({ rateLimitPerMinute: 1 }, { clock });
    const sleep = clock.sleep.bind(clock);
    clock.sleep = async (ms: number, signal?: AbortSignal) => {
      emulator.control.clock.advance(ms);
      return sleep(ms, signal);
    };
    await client.get('bob');
    const second = (await client.get('bob')) as Resource;
    expect(second.key).toBe('/bob/');
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(0);
  });

  it('raiseExceptions: false returns the error body, as aiomixcloud does by default', async () => {
    const { client } = setup({}, { raiseExceptions: false, accessToken: 'wrong' });
    expect(await client.get('me')).toEqual({
      error: { type: 'OAuthException', message: 'An invalid access token was provided.' },
    });
  });
});

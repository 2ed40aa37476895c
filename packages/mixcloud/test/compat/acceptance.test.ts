/**
 * The seed's tested behaviours (spec mixcloud.md §1.9) through `@mediaferry/mixcloud/aiomixcloud`, against the
 * emulator: URL joining, verbs and paths, the multipart field order, paging without gaps, schema-agnostic
 * resources, dates, rate limits.
 */
import { ManualClock } from '@mediaferry/core';
import { addCloudcast, createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import {
  Mixcloud,
  type MixcloudOptions,
  type Resource,
  type ResourceList,
} from '../../src/compat/aiomixcloud/index.js';

const ROOT = 'http://api.mixcloud.test';

function setup(options: Record<string, unknown> = {}, clientOptions: MixcloudOptions = {}) {
  const emulator = createEmulator(mixcloudService, { seed: 'demo', options });
  const requests: Request[] = [];
  const client = new Mixcloud(ROOT, {
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

const keyOf = (item: unknown) => String((item as Resource).key);

describe("aiomixcloud: the seed's tested behaviours (spec §1.9)", () => {
  it.each([
    ['foo', '/foo/'],
    ['hello/', '/hello/'],
    ['/something', '/something/'],
    ['/bar/', '/bar/'],
    ['this/that', '/this/that/'],
    ['/abcd/efgh/', '/abcd/efgh/'],
  ])('joins %s as %s (with the slash Mixcloud redirects to, saving a round trip)', async (key, path) => {
    const { client, requests } = setup();
    await client.get(key);
    expect(new URL(requests[0]!.url).pathname).toBe(path);
  });

  it('actions use the documented verbs and paths, with a trailing slash and no metadata', async () => {
    const { client, requests } = setup();
    await client.favorite('bob/bob-mix-1');
    await client.unfavorite('bob/bob-mix-1');
    await client.listenLater('bob/bob-mix-1');
    await client.unlistenLater('/bob/bob-mix-1/');
    await client.repost('bob/bob-mix-1');
    await client.unrepost('bob/bob-mix-1');
    await client.follow('bob');
    await client.unfollow('bob');
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}${new URL(r.url).search}`)).toEqual(
      [
        'POST /bob/bob-mix-1/favorite/',
        'DELETE /bob/bob-mix-1/favorite/',
        'POST /bob/bob-mix-1/listen-later/',
        'DELETE /bob/bob-mix-1/listen-later/',
        'POST /bob/bob-mix-1/repost/',
        'DELETE /bob/bob-mix-1/repost/',
        'POST /bob/follow/',
        'DELETE /bob/follow/',
      ].map((line) => `${line}?access_token=${MIXCLOUD_DEMO_TOKEN}`),
    );
  });

  it("sends the upload fields in aiomixcloud's order, booleans as '1', publish_date in UTC", async () => {
    const { client, requests } = setup();
    await client.upload(new Uint8Array(50_000), 'Order Test', {
      picture: new Uint8Array(10),
      description: 'd',
      publishDate: 1530384039,
      unlisted: true,
      tags: ['house', 'tech'],
      sections: [{ artist: 'somebody', song: 'x', start_time: 20 }],
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
    expect(new URL(requests.at(-1)!.url).pathname).toBe('/upload/');
  });

  it('edit with a bare key asks me() first, then posts to upload/<me>/<slug>/edit/', async () => {
    const { client, requests } = setup();
    await client.edit('ferry-session-1', { name: 'Renamed' });
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'GET /me/',
      'POST /upload/ferry/ferry-session-1/edit/',
    ]);
  });
});

describe('aiomixcloud: paging, connections, dates, rate limits', () => {
  it('pages through 120 items forward (until) and back (since) without gaps or overlaps', async () => {
    const { client, emulator } = setup();
    const ctx = emulator.context as Parameters<typeof addCloudcast>[0];
    await emulator.ready;
    const existing = Object.keys(
      (emulator.control.dump() as { state: { cloudcasts: object } }).state.cloudcasts,
    ).filter((k) => k.startsWith('/jimmy/')).length;
    for (let i = existing; i < 120; i += 1)
      addCloudcast(ctx, 'jimmy', `extra ${i}`, { created: Date.UTC(2025, 0, 1) + i * 60_000 });
    const jimmy = (await client.get('jimmy')) as Resource;
    const forward: string[] = [];
    let page = (await (jimmy.cloudcasts as (o: object) => Promise<unknown>)({ limit: 25 })) as
      | ResourceList
      | undefined;
    let last = page!;
    for (; page; page = (await page.next()) as ResourceList | undefined) {
      forward.push(...[...page].map(keyOf));
      last = page;
    }
    expect(forward).toHaveLength(120);
    expect(new Set(forward).size).toBe(120);
    const backward: string[] = [];
    for (
      let back = (await last.previous()) as ResourceList | undefined;
      back && back.length > 0;
      back = (await back.previous()) as ResourceList | undefined
    )
      backward.unshift(...[...back].map(keyOf));
    expect([...backward, ...[...last].map(keyOf)]).toEqual(forward);
    let all = 0;
    for await (const _ of (
      (await client.get('jimmy/cloudcasts', { params: { limit: 50 } })) as ResourceList
    ).all())
      all += 1;
    expect(all).toBe(120);
  });

  it('discovers connections of a resource type it has never heard of', async () => {
    const calls: string[] = [];
    const client = new Mixcloud(ROOT, {
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
    expect(show.created_time).toBeInstanceOf(Date);
    const episodes = (await (show.new_episodes as (o?: object) => Promise<unknown>)({
      limit: 5,
    })) as ResourceList;
    expect((episodes[0] as Resource).type).toBe('episode');
    expect(calls.at(-1)).toBe(`${ROOT}/show/episodes/?limit=5&metadata=1`);
  });

  it('does not turn names that look like dates into dates (the seed decoder did)', async () => {
    const { client } = setup();
    const may = (await client.get('may')) as Resource;
    expect(may.name).toBe('May');
    expect(may.picture_primary_color).toBe('020202');
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
});

/**
 * `mixcloud.tags`, `mixcloud.discover`, `mixcloud.search` and `mixcloud.objects` against the emulator (and a
 * fake server for a kind of object the API may add).
 */
import { InvalidInputError, ResponseValidationError } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { isCloudcast, isTag, isUser, MixcloudClient, type MixcloudObject } from '../src/index.js';
import { ROOT, setup } from './support/setup.js';

describe('tags and discover', () => {
  it('tags.get by name or key; popular and latest shows of a tag', async () => {
    const { client, seen } = setup();
    expect(await client.tags.get('jazz')).toMatchObject({
      type: 'tag',
      key: '/discover/jazz/',
      name: 'Jazz shows',
    });
    expect((await client.tags.get('/discover/jazz/')).name).toBe('Jazz shows');
    expect((await client.tags.get('/genres/jazz/')).name).toBe('Jazz shows');
    const popular = await client.tags.popular('jazz', { pageSize: 3 }).toArray({ limit: 5 });
    expect(popular.every(isCloudcast)).toBe(true);
    expect(popular.every((show) => show.tags.some((t) => t.key === '/discover/jazz/'))).toBe(true);
    expect((await client.tags.latest('jazz').toArray({ limit: 2 })).every(isCloudcast)).toBe(true);
    expect(seen().slice(0, 4)).toEqual([
      'GET /discover/jazz/?metadata=1',
      'GET /discover/jazz/?metadata=1',
      'GET /genres/jazz/?metadata=1',
      'GET /discover/jazz/popular/?offset=0&limit=3&metadata=1',
    ]);
    await expect(client.tags.get('a/b/c')).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('popular, hot and new: every show once, by pageSize', async () => {
    const { client, seen } = setup();
    const popular = await client.discover.popular({ pageSize: 25 }).toArray({ limit: 1000 });
    expect(popular).toHaveLength(108);
    expect(new Set(popular.map((s) => s.key)).size).toBe(108);
    expect((popular[0]!.play_count ?? 0) >= (popular[1]!.play_count ?? 0)).toBe(true);
    expect((await client.discover.hot({ pageSize: 100 }).toArray({ limit: 1000 })).length).toBe(108);
    const newest = await client.discover.new({ pageSize: 2 });
    expect(newest.items[0]!.created_time! >= newest.items[1]!.created_time!).toBe(true);
    expect(seen().filter((line) => line.startsWith('GET /popular/?')).length).toBe(5);
    expect(seen().at(-1)).toBe('GET /new/?offset=0&limit=2&metadata=1');
  });
});

describe('search', () => {
  it('types the items by what is searched', async () => {
    const { client, seen } = setup();
    const shows = await client.search({ query: 'house', pageSize: 5 }).toArray({ limit: 7 });
    expect(shows).toHaveLength(7);
    expect(shows.every(isCloudcast)).toBe(true);
    const users = await client.search({ query: 'bo', type: 'user' }).toArray({ limit: 10 });
    expect(users.map((u) => u.username)).toContain('bob');
    const tags = await client.search({ query: 'jazz', type: 'tag' }).toArray({ limit: 10 });
    expect(tags.every(isTag)).toBe(true);
    expect(seen()[0]).toBe('GET /search/?q=house&type=cloudcast&offset=0&limit=5&metadata=1');
    expect(() => client.search({ query: ' ' })).toThrow(InvalidInputError);
    expect(() => client.search({ query: 'x', type: 'upload' as 'user' })).toThrow('Invalid type');
  });
});

describe('objects', () => {
  it('get reads any object by its key, typed by kind', async () => {
    const { client } = setup();
    const found: MixcloudObject[] = await Promise.all([
      client.objects.get('bob'),
      client.objects.get('bob/bob-mix-1'),
      client.objects.get('discover/funk'),
    ]);
    expect(found.map((o) => o.type)).toEqual(['user', 'cloudcast', 'tag']);
    const [bob, mix] = found;
    expect(isUser(bob) && bob.username).toBe('bob');
    expect(isCloudcast(mix) && mix.created_time instanceof Date).toBe(true);
    await expect(client.objects.get('bob/followers')).rejects.toBeInstanceOf(ResponseValidationError);
  });

  it('list walks any list; find tells an object from a list in one request', async () => {
    const { client, seen } = setup();
    const feed = await client.objects.list('bob/feed', { pageSize: 4 }).toArray({ limit: 20 });
    expect(feed.length).toBe(9);
    expect(feed.every((item) => item.type === 'upload')).toBe(true);
    const list = await client.objects.find('bob/followers');
    expect(list.list?.name).toBe("Bob's followers");
    expect(list.list?.data.every(isUser)).toBe(true);
    const object = await client.objects.find('bob');
    expect(object.object?.type).toBe('user');
    expect(seen().slice(-2)).toEqual(['GET /bob/followers/?metadata=1', 'GET /bob/?metadata=1']);
  });

  it('an object of a kind this library has never heard of is kept as sent, a known kind must be whole', async () => {
    const bodies: Record<string, unknown> = {
      '/show/': { type: 'podcast_series', key: '/show/', name: 'Show', episodes: 3 },
      '/broken/': { type: 'user', key: '/broken/' },
    };
    const client = new MixcloudClient({
      baseUrl: ROOT,
      accessToken: null,
      fetch: async (input, init) =>
        Response.json(bodies[new URL(new Request(input, init).url).pathname] ?? { error: { type: 'X' } }),
    });
    expect(await client.objects.get('show')).toEqual({
      type: 'podcast_series',
      key: '/show/',
      name: 'Show',
      episodes: 3,
    });
    const broken = await client.objects.get('broken').catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(ResponseValidationError);
    expect((broken as ResponseValidationError).issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['url', 'name', 'username']),
    );
  });
});

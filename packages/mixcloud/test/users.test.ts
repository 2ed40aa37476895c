/**
 * `mixcloud.users` against the emulator: typed profiles, `me`, the lists as paginators, following, and bad
 * input refused before any request.
 */
import { InvalidInputError, NotFoundError } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { isCloudcast, isComment, isUser } from '../src/index.js';
import { setup } from './support/setup.js';

describe('users', () => {
  it('get: a typed profile (dates as Date, counts, connections), with metadata=1', async () => {
    const { client, seen } = setup();
    const bob = await client.users.get('bob');
    expect(bob).toMatchObject({ type: 'user', key: '/bob/', username: 'bob', name: 'Bob', is_pro: false });
    expect(bob.created_time).toBeInstanceOf(Date);
    expect(typeof bob.follower_count).toBe('number');
    expect(bob.metadata?.connections?.followers).toBe('http://api.mixcloud.test/bob/followers/');
    expect(bob.following).toBe(false);
    expect(seen()).toEqual(['GET /bob/?metadata=1']);
    expect((await client.users.get('/bob/')).key).toBe('/bob/');
  });

  it('me: the token owner; a 404 is a NotFoundError', async () => {
    const { client } = setup();
    expect((await client.users.me()).username).toBe('ferry');
    await expect(client.users.get('nobody-at-all')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists are paginators of typed items, walked by offset with pageSize, every item once', async () => {
    const { client, seen } = setup();
    const shows = await client.users.cloudcasts('ferry', { pageSize: 4 }).toArray({ limit: 100 });
    expect(shows.length).toBe(9);
    expect(shows.every(isCloudcast)).toBe(true);
    expect(new Set(shows.map((s) => s.key)).size).toBe(9);
    expect(seen()[0]).toBe('GET /ferry/cloudcasts/?offset=0&limit=4&metadata=1');
    expect(seen().length).toBe(3);
    const followers = await client.users.followers('bob').toArray({ limit: 100 });
    expect(followers.length).toBeGreaterThan(0);
    expect(followers.every(isUser)).toBe(true);
    expect((await client.users.following('bob').toArray({ limit: 100 })).every(isUser)).toBe(true);
    expect((await client.users.favorites('chris').toArray({ limit: 100 })).every(isCloudcast)).toBe(true);
    expect((await client.users.listens('chris').toArray({ limit: 3 })).every(isCloudcast)).toBe(true);
    const comments = await client.users.comments('bob').toArray({ limit: 10 });
    expect(comments.map((c) => c.comment)).toEqual(['Hi Bob!']);
    expect(comments.every(isComment)).toBe(true);
    expect(comments[0]!.submit_date).toBeInstanceOf(Date);
  });

  it('since/until page by date (UNIX seconds); the first page is `await`-able with its name', async () => {
    const { client, seen } = setup();
    const page = await client.users.cloudcasts('ferry', {
      until: new Date('2026-10-02T00:00:00Z'),
      pageSize: 2,
    });
    expect(page.items.length).toBe(2);
    expect((page.raw as { name?: string }).name).toBe("Ferry Radio's Cloudcasts");
    expect(seen()[0]).toBe(`GET /ferry/cloudcasts/?limit=2&until=${Date.UTC(2026, 9, 2) / 1000}&metadata=1`);
    // From `since`: every show after it and no other, walking toward the newest.
    const since = new Date('2026-10-01T10:00:00Z');
    const every = await client.users.cloudcasts('ferry').toArray({ limit: 50 });
    const after = await client.users.cloudcasts('ferry', { since, pageSize: 2 }).toArray({ limit: 50 });
    const expected = every.filter((show) => show.created_time! > since).map((show) => show.key);
    expect(expected).toHaveLength(6);
    expect(after.map((show) => show.key).sort()).toEqual(expected.sort());
    expect(() => client.users.cloudcasts('ferry', { since, until: since })).toThrow('Invalid since');
  });

  it('follow and unfollow change what the token owner follows', async () => {
    const { client, seen } = setup();
    expect(await client.users.follow('spartacus')).toEqual({
      success: true,
      message: 'Now following spartacus',
    });
    expect((await client.users.get('spartacus')).following).toBe(true);
    await client.users.unfollow('spartacus');
    expect((await client.users.get('spartacus')).following).toBe(false);
    expect(seen().filter((line) => !line.startsWith('GET'))).toEqual([
      'POST /spartacus/follow/',
      'DELETE /spartacus/follow/',
    ]);
  });

  it('bad input is refused before any request: an APIPromise rejects, a paginator throws', async () => {
    const { client, requests } = setup();
    for (const bad of ['', '/', 'a/b', '..'])
      await expect(client.users.get(bad)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(client.users.follow('a/b')).rejects.toBeInstanceOf(InvalidInputError);
    expect(() => client.users.followers('')).toThrow(InvalidInputError);
    expect(() => client.users.followers('bob', { pageSize: 0 })).toThrow('Invalid pageSize');
    expect(() => client.users.followers('bob', { offset: -1 })).toThrow('Invalid offset');
    expect(() => client.users.followers('bob', { since: 'yesterday' })).toThrow('Invalid since');
    expect(() => client.users.followers('bob', { maxPages: 0 })).toThrow('Invalid maxPages');
    expect(requests).toEqual([]);
  });
});

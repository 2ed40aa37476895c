/**
 * `mixcloud.cloudcasts` against the emulator: shows by any reference, uploads (a string is a path; streams,
 * files, Blobs), edits, actions and the show's lists.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromPath, InvalidInputError } from '@mediaferry/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCloudcast, isComment, isUser } from '../src/index.js';
import { setup } from './support/setup.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mf-mixcloud-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The multipart parts of a request: name, file name and value (text parts). */
async function partsOf(request: Request) {
  const form = await request.formData();
  return [...form.entries()].map(([name, value]) =>
    typeof value === 'string' ? { name, value } : { name, filename: value.name, size: value.size },
  );
}

describe('cloudcasts.get', () => {
  it('takes a key, { key }, { username, slug } or a show, and gives a typed detail', async () => {
    const { client, seen } = setup();
    const show = await client.cloudcasts.get('bob/bob-mix-1');
    expect(isCloudcast(show)).toBe(true);
    expect(show).toMatchObject({ key: '/bob/bob-mix-1/', slug: 'bob-mix-1', name: 'bob mix 1' });
    expect(show.created_time).toBeInstanceOf(Date);
    expect(show.user?.username).toBe('bob');
    expect(show.tags.map((t) => t.type)).toEqual(['tag', 'tag']);
    expect(show.sections?.map((s) => s.section_type)).toEqual(['chapter', 'track']);
    expect((await client.cloudcasts.get({ username: 'bob', slug: 'bob-mix-1' })).key).toBe(show.key);
    expect((await client.cloudcasts.get({ key: '/bob/bob-mix-1/' })).key).toBe(show.key);
    expect((await client.cloudcasts.get(show)).key).toBe(show.key);
    expect(new Set(seen())).toEqual(new Set(['GET /bob/bob-mix-1/?metadata=1']));
    for (const bad of ['bob', 'a/b/c', '', { username: 'a/b', slug: 'x' }])
      await expect(client.cloudcasts.get(bad as string)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('cloudcasts.upload', () => {
  it('a string is a path: the file streams, named by its base name, with every field in order', async () => {
    const { client, requests } = setup();
    const mp3 = join(dir, 'sunday.mp3');
    const picture = join(dir, 'cover.png');
    await writeFile(mp3, Buffer.alloc(123_456, 1));
    await writeFile(picture, Buffer.alloc(2_000, 2));
    const upload = client.cloudcasts.upload({
      mp3,
      name: 'Καλημέρα Session',
      picture,
      description: 'Greek morning',
      tags: ['house', 'deep'],
      publishDate: '2030-01-02T03:04:05Z',
      disableComments: true,
      hideStats: true,
      sections: [{ chapter: 'Intro', start_time: 0 }],
      hosts: ['bob'],
    });
    const result = await upload.done();
    expect(result.key).toBe(`/ferry/${encodeURIComponent('καλημέρα-session')}/`);
    const parts = await partsOf(requests.at(-1)!);
    expect(parts).toEqual([
      { name: 'name', value: 'Καλημέρα Session' },
      { name: 'mp3', filename: 'sunday.mp3', size: 123_456 },
      { name: 'picture', filename: 'cover.png', size: 2_000 },
      { name: 'description', value: 'Greek morning' },
      { name: 'publish_date', value: '2030-01-02T03:04:05Z' },
      { name: 'disable_comments', value: '1' },
      { name: 'hide_stats', value: '1' },
      { name: 'tags-0-tag', value: 'house' },
      { name: 'tags-1-tag', value: 'deep' },
      { name: 'sections-0-chapter', value: 'Intro' },
      { name: 'sections-0-start_time', value: '0' },
      { name: 'hosts-0-username', value: 'bob' },
    ]);
    expect(requests.at(-1)!.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const show = await client.cloudcasts.get(result.key ?? '');
    expect(show.name).toBe('Καλημέρα Session');
    expect((await client.cloudcasts.get('ferry/καλημέρα-session')).key).toBe(show.key);
  });

  it('takes fromPath, a Blob, bytes and a stream factory; the file name can be given', async () => {
    const { client, requests } = setup();
    const path = join(dir, 'a.mp3');
    await writeFile(path, Buffer.alloc(1000));
    const sources = [
      fromPath(path),
      new Blob([new Uint8Array(500)]),
      new Uint8Array(600),
      () => new Blob([new Uint8Array(700)]).stream(),
    ];
    for (const [i, mp3] of sources.entries())
      await client.cloudcasts
        .upload({ mp3, name: `Source ${i}`, filename: i === 1 ? 'given.mp3' : undefined })
        .done();
    const names = await Promise.all(
      requests.map(async (r) => (await partsOf(r)).find((p) => p.name === 'mp3')),
    );
    expect(names.map((p) => p && 'filename' in p && p.filename)).toEqual([
      'a.mp3',
      'given.mp3',
      'upload.mp3',
      'upload.mp3',
    ]);
  });

  it('refuses bad uploads before any byte is sent: done() rejects with InvalidInputError', async () => {
    const { client, requests } = setup();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ mp3: join(dir, 'missing.mp3'), name: 'x' }, /cannot read file .*missing\.mp3/],
      [{ mp3: dir, name: 'x' }, /is not a regular file/],
      [{ mp3: new Uint8Array(1), name: '' }, /Invalid name/],
      [{ mp3: new Uint8Array(1), name: 'x', tags: ['1', '2', '3', '4', '5', '6'] }, /5 tags at most/],
      [{ mp3: new Uint8Array(1), name: 'x', tags: [' '] }, /tags\[0\]/],
      [{ mp3: new Uint8Array(1), name: 'x', description: 'é'.repeat(1001) }, /1000 characters at most/],
      [{ mp3: new Uint8Array(1), name: 'x', picture: new Uint8Array(10_485_761) }, /10485760 bytes at most/],
      [{ mp3: new Uint8Array(1), name: 'x', sections: [{ song: 'only a song' }] }, /chapter, or a track/],
      [{ mp3: new Uint8Array(1), name: 'x', sections: [{ chapter: 'a', start_time: -1 }] }, /start_time/],
      [{ mp3: new Uint8Array(1), name: 'x', sections: [{ chapter: 'a', at: 1 }] }, /unknown field at/],
      [{ mp3: new Uint8Array(1), name: 'x', hosts: ['a', 'b', 'c'] }, /2 hosts at most/],
      [{ mp3: new Uint8Array(1), name: 'x', publishDate: 'next week' }, /publishDate/],
    ];
    for (const [params, message] of cases) {
      const failure = await client.cloudcasts
        .upload(params as never)
        .done()
        .catch((e: unknown) => e);
      expect(failure, JSON.stringify(params).slice(0, 80)).toBeInstanceOf(InvalidInputError);
      expect(String(failure)).toMatch(message);
    }
    expect(requests).toEqual([]);
  });
});

describe('cloudcasts.edit', () => {
  it('changes the fields given; tags and sections replace; publish and unpublish are exclusive', async () => {
    const { client, seen } = setup();
    const result = await client.cloudcasts.edit({
      cloudcast: 'ferry/ferry-session-1',
      name: 'Renamed',
      tags: ['ambient'],
      sections: [{ artist: 'A', song: 'B', start_time: 3 }],
    });
    expect(result.success).toBe(true);
    expect(seen().at(-1)).toBe('POST /upload/ferry/ferry-session-1/edit/');
    const show = await client.cloudcasts.get('ferry/ferry-session-1');
    expect(show.name).toBe('Renamed');
    expect(show.tags.map((t) => t.name)).toEqual(['Ambient shows']);
    expect(show.sections).toHaveLength(1);
    expect(show.description).toBe('Mix number 1');
    await expect(
      client.cloudcasts.edit({ cloudcast: 'ferry/ferry-session-1', publish: true, unpublish: true }),
    ).rejects.toThrow('only one of unlisted, publish, unpublish per edit');
    await expect(client.cloudcasts.edit({ cloudcast: 'ferry-session-1' })).rejects.toThrow(/user\/slug/);
    await expect(client.cloudcasts.edit({ cloudcast: 'ferry/x', name: ' ' })).rejects.toThrow(/Invalid name/);
    await expect(
      client.cloudcasts.edit({ cloudcast: 'ferry/ferry-session-1', hosts: [] }),
    ).resolves.toMatchObject({
      success: true,
    });
  });
});

describe('actions and lists', () => {
  it('favorite, repost and listen later change the counts and lists; undo reverses them', async () => {
    const { client, seen } = setup();
    const key = 'bob/bob-mix-2';
    await client.cloudcasts.unfavorite(key);
    const before = await client.cloudcasts.get(key);
    await client.cloudcasts.favorite(key);
    await client.cloudcasts.repost(key);
    await client.cloudcasts.listenLater(key);
    const after = await client.cloudcasts.get(key);
    expect(after.favorite_count).toBe((before.favorite_count ?? 0) + 1);
    expect(after.repost_count).toBe((before.repost_count ?? 0) + 1);
    expect((await client.cloudcasts.favorites(key).toArray({ limit: 100 })).map((u) => u.username)).toContain(
      'ferry',
    );
    await client.cloudcasts.unrepost(key);
    await client.cloudcasts.unlistenLater(key);
    expect((await client.cloudcasts.get(key)).repost_count).toBe(before.repost_count);
    expect(seen().filter((line) => !line.startsWith('GET'))).toEqual([
      'DELETE /bob/bob-mix-2/favorite/',
      'POST /bob/bob-mix-2/favorite/',
      'POST /bob/bob-mix-2/repost/',
      'POST /bob/bob-mix-2/listen-later/',
      'DELETE /bob/bob-mix-2/repost/',
      'DELETE /bob/bob-mix-2/listen-later/',
    ]);
  });

  it("a show's comments, favorites, listeners and similar shows are typed paginators", async () => {
    const { client } = setup();
    const first = (await client.users.cloudcasts('ferry').toArray({ limit: 100 })).at(-1)!;
    const comments = await client.cloudcasts.comments(first).toArray({ limit: 10 });
    expect(comments.length).toBe(1);
    expect(comments.every(isComment)).toBe(true);
    expect((await client.cloudcasts.listeners(first).toArray({ limit: 10 })).every(isUser)).toBe(true);
    expect((await client.cloudcasts.favorites(first).toArray({ limit: 10 })).every(isUser)).toBe(true);
    const similar = await client.cloudcasts.similar(first, { pageSize: 5 }).toArray({ limit: 12 });
    expect(similar).toHaveLength(12);
    expect(similar.every(isCloudcast)).toBe(true);
  });
});

/**
 * Issue 19, Mixcloud table: one test per row, over HTTP against a listening emulator (spec mixcloud.md).
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { MIXCLOUD_DEMO_TOKEN, mixcloudService } from '../../src/index.js';
import { type Json, serve } from '../support/http.js';

const token = `access_token=${MIXCLOUD_DEMO_TOKEN}`;
const DAY = 86_400_000;

type Server = Awaited<ReturnType<typeof start>>;

async function start(options: Record<string, unknown> = {}) {
  const server = await serve(mixcloudService, { seed: 'demo', options });
  /** A second user's token: bob is not Pro. */
  server.emulator.context.state.tokens['bob-token'] = 'bob';
  return server;
}

function form(fields: Record<string, string>, files: Record<string, number> = { mp3: 2000 }): FormData {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const [name, size] of Object.entries(files))
    body.append(name, new Blob([new Uint8Array(size)]), `${name}.${name === 'mp3' ? 'mp3' : 'jpg'}`);
  return body;
}

const upload = (s: Server, fields: Record<string, string>, files?: Record<string, number>, auth = token) =>
  s.json(`/upload/?${auth}`, { method: 'POST', body: form(fields, files) });
const edit = (s: Server, key: string, fields: Record<string, string>) =>
  s.json(`/upload${key}edit/?${token}`, { method: 'POST', body: form(fields, {}) });
const keysOf = (list: Json) => (list.data as Json[]).map((item) => item.key as string);
const blobCount = (s: Server) => (s.emulator.control.dump() as { blobs: unknown[] }).blobs.length;

/** A multipart head for one file part, as a client streaming a large mp3 would send it. */
function multipartHead(boundary: string): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nBig\r\n--${boundary}\r\nContent-Disposition: form-data; name="mp3"; filename="big.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`;
}

describe('Mixcloud emulator against the spec, row by row (issue 19)', () => {
  it('§2.11 size limits: every oversize part gets the upload error at once, body drained, nothing kept', async () => {
    const s = await start({ mp3MaxSize: 1000 });
    const blobs = blobCount(s);
    const picture = await upload(s, { name: 'x' }, { mp3: 100, picture: 10_485_761 });
    const mp3 = await upload(s, { name: 'x' }, { mp3: 1001 });
    for (const [answer, field] of [
      [picture, 'picture'],
      [mp3, 'mp3'],
    ] as const) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        type: 'UploadFormException',
        message: expect.stringMatching(new RegExp(`^${field}: `)),
        details: { [field]: [expect.stringContaining('at most')] },
      });
    }
    // Exactly at the limits is fine, and the picture is kept; the refused one left no blob behind.
    expect((await upload(s, { name: 'At the limit' }, { mp3: 1000, picture: 10_485_760 })).status).toBe(200);
    expect(blobCount(s)).toBe(blobs + 1);
  });

  it('§2.11 size limits: after 100 Continue, an oversize mp3 is answered before the client has sent it all', async () => {
    const s = await start({ mp3MaxSize: 1000 });
    const boundary = 'mediaferry-boundary';
    const head = multipartHead(boundary);
    const declared = 50_000_000;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${s.url}/upload/?${token}`, {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + declared + boundary.length + 8),
          expect: '100-continue',
        },
      });
      req.on('continue', () => {
        // 64 KiB of a declared 50 MB, then nothing more: the answer must not wait for the rest.
        req.write(head);
        req.write(new Uint8Array(64 * 1024));
      });
      req.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => {
          req.destroy();
          resolve({ status: response.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error.details.mp3).toHaveLength(1);
    // The emulator goes on serving.
    expect((await s.call('/bob/')).status).toBe(200);
  });

  it('§2.11 publish_date: a scheduled show is hidden, and 404 to others, until the virtual clock reaches it', async () => {
    const s = await start();
    const when = new Date(s.emulator.context.clock.now() + DAY).toISOString().slice(0, 19);
    const made = await upload(s, { name: 'Tomorrow Show', publish_date: `${when}Z` });
    expect(made.status).toBe(200);
    const key = made.body.result.key as string;
    expect((await s.json(key)).status).toBe(404);
    expect((await s.json(`${key}?${token}`)).status).toBe(200);
    expect((await s.json(`${key}?access_token=bob-token`)).status).toBe(404);
    expect(keysOf((await s.json('/ferry/cloudcasts/?limit=100')).body)).not.toContain(key);
    expect(keysOf((await s.json('/new/?limit=100')).body)).not.toContain(key);
    expect((await s.json(`${key}favorite/?access_token=bob-token`, { method: 'POST' })).status).toBe(404);
    await s.advanceClock(DAY + 1000);
    expect((await s.json(key)).status).toBe(200);
    expect(keysOf((await s.json('/ferry/cloudcasts/?limit=1')).body)).toEqual([key]);
    expect(keysOf((await s.json('/new/?limit=1')).body)).toEqual([key]);
    // Pro only, UTC `YYYY-MM-DDTHH:MM:SSZ` only; an unlisted upload ignores it and is reachable at once.
    expect(
      (await upload(s, { name: 'b', publish_date: `${when}Z` }, undefined, 'access_token=bob-token')).status,
    ).toBe(400);
    expect(
      (await upload(s, { name: 'c', publish_date: `${when}+02:00` })).body.error.details.publish_date,
    ).toBeDefined();
    const unlisted = await upload(s, {
      name: 'Private link',
      unlisted: '1',
      publish_date: '2099-01-01T00:00:00Z',
    });
    expect((await s.json(unlisted.body.result.key)).status).toBe(200);
    expect(keysOf((await s.json('/ferry/cloudcasts/?limit=100')).body)).not.toContain(
      unlisted.body.result.key,
    );
  });

  it('§2.12 unpublish moves a show to drafts (hidden, 404 to others); publish brings it back; one of them per request', async () => {
    const s = await start();
    const key = '/ferry/ferry-session-2/';
    expect((await edit(s, key, { unpublish: '1' })).status).toBe(200);
    expect((await s.json(key)).status).toBe(404);
    expect((await s.json(`${key}?${token}`)).status).toBe(200);
    expect(keysOf((await s.json('/ferry/cloudcasts/?limit=100')).body)).not.toContain(key);
    expect((await s.json('/ferry/?metadata=1')).body.cloudcast_count).toBe(8);
    expect((await edit(s, key, { publish: '1', unpublish: '1' })).body.error.details.unlisted).toBeDefined();
    expect((await edit(s, key, { publish: '1' })).status).toBe(200);
    expect(keysOf((await s.json('/ferry/cloudcasts/?limit=100')).body)).toContain(key);
    // A show that has been public ignores a later publish_date.
    expect((await edit(s, key, { publish_date: '2099-01-01T00:00:00Z' })).status).toBe(200);
    expect((await s.json(key)).status).toBe(200);
  });

  it('§2.2 /genres/<tag>/, city:, and <tag>+city: forms, with their lists', async () => {
    const s = await start();
    s.emulator.context.state.users.harbour!.city = 'Piraeus';
    const jazz = await s.json('/genres/jazz/?metadata=1');
    expect(jazz.status).toBe(200);
    expect(jazz.body).toMatchObject({ name: 'Jazz shows', type: 'tag', key: '/discover/jazz/' });
    expect(Object.keys(jazz.body.metadata.connections)).toEqual(['popular', 'latest']);
    const latest = (await s.json('/genres/jazz/latest/?limit=100')).body;
    expect(latest.data.length).toBeGreaterThan(0);
    expect(latest.data.every((cc: Json) => cc.tags.some((t: Json) => t.name === 'Jazz shows'))).toBe(true);
    const city = await s.json('/genres/city:piraeus/?metadata=1');
    expect(city.body).toMatchObject({
      key: '/genres/city:piraeus/',
      name: 'Shows from Piraeus',
      type: 'tag',
    });
    const fromCity = keysOf((await s.json('/genres/city:piraeus/latest/?limit=100')).body);
    expect(fromCity).toHaveLength(9);
    expect(fromCity.every((key) => key.startsWith('/harbour/'))).toBe(true);
    expect(keysOf((await s.json('/discover/city:piraeus/latest/?limit=100')).body)).toEqual(fromCity);
    const both = keysOf((await s.json('/genres/jazz+city:piraeus/latest/?limit=100')).body);
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((key) => fromCity.includes(key) && keysOf(latest).includes(key))).toBe(true);
    expect((await s.json('/genres/jazz+city:piraeus/?metadata=1')).body.name).toBe('Jazz shows in Piraeus');
    expect((await s.json('/genres/jazz/hottest/')).status).toBe(404);
  });

  it('§2.5 date paging never drops or repeats an item, even for entries made in the same millisecond', async () => {
    const s = await start();
    const state = s.emulator.context.state;
    // Fresh favorites made through the API, then a few forced onto one millisecond and one second.
    const shows = Object.keys(state.cloudcasts).filter(
      (k) => !k.startsWith('/ferry/') && !k.startsWith('/chris/'),
    );
    for (const key of shows.slice(0, 12))
      expect((await s.json(`${key}favorite/?${token}`, { method: 'POST' })).status).toBe(200);
    const fresh = state.favorites.filter((f) => f.from === 'ferry').slice(-12);
    const base = fresh[0]!.at;
    fresh.slice(0, 5).forEach((f) => {
      f.at = base + 123;
    });
    fresh.slice(5, 8).forEach((f, i) => {
      f.at = base + 1000 + i * 7;
    });
    const all = keysOf((await s.json('/ferry/favorites/?offset=0&limit=100')).body);
    expect(new Set(all).size).toBe(all.length);
    for (const limit of [1, 2, 3, 5]) {
      const forward: string[] = [];
      let page = (await s.json(`/ferry/favorites/?limit=${limit}`)).body;
      let last = page;
      for (;;) {
        forward.push(...keysOf(page));
        last = page;
        if (!page.paging?.next) break;
        page = (await s.json(new URL(page.paging.next).pathname + new URL(page.paging.next).search)).body;
      }
      expect(forward, `limit ${limit}`).toEqual(all);
      const backward: string[] = [];
      for (let back = last; back.paging?.previous; ) {
        back = (await s.json(new URL(back.paging.previous).pathname + new URL(back.paging.previous).search))
          .body;
        backward.unshift(...keysOf(back));
      }
      expect([...backward, ...keysOf(last)], `limit ${limit} backward`).toEqual(all);
    }
  });

  it('§2.13 OAuth without redirect_uri shows the code to the user; it buys a token without redirect_uri', async () => {
    const s = await start();
    const page = await s.call('/oauth/authorize?client_id=mf-demo-client');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const code = /<code id="code">([0-9a-f]+)<\/code>/.exec(await page.text())?.[1];
    expect(code).toBeDefined();
    const exchanged = await s.json(
      `/oauth/access_token?client_id=mf-demo-client&client_secret=mf-demo-secret&code=${code}`,
    );
    expect(exchanged.status).toBe(200);
    expect((await s.json(`/me/?access_token=${exchanged.body.access_token}`)).body.username).toBe('ferry');
    // A redirect_uri the app did not register is still refused.
    expect(
      (await s.json('/oauth/authorize?client_id=mf-demo-client&redirect_uri=http://evil.test/')).status,
    ).toBe(400);
  });

  it('§2.9 embed-json honours callback (JSONP)', async () => {
    const s = await start();
    const response = await s.call('/ferry/ferry-session-1/embed-json/?callback=showWidget');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    const text = await response.text();
    expect(text).toMatch(/^showWidget\(\{"html":"<iframe .*\}\)$/);
    expect(JSON.parse(text.slice('showWidget('.length, -1)).html).toContain(
      'feed=%2Fferry%2Fferry-session-1%2F',
    );
  });

  it('§2.2 non-ASCII names keep their letters in the slug, percent-encoded in key and url', async () => {
    const s = await start();
    const made = await upload(s, { name: 'Καλημέρα Mix' });
    const key = `/ferry/${encodeURIComponent('καλημέρα-mix')}/`;
    expect(made.body.result.key).toBe(key);
    const show = await s.json(`${key}?metadata=1`);
    expect(show.status).toBe(200);
    expect(show.body).toMatchObject({ key, url: `https://www.mixcloud.com${key}`, slug: 'καλημέρα-mix' });
    expect(show.body.metadata.connections.comments).toBe(`${s.url}${key}comments/`);
    expect(keysOf((await s.json('/ferry/cloudcasts/?limit=1')).body)).toEqual([key]);
    expect((await edit(s, key, { description: 'Γεια' })).status).toBe(200);
  });

  it('§2.16 GET / with a token answers {}', async () => {
    const s = await start();
    expect(await s.json(`/?${token}`)).toMatchObject({ status: 200, body: {} });
    expect((await s.json('/?access_token=revoked')).body.error.type).toBe('OAuthException');
  });

  it('§2.3 track sections carry position, and key/url/slug on the track and its artist', async () => {
    const s = await start();
    const made = await upload(s, {
      name: 'Tracklist',
      'sections-0-chapter': 'Intro',
      'sections-0-start_time': '0',
      'sections-1-artist': 'Björk',
      'sections-1-song': 'Army of Me',
      'sections-1-start_time': '95',
    });
    const sections = (await s.json(made.body.result.key)).body.sections;
    expect(sections).toEqual([
      { chapter: 'Intro', position: 1, start_time: 0, section_type: 'chapter' },
      {
        track: {
          name: 'Army of Me',
          slug: 'army-of-me',
          key: '/track/bj%C3%B6rk/army-of-me/',
          url: 'https://www.mixcloud.com/track/bj%C3%B6rk/army-of-me/',
          artist: {
            name: 'Björk',
            slug: 'björk',
            key: '/artist/bj%C3%B6rk/',
            url: 'https://www.mixcloud.com/artist/bj%C3%B6rk/',
          },
        },
        position: 2,
        start_time: 95,
        section_type: 'track',
      },
    ]);
  });

  it('§2.11 hosts-X-username: X is 0–1 only, Pro only, unknown users ignored, an empty hosts-0 removes them all', async () => {
    const s = await start();
    const hostsOf = (key: string) => s.emulator.context.state.cloudcasts[key]?.hosts;
    expect(
      (await upload(s, { name: 'x', 'hosts-5-username': 'bob' })).body.error.details.hosts,
    ).toBeDefined();
    expect(
      (await upload(s, { name: 'x', 'hosts-0-username': 'ferry' }, undefined, 'access_token=bob-token'))
        .status,
    ).toBe(400);
    const made = await upload(s, {
      name: 'Hosted',
      'hosts-0-username': 'bob',
      'hosts-1-username': 'nobody-here',
    });
    expect(made.status).toBe(200);
    expect(hostsOf('/ferry/hosted/')).toEqual(['bob']);
    expect(
      (await edit(s, '/ferry/hosted/', { 'hosts-0-username': 'chris', 'hosts-1-username': 'may' })).status,
    ).toBe(200);
    expect(hostsOf('/ferry/hosted/')).toEqual(['chris', 'may']);
    expect((await edit(s, '/ferry/hosted/', { 'hosts-0-username': '' })).status).toBe(200);
    expect(hostsOf('/ferry/hosted/')).toEqual([]);
  });

  it('§1.9 comment keys are /comments/cr/<a>/<b>/<id>/', async () => {
    const s = await start();
    const comments = [
      ...(await s.json('/bob/comments/?metadata=1')).body.data,
      ...(await s.json('/ferry/ferry-session-1/comments/?metadata=1')).body.data,
    ];
    expect(comments.length).toBeGreaterThan(0);
    for (const comment of comments) {
      expect(comment.key).toMatch(/^\/comments\/cr\/\d+\/\d+\/[0-9a-f]+\/$/);
      expect(comment.url).toBe(`https://www.mixcloud.com${comment.key}`);
      expect(comment.type).toBe('comment');
    }
  });
});

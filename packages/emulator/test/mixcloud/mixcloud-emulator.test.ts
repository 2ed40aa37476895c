import { describe, expect, it } from 'vitest';
import { createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '../../src/index.js';

const ORIGIN = 'http://api.mc.test';
// biome-ignore lint/suspicious/noExplicitAny: wire JSON read loosely in assertions
type Json = Record<string, any>;

function mixcloud(options: Record<string, unknown> = {}) {
  const emulator = createEmulator(mixcloudService, { seed: 'demo', options });
  const call = (path: string, init?: RequestInit) =>
    emulator.fetch(`${ORIGIN}${path}`, { redirect: 'manual', ...init });
  const json = async (path: string, init?: RequestInit) => {
    const response = await call(path, init);
    return { status: response.status, body: (await response.json()) as Json };
  };
  return { emulator, call, json };
}

const token = `access_token=${MIXCLOUD_DEMO_TOKEN}`;

describe('Mixcloud emulator (spec part 2 and 3)', () => {
  it('redirects a GET without its trailing slash, keeping the query', async () => {
    const { call } = mixcloud();
    const response = await call('/bob?metadata=1');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/bob/?metadata=1');
  });

  it('adds type and metadata.connections only with metadata=1', async () => {
    const { json } = mixcloud();
    const plain = (await json('/bob/')).body;
    expect(plain.type).toBeUndefined();
    expect(plain.metadata).toBeUndefined();
    const meta = (await json('/bob/?metadata=1')).body;
    expect(meta.type).toBe('user');
    expect(meta.metadata.connections.followers).toBe(`${ORIGIN}/bob/followers/`);
  });

  it('pages by date by default and by offset when asked; links keep params sorted; empty lists have no paging', async () => {
    const { json } = mixcloud();
    const first = (await json('/new/?limit=5&metadata=1')).body;
    expect(first.data).toHaveLength(5);
    expect(first.paging.next).toMatch(
      /^http:\/\/api\.mc\.test\/new\/\?limit=5&metadata=1&until=\d{4}-\d{2}-\d{2}\+\d{2}%3A\d{2}%3A\d{2}$/,
    );
    const second = (await json(first.paging.next.slice(ORIGIN.length))).body;
    const times = [...first.data, ...second.data].map((c: Json) => Date.parse(c.created_time));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set([...first.data, ...second.data].map((c: Json) => c.key)).size).toBe(10);
    const byOffset = (await json('/new/?limit=5&offset=5')).body;
    expect(byOffset.data.map((c: Json) => c.key)).toEqual(second.data.map((c: Json) => c.key));
    expect(byOffset.paging.previous).toBe(`${ORIGIN}/new/?limit=5&offset=0`);
    const empty = (await json('/bob/playlists/')).body;
    expect(empty).toEqual({ data: [], name: "Bob's playlists" });
  });

  it('answers OAuthException (status configurable) and ResourceNotFoundException', async () => {
    const { json } = mixcloud();
    expect(await json('/me/')).toEqual({
      status: 400,
      body: {
        error: { type: 'OAuthException', message: 'An access_token is required to access this resource.' },
      },
    });
    expect((await json('/me/?access_token=nope')).body.error.message).toBe(
      'An invalid access token was provided.',
    );
    expect((await json('/nobody/')).status).toBe(404);
    const strict = mixcloud({ oauthErrorStatus: 401 });
    expect((await strict.json('/me/')).status).toBe(401);
  });

  it('rate limits with 403, Retry-After and retry_after', async () => {
    const { call } = mixcloud({ rateLimitPerMinute: 1 });
    await call('/bob/');
    const limited = await call('/bob/');
    expect(limited.status).toBe(403);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({
      error: { type: 'RateLimitException', retry_after: expect.any(Number) },
    });
  });

  it('wraps JSON for a JSONP callback', async () => {
    const { call } = mixcloud();
    const response = await call('/bob/?callback=show');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(await response.text()).toMatch(/^show\(\{.*\}\)$/);
  });

  it('validates uploads: multipart only, at most 5 tags, Pro-only fields, an mp3 required', async () => {
    const { json } = mixcloud();
    const form = (fields: Record<string, string>, mp3 = true) => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.set(k, v);
      if (mp3) body.set('mp3', new Blob([new Uint8Array(100)]), 'a.mp3');
      return body;
    };
    expect(
      (await json(`/upload/?${token}`, { method: 'POST', body: new URLSearchParams({ name: 'x' }) })).status,
    ).toBe(400);
    expect(
      (await json(`/upload/?${token}`, { method: 'POST', body: form({ name: 'x' }, false) })).body.error
        .message,
    ).toMatch(/^mp3/);
    const six = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`tags-${i}-tag`, `t${i}`]));
    expect(
      (await json(`/upload/?${token}`, { method: 'POST', body: form({ name: 'x', ...six }) })).body.error
        .message,
    ).toMatch(/^tags/);
    const ok = await json(`/upload/?${token}`, {
      method: 'POST',
      body: form({ name: 'Dup Name', hide_stats: '1' }),
    });
    expect(ok.body.result).toMatchObject({ success: true, key: '/ferry/dup-name/' });
    const dup = await json(`/upload/?${token}`, { method: 'POST', body: form({ name: 'Dup Name' }) });
    expect(dup.body.result.key).toBe('/ferry/dup-name-2/');
  });

  it('edit accepts urlencoded unless told not to, and replaces tags wholesale', async () => {
    const { json } = mixcloud();
    const edited = await json(`/upload/ferry/ferry-session-1/edit/?${token}`, {
      method: 'POST',
      body: new URLSearchParams({ 'tags-0-tag': 'dub' }),
    });
    expect(edited.body.result.success).toBe(true);
    expect((await json('/ferry/ferry-session-1/')).body.tags.map((t: Json) => t.name)).toEqual(['Dub shows']);
    const strict = mixcloud({ acceptUrlencodedEdit: false });
    expect(
      (
        await strict.json(`/upload/ferry/ferry-session-1/edit/?${token}`, {
          method: 'POST',
          body: new URLSearchParams({ name: 'x' }),
        })
      ).status,
    ).toBe(400);
  });

  it('OAuth: authorize redirects with a single-use code, or denies when configured', async () => {
    const { call, json } = mixcloud();
    const redirect = await call(
      '/oauth/authorize?client_id=mf-demo-client&redirect_uri=http://localhost:8765/callback',
    );
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const params = `client_id=mf-demo-client&redirect_uri=http://localhost:8765/callback&client_secret=mf-demo-secret&code=${code}`;
    const first = await json(`/oauth/access_token?${params}`);
    expect(first.body.access_token).toMatch(/^[0-9a-f]{32}$/);
    expect(await json(`/oauth/access_token?${params}`)).toEqual({
      status: 400,
      body: { error: 'invalid_grant' },
    });
    const denying = mixcloud({ autoApprove: false });
    const denied = await denying.call(
      '/oauth/authorize?client_id=mf-demo-client&redirect_uri=http://localhost:8765/callback',
    );
    expect(denied.headers.get('location')).toContain('error=access_denied');
  });
});

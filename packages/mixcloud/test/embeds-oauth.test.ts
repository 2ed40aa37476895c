/**
 * `mixcloud.embeds`, `mixcloud.oembed` and `mixcloud.oauth` against the emulator (which serves the widget,
 * oEmbed and OAuth under its own URL).
 */
import { inspect } from 'node:util';
import { InvalidInputError } from '@mediaferry/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MixcloudError, MixcloudOAuthError } from '../src/index.js';
import { ROOT, setup } from './support/setup.js';

describe('embeds and oEmbed', () => {
  it('the widget as JSON and HTML, with the display asked, without the token', async () => {
    const { client, requests } = setup();
    const json = await client.embeds.json('bob/bob-mix-1', { height: 60, color: 'ff0000' });
    expect(json.html).toContain('mini=1');
    expect(await client.embeds.html({ username: 'bob', slug: 'bob-mix-1' }, { width: 300 })).toMatch(
      /^<iframe width="300"/,
    );
    expect(requests.map((r) => r.url)).toEqual([
      `${ROOT}/bob/bob-mix-1/embed-json/?height=60&color=ff0000`,
      `${ROOT}/bob/bob-mix-1/embed-html/?width=300`,
    ]);
    for (const display of [{ color: '#fff' }, { width: 0 }, { height: 1.5 }])
      await expect(client.embeds.json('bob/bob-mix-1', display)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('oEmbed of a show as JSON (typed) or XML (text), or of a page given by its URL', async () => {
    const { client, requests } = setup();
    const oembed = await client.oembed('bob/bob-mix-1', { width: 400 });
    expect(oembed).toMatchObject({ type: 'rich', title: 'bob mix 1', provider_name: 'Mixcloud', width: 400 });
    const xml: string = await client.oembed('bob/bob-mix-1', { format: 'xml' });
    expect(xml).toMatch(/^<\?xml.*<title>bob mix 1<\/title>/);
    await client.oembed('https://www.mixcloud.com/bob/bob-mix-1/');
    expect(requests.map((r) => new URL(r.url).searchParams.get('url'))).toEqual([
      `${ROOT}/bob/bob-mix-1/`,
      `${ROOT}/bob/bob-mix-1/`,
      'https://www.mixcloud.com/bob/bob-mix-1/',
    ]);
    expect(
      requests.every((r) => new URL(r.url).pathname === '/oembed/' && !r.url.includes('access_token')),
    ).toBe(true);
    await expect(client.oembed('bob/bob-mix-1', { format: 'yaml' as 'json' })).rejects.toThrow(
      'Invalid format',
    );
    await expect(client.oembed('bob/nothing-here')).rejects.toBeInstanceOf(MixcloudError);
  });
});

describe('oauth', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('authorizeUrl, then exchange: the code buys a token once; a client with it is the user', async () => {
    const { client, emulator } = setup({
      accessToken: null,
      clientId: 'mf-demo-client',
      clientSecret: 'mf-demo-secret',
    });
    const redirectUri = 'http://localhost:8765/callback';
    const url = client.oauth.authorizeUrl({ redirectUri });
    expect(url).toBe(`${ROOT}/oauth/authorize?client_id=mf-demo-client&redirect_uri=${redirectUri}`);
    const back = await emulator.fetch(url, { redirect: 'manual' });
    const code = new URL(back.headers.get('location')!).searchParams.get('code')!;
    const { accessToken } = await client.oauth.exchange({ code, redirectUri });
    expect((await client.withOptions({ accessToken }).users.me()).username).toBe('ferry');
    const again = await client.oauth.exchange({ code, redirectUri }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MixcloudOAuthError);
    expect(again).toBeInstanceOf(MixcloudError);
    expect(again).toMatchObject({ status: 400, type: 'invalid_grant' });
    expect(inspect(again, { depth: 6 }) + JSON.stringify(again) + String(again)).not.toContain(
      'mf-demo-secret',
    );
    expect(client.oauth.authorizeUrl()).toBe(`${ROOT}/oauth/authorize?client_id=mf-demo-client`);
  });

  it('the app credentials: options, else MIXCLOUD_CLIENT_ID / MIXCLOUD_CLIENT_SECRET, else InvalidInputError', async () => {
    vi.stubEnv('MIXCLOUD_CLIENT_ID', '');
    vi.stubEnv('MIXCLOUD_CLIENT_SECRET', '');
    const bare = setup({ accessToken: null }).client;
    expect(() => bare.oauth.authorizeUrl()).toThrow(/clientId.*MIXCLOUD_CLIENT_ID/);
    vi.stubEnv('MIXCLOUD_CLIENT_ID', 'from-env');
    const half = setup({ accessToken: null });
    expect(half.client.oauth.authorizeUrl()).toContain('client_id=from-env');
    await expect(half.client.oauth.exchange({ code: 'x' })).rejects.toThrow(/MIXCLOUD_CLIENT_SECRET/);
    vi.stubEnv('MIXCLOUD_CLIENT_SECRET', 'env-secret');
    const whole = setup({ accessToken: null });
    await expect(whole.client.oauth.exchange({ code: '' })).rejects.toBeInstanceOf(InvalidInputError);
    const refused = await whole.client.oauth.exchange({ code: 'nope' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ type: 'invalid_client' });
    expect(String(refused) + JSON.stringify(refused)).not.toContain('env-secret');
    expect(half.requests.length + whole.requests.length).toBe(1);
  });
});

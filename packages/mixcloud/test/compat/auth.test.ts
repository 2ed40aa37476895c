/**
 * aiomixcloud's `MixcloudOAuth` (spec mixcloud.md §1.3, the seed's test_auth.py) against the emulator: the
 * authorization URL strings, the exact exchange, the session used, and the raise/undefined matrix.
 */
import { ApiError } from '@mediaferry/core';
import { createEmulator, mixcloudService } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import { Mixcloud, MixcloudOAuth, MixcloudOAuthError } from '../../src/compat/aiomixcloud/index.js';

const ROOT = 'http://api.mixcloud.test';
const REDIRECT = 'http://localhost:8765/callback';

function setup() {
  const emulator = createEmulator(mixcloudService, { seed: 'demo' });
  const seen: string[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(`${request.method} ${request.url}`);
    return emulator.fetch(request);
  };
  const oauth = (options: ConstructorParameters<typeof MixcloudOAuth>[1] = {}) =>
    new MixcloudOAuth(`${ROOT}/oauth`, {
      clientId: 'mf-demo-client',
      clientSecret: 'mf-demo-secret',
      redirectUri: REDIRECT,
      fetch,
      ...options,
    });
  const code = async () => {
    const redirect = await emulator.fetch(oauth().authorizationUrl, { redirect: 'manual' });
    return new URL(redirect.headers.get('location')!).searchParams.get('code')!;
  };
  return { emulator, fetch, seen, oauth, code };
}

describe('MixcloudOAuth', () => {
  it('builds the authorization URL as aiomixcloud does (readable : and /, root with or without slash)', () => {
    expect(
      new MixcloudOAuth({ clientId: 'ks76vqq0', redirectUri: 'http://test.com/code/' }).authorizationUrl,
    ).toBe('https://www.mixcloud.com/oauth/authorize?client_id=ks76vqq0&redirect_uri=http://test.com/code/');
    expect(
      new MixcloudOAuth('https://mixcloud.com/auth/', {
        clientId: 'a b',
        redirectUri: 'http://x.test/?q=1&r=2',
      }).authorizationUrl,
    ).toBe('https://mixcloud.com/auth/authorize?client_id=a+b&redirect_uri=http://x.test/?q%3D1%26r%3D2');
    expect(() => new MixcloudOAuth({ redirectUri: 'x' }).authorizationUrl).toThrow('client_id must be set');
    expect(() => new MixcloudOAuth({ clientId: 'x' }).authorizationUrl).toThrow('redirect_uri must be set');
  });

  it('trades a code with the exact GET parameters, once; the token works', async () => {
    const { oauth, code, seen, fetch } = setup();
    const token = await oauth().accessToken(await code());
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    const exchange = new URL(seen.at(-1)!.split(' ')[1]!);
    expect(`${exchange.origin}${exchange.pathname}`).toBe(`${ROOT}/oauth/access_token`);
    expect([...exchange.searchParams.keys()]).toEqual(['client_id', 'redirect_uri', 'client_secret', 'code']);
    const mixcloud = new Mixcloud(ROOT, { accessToken: token, fetch });
    expect((await mixcloud.me()).key).toBe('/ferry/');
    await expect(new MixcloudOAuth({ clientId: 'a', redirectUri: 'b' }).accessToken('c')).rejects.toThrow(
      'client_secret must be set',
    );
  });

  it('the raise matrix: raiseExceptions true throws, false gives undefined, unset follows the mixcloud object', async () => {
    const { oauth, code, fetch } = setup();
    const used = await code();
    await oauth().accessToken(used);
    expect(await oauth().accessToken(used)).toBeUndefined();
    expect(await oauth({ raiseExceptions: false }).accessToken(used)).toBeUndefined();
    const thrown = await oauth({ raiseExceptions: true })
      .accessToken(used)
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(MixcloudOAuthError);
    expect(thrown).toBeInstanceOf(ApiError);
    expect(String(thrown)).toBe('invalid_grant');
    expect(String(thrown) + JSON.stringify(thrown)).not.toContain('mf-demo-secret');
    const quiet = new Mixcloud(ROOT, { fetch });
    const loud = new Mixcloud(ROOT, { fetch, raiseExceptions: true });
    expect(await oauth({ mixcloud: quiet }).accessToken(used)).toBeUndefined();
    await expect(oauth({ mixcloud: loud }).accessToken(used)).rejects.toBeInstanceOf(MixcloudOAuthError);
    expect(await oauth({ mixcloud: loud, raiseExceptions: false }).accessToken(used)).toBeUndefined();
    await expect(oauth({ mixcloud: quiet, raiseExceptions: true }).accessToken(used)).rejects.toBeInstanceOf(
      MixcloudOAuthError,
    );
  });

  it("uses the mixcloud object's session when given (closing it ends the exchange), else a temporary one", async () => {
    const { oauth, code, fetch } = setup();
    const mixcloud = new Mixcloud(ROOT, { fetch });
    const flow = oauth({ mixcloud, fetch: async () => Response.error() });
    expect(await flow.accessToken(await code())).toMatch(/^[0-9a-f]{32}$/);
    await mixcloud.close();
    await expect(flow.accessToken(await code())).rejects.toThrow('closed');
  });
});

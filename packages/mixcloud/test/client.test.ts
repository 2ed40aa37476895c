/**
 * `MixcloudClient` construction and lifecycle: host and credentials from options or the environment, the
 * roots an emulator serves, per-call options, `withOptions`, `close`, and a token that never shows.
 */
import { inspect } from 'node:util';
import { AbortError, InvalidInputError, type LogFields, ManualClock } from '@mediaferry/core';
import { createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '@mediaferry/emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_ROOT, MIXCLOUD_ROOT, MixcloudClient, OAUTH_ROOT, OEMBED_ROOT } from '../src/index.js';
import { ROOT, setup } from './support/setup.js';

describe('construction', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('baseUrl: the option, else MEDIAFERRY_MIXCLOUD_URL, else the real API (with its site, oEmbed, OAuth)', () => {
    vi.stubEnv('MEDIAFERRY_MIXCLOUD_URL', '');
    expect(new MixcloudClient().roots).toEqual({
      api: API_ROOT,
      site: MIXCLOUD_ROOT,
      oembed: OEMBED_ROOT,
      oauth: OAUTH_ROOT,
    });
    expect(new MixcloudClient({ baseUrl: `${API_ROOT}/` }).roots.site).toBe(MIXCLOUD_ROOT);
    vi.stubEnv('MEDIAFERRY_MIXCLOUD_URL', 'http://127.0.0.1:4010/');
    expect(new MixcloudClient().roots).toEqual({
      api: 'http://127.0.0.1:4010',
      site: 'http://127.0.0.1:4010',
      oembed: 'http://127.0.0.1:4010/oembed',
      oauth: 'http://127.0.0.1:4010/oauth',
    });
    const explicit = new MixcloudClient({ baseUrl: 'http://x.test', siteUrl: 'https://site.test/' });
    expect(explicit.roots).toMatchObject({ api: 'http://x.test', site: 'https://site.test' });
  });

  it('bad roots are an InvalidInputError naming the option or the variable', () => {
    vi.stubEnv('MEDIAFERRY_MIXCLOUD_URL', 'ftp://nope');
    expect(() => new MixcloudClient()).toThrow(/MEDIAFERRY_MIXCLOUD_URL/);
    expect(() => new MixcloudClient({ baseUrl: 'not a url' })).toThrow(InvalidInputError);
    expect(() => new MixcloudClient({ baseUrl: 'http://x.test', oembedUrl: 'oembed' })).toThrow(/oembedUrl/);
  });

  it('the token: the option, else MIXCLOUD_ACCESS_TOKEN; null means none whatever the environment', async () => {
    const { emulator } = setup();
    const seen: string[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push(new URL(request.url).searchParams.get('access_token') ?? '(none)');
      return emulator.fetch(request);
    };
    vi.stubEnv('MIXCLOUD_ACCESS_TOKEN', MIXCLOUD_DEMO_TOKEN);
    await new MixcloudClient({ baseUrl: ROOT, fetch }).users.me();
    await new MixcloudClient({ baseUrl: ROOT, fetch, accessToken: 'from-option' }).users
      .get('bob')
      .catch(() => 0);
    const anonymous = new MixcloudClient({ baseUrl: ROOT, fetch, accessToken: null });
    expect(anonymous.hasAccessToken).toBe(false);
    await anonymous.users.get('bob');
    expect(seen).toEqual([MIXCLOUD_DEMO_TOKEN, 'from-option', '(none)']);
    expect(() => new MixcloudClient({ accessToken: 42 as unknown as string })).toThrow(InvalidInputError);
  });

  it('the token never appears in an error, a log line or the client', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f ?? {})),
      info: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f ?? {})),
      warn: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f ?? {})),
      error: (m: string, f?: LogFields) => lines.push(m + JSON.stringify(f ?? {})),
    };
    const { client } = setup({ accessToken: 'secret-token-xyz', logger, logLevel: 'debug' });
    const error = await client.users.me().catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'OAuthException', status: 400 });
    const shown = [
      inspect(error, { depth: 6 }),
      JSON.stringify(error),
      String(error),
      inspect(client),
      ...lines,
    ];
    expect(lines.length).toBeGreaterThan(0);
    for (const text of shown) expect(text).not.toContain('secret-token-xyz');
  });
});

describe('per-call options, withOptions, close', () => {
  it('headers, signal and maxRetries apply to one call', async () => {
    const { client, requests, emulator } = setup();
    await client.users.get('bob', { headers: { 'x-trace': 'abc' } });
    expect(requests.at(-1)!.headers.get('x-trace')).toBe('abc');
    const aborted = new AbortController();
    aborted.abort();
    await expect(client.users.get('bob', { signal: aborted.signal })).rejects.toBeInstanceOf(AbortError);
    emulator.control.faults.add({ on: 'user', status: 503, count: 2 });
    await expect(client.users.get('bob', { maxRetries: 0 })).rejects.toMatchObject({ status: 503 });
    expect((await client.users.get('bob', { maxRetries: 2 })).username).toBe('bob');
  });

  it('withOptions changes options, keeps the original as it was, and shares the lifetime', async () => {
    const { client, requests } = setup();
    const anonymous = client.withOptions({ accessToken: null, defaultHeaders: { 'x-copy': '1' } });
    expect(anonymous.hasAccessToken).toBe(false);
    expect(client.hasAccessToken).toBe(true);
    await anonymous.users.get('bob');
    expect(new URL(requests.at(-1)!.url).searchParams.has('access_token')).toBe(false);
    expect(requests.at(-1)!.headers.get('x-copy')).toBe('1');
    await client.users.me();
    expect(requests.at(-1)!.headers.get('x-copy')).toBeNull();
    await anonymous.close();
    await expect(client.users.get('bob')).rejects.toThrow('The client was closed');
  });

  it('close() aborts an upload in flight; abort() stops one', async () => {
    const emulator = createEmulator(mixcloudService, { seed: 'demo' });
    let arrived!: () => void;
    const started = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const client = new MixcloudClient({
      baseUrl: ROOT,
      accessToken: MIXCLOUD_DEMO_TOKEN,
      clock: new ManualClock(),
      // The server never answers: only an abort ends the request.
      fetch: (input, init) =>
        new Promise((_resolve, reject) => {
          const request = new Request(input, init);
          arrived();
          request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
          void emulator;
        }),
    });
    const upload = client.cloudcasts.upload({ mp3: new Uint8Array(1000), name: 'Never' });
    await started;
    await client.close();
    await expect(upload.done()).rejects.toBeInstanceOf(AbortError);
    const late = client.cloudcasts.upload({ mp3: new Uint8Array(10), name: 'Late' });
    await expect(late.done()).rejects.toThrow('The client was closed');
    const other = setup().client.cloudcasts.upload({ mp3: new Uint8Array(10), name: 'Stopped' });
    other.abort();
    await expect(other.done()).rejects.toBeInstanceOf(AbortError);
  });
});

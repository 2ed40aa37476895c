/**
 * BigGoClient construction, auth and lifecycle against the BigGo emulator: host and credentials from options
 * or the environment, the client-credentials token (Basic on the token call, Bearer and region after),
 * renewal inside the client that held objects survive, typed auth failures, withOptions, close.
 */
import {
  AbortError,
  AuthenticationError,
  InvalidInputError,
  MediaferryError,
  TimeoutError,
} from '@mediaferry/core';
import { BIGGO_DEMO_CLIENT, BIGGO_OTHER_CLIENT } from '@mediaferry/emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BigGoClient, BigGoError } from '../src/index.js';
import { bigGoEmulator, failure, HOST, setup } from './support.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('construction', () => {
  it('takes the host and credentials from the environment when the options do not give them', async () => {
    const { fetch, seen } = bigGoEmulator();
    vi.stubEnv('MEDIAFERRY_BIGGO_URL', 'http://biggo.from-env.test/');
    vi.stubEnv('BIGGO_CLIENT_ID', BIGGO_DEMO_CLIENT.clientId);
    vi.stubEnv('BIGGO_CLIENT_SECRET', BIGGO_DEMO_CLIENT.clientSecret);
    const biggo = new BigGoClient({ fetch });
    expect(biggo.baseUrl).toBe('http://biggo.from-env.test');
    expect((await biggo.account.permission()).userid).toBe('u1000');
    expect(seen.map((r) => r.url)).toEqual([
      'http://biggo.from-env.test/auth/v1/token',
      'http://biggo.from-env.test/api/v1/video_auth/self',
    ]);
  });

  it('the options win over the environment; without credentials it throws at construction, naming both', () => {
    vi.stubEnv('MEDIAFERRY_BIGGO_URL', 'http://biggo.from-env.test');
    vi.stubEnv('BIGGO_CLIENT_ID', '');
    vi.stubEnv('BIGGO_CLIENT_SECRET', '');
    expect(new BigGoClient({ ...BIGGO_DEMO_CLIENT, baseUrl: HOST }).baseUrl).toBe(HOST);
    expect(new BigGoClient({ ...BIGGO_DEMO_CLIENT }).baseUrl).toBe('http://biggo.from-env.test');
    const missing = (() => {
      try {
        new BigGoClient({ clientId: 'only-the-id' });
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(InvalidInputError);
    expect(missing).toMatchObject({ field: 'clientSecret' });
    expect(String(missing)).toContain('BIGGO_CLIENT_SECRET');
    expect(() => new BigGoClient({ ...BIGGO_DEMO_CLIENT, baseUrl: 'ftp://x' })).toThrow(InvalidInputError);
    expect(() => new BigGoClient({ ...BIGGO_DEMO_CLIENT, region: '' })).toThrow(/region/);
    expect(
      () => new BigGoClient({ ...BIGGO_DEMO_CLIENT, verifySsl: false, fetch: async () => new Response() }),
    ).toThrow(/verifySsl/);
  });

  it('the token call is Basic with grant_type=client_credentials and no region; API calls carry Bearer and region', async () => {
    const { biggo, seen } = setup();
    const permission = await biggo.account.permission();
    expect(permission).toMatchObject({
      result: true,
      userid: 'u1000',
      at_userid: 'ferrystudio',
      region: 'tw',
    });
    const [token, call] = seen;
    expect(token!.url).toBe(`${HOST}/auth/v1/token`);
    expect(token!.headers.get('authorization')).toBe(
      `Basic ${Buffer.from(`${BIGGO_DEMO_CLIENT.clientId}:${BIGGO_DEMO_CLIENT.clientSecret}`).toString('base64')}`,
    );
    expect(token!.headers.get('region')).toBeNull();
    expect(await token!.text()).toBe('grant_type=client_credentials');
    expect(call!.headers.get('authorization')).toMatch(/^Bearer eyJ/);
    expect(call!.headers.get('region')).toBe('tw');
  });
});

describe('per-call options', () => {
  it('headers are added (over the region), a timeout ends the call with TimeoutError, maxRetries is honoured', async () => {
    const { biggo, emulator, seen, calls } = setup();
    await biggo.account.permission({ headers: { 'x-trace': 'abc', region: 'jp' } });
    expect(seen.at(-1)!.headers.get('x-trace')).toBe('abc');
    expect(seen.at(-1)!.headers.get('region')).toBe('jp');
    emulator.control.wireFaults.add({ on: 'has_permission', kind: 'stall', ms: 60_000 });
    const slow = await failure(biggo.account.permission({ timeout: 50, maxRetries: 0 }));
    expect(slow).toBeInstanceOf(TimeoutError);
    emulator.control.faults.add({ on: 'has_permission', status: 503, count: 2 });
    expect(await failure(biggo.account.permission({ maxRetries: 0 }))).toMatchObject({ status: 503 });
    expect(calls().filter((c) => c === 'has_permission:503')).toHaveLength(1);
  });
});

describe('the token is renewed inside the client', () => {
  it('once for 10 concurrent calls after it expired, replaying each with the new header', async () => {
    const { biggo, emulator, calls, seen } = setup();
    await biggo.account.permission();
    const first = seen.at(-1)!.headers.get('authorization');
    emulator.control.clock.advance(3_601_000);
    const results = await Promise.all(Array.from({ length: 10 }, () => biggo.account.permission()));
    expect(results.every((r) => r.result)).toBe(true);
    expect(calls().filter((c) => c.startsWith('token'))).toEqual(['token:200', 'token:200']);
    expect(calls().filter((c) => c === 'has_permission:401')).toHaveLength(10);
    expect(seen.at(-1)!.headers.get('authorization')).not.toBe(first);
  });

  it('before expiry on the client clock (30 s early), and objects held from before keep working', async () => {
    const { biggo, clock, calls } = setup();
    const videos = biggo.videos;
    const listing = videos.list({ pageSize: 5 });
    expect((await listing.firstPage()).items).toHaveLength(5);
    clock.advance(3_600_000 - 29_000);
    expect((await videos.list({ pageSize: 50 }).toArray({ limit: 100 })).length).toBe(45);
    expect(await listing.toArray({ limit: 7 })).toHaveLength(7);
    expect(calls().filter((c) => c.startsWith('token'))).toEqual(['token:200', 'token:200']);
    expect(calls().filter((c) => c.endsWith(':401'))).toEqual([]);
  });
});

describe('auth failures are typed BigGoErrors, with no secret in them', () => {
  it('a wrong secret: 401, code 1005, never retried', async () => {
    const secret = 'not-the-secret-42';
    const { biggo, calls } = setup({}, { clientId: BIGGO_DEMO_CLIENT.clientId, clientSecret: secret });
    const error = await failure(biggo.account.permission());
    expect(error).toBeInstanceOf(BigGoError);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: '1005', errorCode: 1005 });
    expect((error as BigGoError).response).toEqual({
      result: false,
      error: { code: 1005, message: 'App key does not match' },
    });
    expect(String(error) + JSON.stringify(error)).not.toContain(secret);
    expect(calls()).toEqual(['token:401']);
  });

  it('an unknown client: 1005 by default, 1003 APP_KEY_NOT_EXIST when the emulator says so', async () => {
    for (const [code, expected] of [
      [1005, 1005],
      [1003, 1003],
    ] as const) {
      const { biggo } = setup({ unknownClientCode: code }, { clientId: 'nobody', clientSecret: 'nothing' });
      expect(await failure(biggo.account.permission())).toMatchObject({ status: 401, errorCode: expected });
    }
  });
});

describe('withOptions', () => {
  it('shares the token with the client it came from; other credentials get their own', async () => {
    const { biggo, calls, seen } = setup();
    await biggo.account.permission();
    const regional = biggo.withOptions({ region: 'jp', timeout: 5_000 });
    expect((await regional.account.permission()).region).toBe('jp');
    expect(calls().filter((c) => c.startsWith('token'))).toHaveLength(1);
    const other = biggo.withOptions({ ...BIGGO_OTHER_CLIENT });
    expect((await other.account.permission()).userid).toBe('u2000');
    expect(calls().filter((c) => c.startsWith('token'))).toHaveLength(2);
    expect((await biggo.account.permission()).userid).toBe('u1000');
    expect(seen.at(-1)!.headers.get('region')).toBe('tw');
  });
});

describe('close', () => {
  it('ends a call in flight with AbortError, refuses new ones, and is idempotent', async () => {
    const { biggo, emulator, seen } = setup();
    await biggo.account.permission();
    emulator.control.wireFaults.add({ on: 'user_videos', kind: 'stall', ms: 60_000 });
    const pending = biggo.videos.list().firstPage();
    await vi.waitFor(() => expect(seen.some((r) => r.url.includes('/api/v1/user/'))).toBe(true), {
      interval: 5,
    });
    await biggo.close();
    expect(await failure(pending)).toBeInstanceOf(AbortError);
    const later = await failure(biggo.account.permission());
    expect(later).toBeInstanceOf(AbortError);
    expect(later).toBeInstanceOf(MediaferryError);
    expect(await failure(biggo.videos.upload(new Uint8Array(10)).done())).toBeInstanceOf(AbortError);
    await biggo.close();
  });

  it('await using closes the client at the end of the block', async () => {
    const { fetch } = bigGoEmulator();
    let kept: BigGoClient | undefined;
    {
      await using biggo = new BigGoClient({ ...BIGGO_DEMO_CLIENT, baseUrl: HOST, fetch });
      await biggo.account.permission();
      kept = biggo;
    }
    expect(await failure(kept.account.permission())).toBeInstanceOf(AbortError);
  });
});

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  biggoService,
  createEmulator,
  type Emulator,
  MAX_VIRTUAL_TIME,
  mixcloudService,
  probeService,
} from '../../src/index.js';

const ORIGIN = 'http://probe.test';
const basic = `Basic ${Buffer.from('probe-client:probe-secret').toString('base64')}`;
const open: Emulator[] = [];
afterEach(async () => {
  for (const emulator of open.splice(0)) await emulator.close();
  vi.restoreAllMocks();
});

function probe(options: { data?: string } = {}) {
  const emulator = createEmulator(probeService, options) as Emulator;
  open.push(emulator);
  const call = (path: string, init?: RequestInit) => emulator.fetch(`${ORIGIN}${path}`, init);
  const post = (path: string, body: unknown) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const token = async () =>
    (
      (await (
        await call('/oauth/token', {
          method: 'POST',
          headers: { authorization: basic },
          body: new URLSearchParams({ grant_type: 'client_credentials' }),
        })
      ).json()) as { access_token: string }
    ).access_token;
  return { emulator, call, post, token };
}

/** Everything observable that a refused call must leave alone. */
function snapshot(emulator: Emulator) {
  return JSON.stringify({
    clock: emulator.control.clock.offsetMs,
    faults: emulator.control.faults.list(),
    wire: emulator.control.wireFaults.list(),
    state: emulator.control.dump(),
  });
}

describe('control plane input is checked before anything changes', () => {
  it('refuses a clock jump past year 9999 with 400, and the emulator keeps answering', async () => {
    const { emulator, call, post, token } = probe();
    const before = snapshot(emulator);
    const refused = await post('/__emulator/clock', { advanceMs: 1e16 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(/advanceMs must be .*9999/);
    expect(snapshot(emulator)).toBe(before);
    const clock = await call('/__emulator/clock');
    expect(clock.status).toBe(200);
    expect(((await clock.json()) as { offsetMs: number }).offsetMs).toBe(0);
    const me = await call('/me', { headers: { authorization: `Bearer ${await token()}` } });
    expect(me.status).toBe(200);
    expect((await call('/__emulator/reset', { method: 'POST' })).status).toBe(204);
    expect((await call('/items')).status).toBe(200);
  });

  it.each([
    [{ advanceMs: -1 }, /non-negative whole number/],
    [{ advanceMs: 1.5 }, /whole number/],
    [{ advanceMs: '1000' }, /whole number/],
    [{ advanceMs: null }, /whole number/],
    [{}, /advanceMs is required/],
    [{ advanceMs: 1000, by: 'hours' }, /unknown field by/],
    [[1000], /JSON object/],
    ['{"advanceMs":', /not valid JSON/],
  ])('refuses clock input %j', async (body, reason) => {
    const { emulator, post } = probe();
    const refused = await post('/__emulator/clock', body);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(reason);
    expect(emulator.control.clock.offsetMs).toBe(0);
  });

  it('takes the clock to the last millisecond of 9999 and no further, in-process too', async () => {
    const { emulator, post } = probe();
    expect(() => emulator.control.clock.advance(1e16)).toThrow(RangeError);
    expect(() => emulator.control.clock.advance(Number.NaN)).toThrow(RangeError);
    expect(emulator.control.clock.offsetMs).toBe(0);
    const room = emulator.control.clock.maxAdvanceMs();
    // The wall clock moves between the two calls: aim a second short of the end.
    const moved = await post('/__emulator/clock', { advanceMs: room - 1000 });
    expect(moved.status).toBe(200);
    expect(MAX_VIRTUAL_TIME - emulator.control.clock.now()).toBeLessThanOrEqual(1000);
    expect((await post('/__emulator/clock', { advanceMs: 2000 })).status).toBe(400);
    expect((await probe().call('/items')).status).toBe(200);
  });

  it.each([
    [{ on: 'nowhere', status: 503 }, /on must be \* or an endpoint of this service: .*items/],
    [{ on: 'items', status: 200 }, /status must be a whole number from 400 to 599/],
    [{ on: 'items', status: 600 }, /status/],
    [{ on: 'items', status: '503' }, /status/],
    [{ on: 'items', status: 503, count: 0 }, /count/],
    [{ on: 'items', status: 503, count: 1.5 }, /count/],
    [{ on: 'items', status: 503, count: 1e7 }, /count/],
    [{ on: 'items', status: 503, skip: -1 }, /skip/],
    [{ on: 'items', status: 503, method: 'FETCH' }, /method must be one of/],
    [{ on: 'items', status: 503, retryAfter: -5 }, /retryAfter/],
    [{ on: 'items', status: 503, retryAfter: '1\r\nx-evil: 1' }, /retryAfter/],
    [{ on: 'items', status: 503, headers: { 'bad name': 'x' } }, /not a header name/],
    [{ on: 'items', status: 503, headers: { 'x-a': 'a\nb' } }, /printable/],
    [{ on: 'items', status: 503, headers: { 'content-length': '0' } }, /frames the response/],
    [{ on: 'items', status: 503, headers: ['x'] }, /headers must map/],
    [{ on: 'items', status: 503, cout: 2 }, /unknown field cout/],
    [{ on: '', status: 503 }, /on must be 1-200 characters/],
  ])('refuses HTTP fault %j and arms nothing', async (body, reason) => {
    const { emulator, post, call } = probe();
    const refused = await post('/__emulator/faults', body);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(reason);
    expect(emulator.control.faults.list()).toEqual([]);
    expect((await call('/items')).status).toBe(200);
  });

  it.each([
    [{ on: 'items', kind: 'explode' }, /kind must be one of stall/],
    [{ on: 'items', kind: 'stall', ms: 11 * 60_000 }, /ms must be a whole number from 0 to 600000/],
    [{ on: 'items', kind: 'reset_mid_body', afterBytes: -1 }, /afterBytes/],
    [{ on: 'nowhere', kind: 'stall' }, /endpoint of this service/],
    [{ on: 'items', kind: 'stall', status: 503 }, /unknown field status/],
  ])('refuses wire fault %j and arms nothing', async (body, reason) => {
    const { emulator, post } = probe();
    const refused = await post('/__emulator/wire-faults', body);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(reason);
    expect(emulator.control.wireFaults.list()).toEqual([]);
  });

  it('checks faults armed in-process the same way, and keeps its own copy of what was armed', async () => {
    const { emulator, call } = probe();
    expect(() => emulator.control.faults.add({ on: 'nowhere', status: 503 })).toThrow(
      /endpoint of this service/,
    );
    expect(() => emulator.control.wireFaults.add({ on: 'items', kind: 'stall', ms: -1 })).toThrow(RangeError);
    const spec = { on: 'items', status: 503 };
    emulator.control.faults.add(spec);
    spec.status = 500;
    expect((await call('/items')).status).toBe(503);
  });

  it('refuses an unknown seed, an oversized body and unknown journal filters without touching state', async () => {
    const { emulator, call, post, token } = probe();
    await token();
    const before = snapshot(emulator);
    expect((await post('/__emulator/seed', { name: 'galaxy' })).status).toBe(400);
    expect((await post('/__emulator/seed', { name: 'none', extra: 1 })).status).toBe(400);
    expect((await post('/__emulator/reset', { now: true })).status).toBe(400);
    const huge = await post('/__emulator/faults', { on: 'items', status: 503, message: 'x'.repeat(70_000) });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { error: string }).error).toMatch(/at most 65536 bytes/);
    expect((await call('/__emulator/journal?status=abc')).status).toBe(400);
    expect((await call('/__emulator/journal?colour=red')).status).toBe(400);
    expect(snapshot(emulator)).toBe(before);
    expect(await emulator.control.seed('galaxy').catch((error: Error) => error.message)).toMatch(
      /unknown seed/,
    );
    expect(snapshot(emulator)).toBe(before);
  });

  it('filters the journal by status class', async () => {
    const { call } = probe();
    await call('/items');
    await call('/status/503');
    await call('/status/404');
    const fives = (await (await call('/__emulator/journal?status=5xx')).json()) as {
      entries: Array<{ status: number }>;
    };
    expect(fives.entries.map((e) => e.status)).toEqual([503]);
  });
});

describe('run-time options are checked the same way', () => {
  const post = (emulator: Emulator, body: unknown) =>
    emulator.fetch('http://svc.test/__emulator/options', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a duration that would break every later date, and the service keeps working', async () => {
    const biggo = createEmulator(biggoService, { seed: 'demo' }) as Emulator;
    open.push(biggo);
    const refused = await post(biggo, { processingMs: 1e15 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /processingMs.*must be at most 1000000000000/,
    );
    expect((await biggo.fetch('http://svc.test/__emulator/ui/')).status).toBe(200);
    expect((await post(biggo, { processingMs: 5000 })).status).toBe(200);
  });

  it('refuses text with control characters or beyond 2000 characters, and bodies beyond 64 KiB', async () => {
    const mixcloud = createEmulator(mixcloudService) as Emulator;
    open.push(mixcloud);
    const before = JSON.stringify(mixcloud.control.options.list());
    expect((await post(mixcloud, { uploadMessage: 'ok\r\nx-injected: 1' })).status).toBe(400);
    expect((await post(mixcloud, { uploadMessage: 'x'.repeat(2001) })).status).toBe(400);
    expect((await post(mixcloud, { uploadMessage: 'x'.repeat(70_000) })).status).toBe(400);
    expect(JSON.stringify(mixcloud.control.options.list())).toBe(before);
  });
});

describe('a broken clock never survives a restart', () => {
  it('ignores an invalid clock offset in state.json (one log line) and serves normally', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-clock-'));
    const first = probe({ data });
    await first.token();
    await first.emulator.close();
    const path = join(data, 'probe', 'state.json');
    const saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...saved, clockOffsetMs: 1e16 }));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const second = probe({ data });
    await second.emulator.ready;
    expect(second.emulator.control.clock.offsetMs).toBe(0);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/ignored an invalid clock offset/);
    expect((await second.call('/__emulator/clock')).status).toBe(200);
    expect((await second.call('/items')).status).toBe(200);
    // The repaired clock is what is saved now.
    const repaired = JSON.parse(await readFile(path, 'utf8')) as { clockOffsetMs: number };
    expect(repaired.clockOffsetMs).toBe(0);
  });
});

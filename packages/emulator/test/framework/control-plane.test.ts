import { describe, expect, it } from 'vitest';
import { createEmulator, probeService } from '../../src/index.js';

const ORIGIN = 'http://probe.test';

function probe() {
  const emulator = createEmulator(probeService, { seed: 'none' });
  const call = (path: string, init?: RequestInit) => emulator.fetch(`${ORIGIN}${path}`, init);
  const post = (path: string, body: unknown) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { emulator, call, post };
}

describe('control plane over HTTP', () => {
  it('arms an HTTP fault that answers in the service error shape with Retry-After, then lets requests through', async () => {
    const { call, post } = probe();
    const armed = await post('/__emulator/faults', {
      on: 'items',
      status: 503,
      code: 'busy',
      message: 'later',
      retryAfter: 7,
      count: 2,
    });
    expect(armed.status).toBe(201);
    expect(await armed.json()).toEqual({ id: 1 });
    const listed = (await (await call('/__emulator/faults')).json()) as {
      faults: Array<{ remaining: number }>;
    };
    expect(listed.faults).toMatchObject([{ on: 'items', status: 503, remaining: 2 }]);

    const first = await call('/items');
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await first.json()).toEqual({ error: { code: 'busy', message: 'later' } });
    expect((await call('/items')).status).toBe(503);
    expect((await call('/items')).status).toBe(200);
  });

  it('skip lets the first matching requests through; method narrows the match', async () => {
    const { emulator, call } = probe();
    emulator.control.faults.add({ on: 'echo', status: 500, skip: 1, method: 'POST' });
    expect((await call('/echo', { method: 'POST', body: 'a' })).status).toBe(200);
    expect((await call('/echo', { method: 'POST', body: 'b' })).status).toBe(500);
    expect((await call('/echo', { method: 'POST', body: 'c' })).status).toBe(200);
  });

  it('rejects malformed control input with 400 and a reason', async () => {
    const { post, call } = probe();
    const noStatus = await post('/__emulator/faults', { on: 'items' });
    expect(noStatus.status).toBe(400);
    expect(await noStatus.json()).toEqual({ error: 'status is required' });
    expect((await post('/__emulator/faults', { on: 'items', status: 42 })).status).toBe(400);
    expect((await post('/__emulator/faults', { on: 'items', status: 500, count: 0 })).status).toBe(400);
    const badKind = await post('/__emulator/wire-faults', { on: 'items', kind: 'explode' });
    expect(badKind.status).toBe(400);
    expect(((await badKind.json()) as { error: string }).error).toMatch(/kind must be one of stall/);
    expect((await call('/__emulator/faults', { method: 'POST', body: '{not json' })).status).toBe(400);
    expect((await post('/__emulator/clock', { advanceMs: -5 })).status).toBe(400);
    expect((await post('/__emulator/seed', { name: 'nope' })).status).toBe(400);
  });

  it('deletes one fault by id, or all of them', async () => {
    const { emulator, call } = probe();
    const { id } = emulator.control.faults.add({ on: 'items', status: 500 });
    emulator.control.faults.add({ on: 'me', status: 500 });
    expect((await call(`/__emulator/faults/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/__emulator/faults/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect(emulator.control.faults.list().map((f) => f.on)).toEqual(['me']);
    await call('/__emulator/faults', { method: 'DELETE' });
    expect(emulator.control.faults.list()).toEqual([]);
  });

  it('journals service requests (not control ones) and filters by endpoint and sequence', async () => {
    const { emulator, call } = probe();
    emulator.control.faults.add({ on: 'items', status: 502 });
    await call('/items');
    await call('/items?page=2');
    await call('/status/404');
    await call('/__emulator/health');
    const all = (await (await call('/__emulator/journal')).json()) as {
      entries: Array<Record<string, unknown>>;
    };
    expect(all.entries.map((e) => `${e.method} ${e.path} ${e.endpoint} ${e.status} ${e.fault}`)).toEqual([
      'GET /items items 502 injected',
      'GET /items items 200 null',
      'GET /status/404 status 404 null',
    ]);
    const since = (await (await call('/__emulator/journal?endpoint=items&since=1')).json()) as {
      entries: Array<{ seq: number }>;
    };
    expect(since.entries.map((e) => e.seq)).toEqual([2]);
    expect((await call('/__emulator/journal?since=x')).status).toBe(400);
    await call('/__emulator/journal', { method: 'DELETE' });
    expect(emulator.control.journal.entries()).toEqual([]);
  });

  it('moves the virtual clock forward, which expires tokens; the journal stamps virtual time', async () => {
    const { emulator, call, post } = probe();
    const basic = `Basic ${Buffer.from('probe-client:probe-secret').toString('base64')}`;
    const token = (await (
      await call('/oauth/token', {
        method: 'POST',
        headers: { authorization: basic },
        body: new URLSearchParams({ grant_type: 'client_credentials' }),
      })
    ).json()) as { access_token: string; expires_in: number };
    const me = () => call('/me', { headers: { authorization: `Bearer ${token.access_token}` } });
    expect((await me()).status).toBe(200);
    const clock = (await (
      await post('/__emulator/clock', { advanceMs: token.expires_in * 1000 })
    ).json()) as { offsetMs: number; iso: string };
    expect(clock.offsetMs).toBe(3_600_000);
    const expired = await me();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 'expired_token' } });
    const last = emulator.control.journal.entries().at(-1)!;
    expect(Date.parse(last.at) - Date.now()).toBeGreaterThan(3_500_000);
  });

  it('reset empties state, faults and journal; credentials and state are served', async () => {
    const { emulator, call } = probe();
    const basic = `Basic ${Buffer.from('probe-client:probe-secret').toString('base64')}`;
    await call('/oauth/token', {
      method: 'POST',
      headers: { authorization: basic },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const state = (await (await call('/__emulator/state')).json()) as {
      state: { tokens: Record<string, number> };
    };
    expect(Object.keys(state.state.tokens)).toHaveLength(1);
    emulator.control.faults.add({ on: '*', status: 500, count: -1 });
    expect((await call('/__emulator/reset', { method: 'POST' })).status).toBe(204);
    expect(emulator.control.faults.list()).toEqual([]);
    expect(emulator.control.journal.entries()).toEqual([]);
    expect((emulator.control.dump() as { state: { tokens: object } }).state.tokens).toEqual({});
    expect(await (await call('/__emulator/credentials')).json()).toEqual({
      clientId: 'probe-client',
      clientSecret: 'probe-secret',
    });
  });

  it('answers an unknown route with 501 in the service error shape', async () => {
    const { call } = probe();
    const response = await call('/nothing/here', { method: 'PUT' });
    expect(response.status).toBe(501);
    expect(await response.json()).toEqual({
      error: { code: 'not_implemented', message: 'the probe emulator has no route for PUT /nothing/here' },
    });
  });
});

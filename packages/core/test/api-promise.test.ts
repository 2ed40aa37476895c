import { describe, expect, it } from 'vitest';
import { APIPromise, type ResponseInfo } from '../src/api/api-promise.js';

const response: ResponseInfo = {
  status: 200,
  headers: new Headers({ 'x-request-id': 'r1' }),
  url: 'http://x/',
};

describe('APIPromise', () => {
  it('awaits to the data, and withResponse gives the same single result with its response', async () => {
    let sent = 0;
    const call = new APIPromise(
      (async () => {
        sent += 1;
        return { data: { n: 1 }, response, requestId: 'r1' };
      })(),
    );
    expect(await call).toEqual({ n: 1 });
    const { data, response: seen, requestId } = await call.withResponse();
    expect(data).toEqual({ n: 1 });
    expect(seen.status).toBe(200);
    expect(requestId).toBe('r1');
    expect(sent).toBe(1);
  });

  it('rejects through await, catch and withResponse alike', async () => {
    const failing = () => new APIPromise<never>(Promise.reject(new Error('nope')));
    await expect(failing()).rejects.toThrow('nope');
    await expect(failing().withResponse()).rejects.toThrow('nope');
    expect(await failing().catch((e: unknown) => (e as Error).message)).toBe('nope');
  });

  it('an unobserved failure is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    new APIPromise(Promise.reject(new Error('ignored')));
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });

  it('map transforms the data and keeps the response', async () => {
    const mapped = APIPromise.of(2, response, 'r1').map((n) => n * 21);
    expect(await mapped).toBe(42);
    expect((await mapped.withResponse()).requestId).toBe('r1');
  });
});

describe('BaseClient.call', () => {
  it('withResponse gives the data, status, headers and request id of the one request sent', async () => {
    const { createProbe } = await import('./support/probe.js');
    const { client, control } = createProbe();
    control.faults.add({
      on: 'echo',
      status: 503,
      count: 1,
      headers: { 'x-request-id': 'first-attempt' },
    });
    const call = client({ clock: new (await import('../src/index.js')).ManualClock() }).call<{
      size: number;
    }>({
      method: 'POST',
      path: '/echo',
      body: { json: { hello: 'world' } },
      endpoint: 'echo',
    });
    const { data, response, requestId } = await call.withResponse();
    expect(data.size).toBeGreaterThan(0);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('json');
    expect(requestId).toBeUndefined(); // the probe sends none on success; the failed attempt's is not reused
    expect(await call).toEqual(data);
    expect(
      control.journal.entries().filter((e) => (e as { endpoint: string }).endpoint === 'echo'),
    ).toHaveLength(2);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  createEmulator,
  type Emulator,
  generatedBytes,
  probeService,
  type RunningServer,
} from '../../src/index.js';

const running: Array<{ emulator: Emulator; server?: RunningServer }> = [];
afterEach(async () => {
  for (const { emulator } of running.splice(0)) await emulator.close();
});

type Transport = 'socket' | 'in-process';

async function setup(transport: Transport) {
  const emulator = createEmulator(probeService, { seed: 'none' }) as Emulator;
  if (transport === 'in-process') {
    running.push({ emulator });
    return { emulator, fetch: emulator.fetch, base: 'http://probe.test' };
  }
  const server = await emulator.listen();
  running.push({ emulator, server });
  return { emulator, fetch: globalThis.fetch, base: server.url };
}

async function readBody(response: Response): Promise<number> {
  let total = 0;
  for await (const chunk of response.body as ReadableStream<Uint8Array>) total += chunk.byteLength;
  return total;
}

/** The same fault must look the same to a client over a socket and in-process: that is the point of the in-process fetch. */
describe.each<Transport>(['socket', 'in-process'])('wire faults (%s)', (transport) => {
  it('reset_before_response makes fetch reject with ECONNRESET and journals status 0', async () => {
    const { emulator, fetch, base } = await setup(transport);
    emulator.control.wireFaults.add({ on: 'items', kind: 'reset_before_response' });
    const error = (await fetch(`${base}/items`).catch((e: unknown) => e)) as TypeError & {
      cause?: { code?: string };
    };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.cause?.code).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expect((await fetch(`${base}/items`)).status).toBe(200);
    expect(emulator.control.journal.entries().map((e) => [e.status, e.fault])).toEqual([
      [0, 'reset_before_response'],
      [200, null],
    ]);
  });

  it('reset_mid_request drops the connection while the body is being sent', async () => {
    const { emulator, fetch, base } = await setup(transport);
    emulator.control.wireFaults.add({ on: 'echo', kind: 'reset_mid_request', afterBytes: 64 * 1024 });
    const body = new Uint8Array(1024 * 1024);
    const error = await fetch(`${base}/echo`, { method: 'POST', body }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(emulator.control.journal.entries()[0]).toMatchObject({ status: 0, fault: 'reset_mid_request' });
  });

  it('reset_mid_body delivers a prefix, then the body read fails', async () => {
    const { emulator, fetch, base } = await setup(transport);
    emulator.control.wireFaults.add({ on: 'bytes', kind: 'reset_mid_body', afterBytes: 200_000 });
    const response = await fetch(`${base}/bytes/1000000`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000000');
    let received = 0;
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += value.byteLength;
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(received).toBeLessThanOrEqual(200_000);
  });

  it('truncate_body ends the body early and cleanly, without a Content-Length to betray it', async () => {
    const { emulator, fetch, base } = await setup(transport);
    emulator.control.wireFaults.add({ on: 'bytes', kind: 'truncate_body', afterBytes: 1234 });
    const response = await fetch(`${base}/bytes/5000`);
    expect(response.headers.get('content-length')).toBeNull();
    expect(await readBody(response)).toBe(1234);
  });

  it('stall holds the answer until the client gives up', async () => {
    const { emulator, fetch, base } = await setup(transport);
    emulator.control.wireFaults.add({ on: 'items', kind: 'stall', ms: 10_000 });
    const started = Date.now();
    const error = await fetch(`${base}/items`, { signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('serves ranges: 206 with Content-Range, 416 when unsatisfiable, the right bytes', async () => {
    const { fetch, base } = await setup(transport);
    const expected = generatedBytes('r', 100_000);
    const partial = await fetch(`${base}/bytes/100000?seed=r`, { headers: { range: 'bytes=70000-' } });
    expect(partial.status).toBe(206);
    expect(partial.headers.get('content-range')).toBe('bytes 70000-99999/100000');
    expect(new Uint8Array(await partial.arrayBuffer())).toEqual(expected.subarray(70_000));
    const suffix = await fetch(`${base}/bytes/100000?seed=r`, { headers: { range: 'bytes=-10' } });
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(expected.subarray(99_990));
    const beyond = await fetch(`${base}/bytes/100000?seed=r`, { headers: { range: 'bytes=100000-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */100000');
  });
});

describe('in-process fetch', () => {
  it('rejects with the abort reason when the signal fires mid-body', async () => {
    const { fetch, base } = await setup('in-process');
    const controller = new AbortController();
    const response = await fetch(`${base}/bytes/5000000`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
  });

  it('sets response.url and follows redirects like fetch does', async () => {
    const { fetch, base } = await setup('in-process');
    const response = await fetch(`${base}/items`);
    expect(response.url).toBe(`${base}/items`);
  });
});

describe('listening', () => {
  it('binds to 127.0.0.1 by default and frees the port on close', async () => {
    const emulator = createEmulator(probeService);
    const server = await emulator.listen();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/items`)).status).toBe(200);
    await emulator.close();
    await expect(fetch(`${server.url}/items`)).rejects.toBeInstanceOf(TypeError);
  });
});

import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmulator, type Emulator, probeService } from '../../src/index.js';

const ORIGIN = 'http://probe.test';
const open: Emulator[] = [];
afterEach(async () => {
  for (const emulator of open.splice(0)) await emulator.close();
  vi.restoreAllMocks();
});

function probe() {
  const emulator = createEmulator(probeService) as Emulator;
  open.push(emulator);
  return emulator;
}

const journal = (emulator: Emulator) => emulator.control.journal.entries().map((e) => [e.status, e.fault]);

describe('an HTTP fault and a wire fault on the same endpoint both fire, in the documented order', () => {
  it('stall, then the HTTP fault answers the same request (journal: stall+injected)', async () => {
    const emulator = probe();
    emulator.control.wireFaults.add({ on: 'items', kind: 'stall', ms: 30 });
    emulator.control.faults.add({ on: 'items', status: 503 });
    const started = performance.now();
    const response = await emulator.fetch(`${ORIGIN}/items`);
    expect(response.status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect((await emulator.fetch(`${ORIGIN}/items`)).status).toBe(200);
    expect(journal(emulator)).toEqual([
      [503, 'stall+injected'],
      [200, null],
    ]);
  });

  it('a reset before the response cuts the request; the HTTP fault stays armed and answers the next one', async () => {
    const emulator = probe();
    emulator.control.wireFaults.add({ on: 'items', kind: 'reset_before_response' });
    emulator.control.faults.add({ on: 'items', status: 429, retryAfter: 1 });
    await expect(emulator.fetch(`${ORIGIN}/items`)).rejects.toThrow(TypeError);
    expect(emulator.control.faults.list()).toHaveLength(1);
    const second = await emulator.fetch(`${ORIGIN}/items`);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    expect((await emulator.fetch(`${ORIGIN}/items`)).status).toBe(200);
    expect(journal(emulator)).toEqual([
      [0, 'reset_before_response'],
      [429, 'injected'],
      [200, null],
    ]);
  });

  it("a body cut applies to the HTTP fault's answer (journal: injected+truncate_body)", async () => {
    const emulator = probe();
    emulator.control.wireFaults.add({ on: 'items', kind: 'truncate_body', afterBytes: 5 });
    emulator.control.faults.add({ on: 'items', status: 500, message: 'a long enough error message' });
    const response = await emulator.fetch(`${ORIGIN}/items`);
    expect(response.status).toBe(500);
    expect((await response.text()).length).toBe(5);
    expect(journal(emulator)).toEqual([[500, 'injected+truncate_body']]);
    expect(emulator.control.faults.list()).toEqual([]);
    expect(emulator.control.wireFaults.list()).toEqual([]);
  });
});

describe('a client that goes away', () => {
  it('costs one log line (no stack trace) and shows as 499 in the journal', async () => {
    const emulator = probe();
    const server = await emulator.listen();
    const lines: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      // An Error among the arguments is what prints a stack trace.
      expect(args.every((arg) => typeof arg === 'string')).toBe(true);
      lines.push(args.join(' '));
    });
    const recorded = new Promise((resolve) => emulator.control.journal.subscribe(resolve));
    // An upload that stops half-way: the socket closes while the server still reads the body.
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': '1000000' },
      });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(64 * 1024));
      setTimeout(() => req.destroy(), 50);
    });
    await recorded;
    expect(emulator.control.journal.entries().map((e) => [e.endpoint, e.status])).toEqual([['echo', 499]]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[probe emulator\] POST \/echo: the client went away/);
    expect(lines[0]).not.toMatch(/\n\s+at /);
    expect((await fetch(`${server.url}/items`)).status).toBe(200);
  });

  it('mid-download costs no log line at all', async () => {
    const emulator = probe();
    const server = await emulator.listen();
    const lines: unknown[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => lines.push(args));
    const controller = new AbortController();
    const response = await fetch(`${server.url}/bytes/50000000`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => {});
    // The server notices on its next write; a request after that proves it is still well.
    expect((await fetch(`${server.url}/items`)).status).toBe(200);
    await server.close();
    expect(lines).toEqual([]);
  });
});

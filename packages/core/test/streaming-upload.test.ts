import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createEmulator, probeService } from '@mediaferry/emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AbortError, BaseClient, ConnectionError, fromPath } from '../src/index.js';
import { probeProfile } from './support/probe.js';

/** Over a real socket, streamed bodies leave through node:http (built-in fetch would buffer them whole). */
describe('streamed uploads over a real socket', () => {
  const emulator = createEmulator(probeService);
  let url = '';
  beforeAll(async () => {
    url = (await emulator.listen()).url;
  });
  afterAll(() => emulator.close());

  it('sends a stream body with its length and returns the parsed answer', async () => {
    const client = new BaseClient({ baseUrl: url }, probeProfile);
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(100_000, i));
    const echoed = await client.request<{ size: number; sha1: string }>({
      method: 'POST',
      path: '/echo',
      body: { source: Readable.from(chunks), size: 2_000_000, contentType: 'application/octet-stream' },
    });
    expect(echoed).toEqual(
      expect.objectContaining({
        size: 2_000_000,
        sha1: createHash('sha1').update(Buffer.concat(chunks)).digest('hex'),
      }),
    );
  });

  it('sends a file as it reads it (the lease path), and closes the file however the exchange ends', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-upload-'));
    try {
      const path = join(dir, 'clip.bin');
      const data = Buffer.alloc(5 * 1024 * 1024 + 17).map((_, i) => (i * 13) % 253);
      await writeFile(path, data);
      /** Descriptors this process holds on the file. */
      const openOnFile = async () => {
        let count = 0;
        for (const fd of await readdir('/proc/self/fd'))
          if ((await readlink(`/proc/self/fd/${fd}`).catch(() => '')) === path) count += 1;
        return count;
      };
      const client = new BaseClient({ baseUrl: url, maxRetries: 0 }, probeProfile);
      const echoed = await client.request<{ size: number; sha1: string }>({
        method: 'POST',
        path: '/echo',
        body: { source: fromPath(path) },
      });
      expect(echoed).toEqual(
        expect.objectContaining({ size: data.length, sha1: createHash('sha1').update(data).digest('hex') }),
      );
      expect(await openOnFile()).toBe(0);
      emulator.control.wireFaults.add({ on: 'echo', kind: 'reset_mid_request', afterBytes: 1_500_000 });
      const reset = await client
        .request({ method: 'POST', path: '/echo', body: { source: fromPath(path) } })
        .catch((e: unknown) => e);
      expect(reset).toBeInstanceOf(ConnectionError);
      await vi.waitFor(async () => expect(await openOnFile()).toBe(0));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('maps a reset to ConnectionError and an abort to AbortError', async () => {
    const client = new BaseClient({ baseUrl: url, maxRetries: 0 }, probeProfile);
    emulator.control.wireFaults.add({ on: 'echo', kind: 'reset_mid_request', afterBytes: 1000 });
    const reset = await client
      .request({
        method: 'POST',
        path: '/echo',
        body: { source: Readable.from([Buffer.alloc(1_000_000)]), size: 1_000_000 },
      })
      .catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(ConnectionError);
    const controller = new AbortController();
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
    setTimeout(() => controller.abort(new Error('stop')), 50);
    const aborted = await client
      .request({
        method: 'POST',
        path: '/echo',
        body: { source: never, size: 10 },
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    expect(aborted).toBeInstanceOf(AbortError);
  });
});

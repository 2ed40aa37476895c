import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createEmulator, probeService } from '@mediaferry/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortError, BaseClient, ConnectionError } from '../src/index.js';
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

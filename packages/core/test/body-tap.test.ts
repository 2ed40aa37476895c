/**
 * `tapBody`: a body watched on its way (counted, hashed, checked) keeps the socket download's lease path, so
 * `saveToFile` behind a tap still writes pooled slabs; the tap's verdicts and an abort fail the body.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leaseSourceOf } from '../src/body/leases.js';
import { BaseClient, bodyLeases, readAll, saveToFile, tapBody } from '../src/index.js';
import { hostileServer } from './hostile/server.js';

const profile = { name: 'tap', userAgent: 'mediaferry-tap-test/0' };
const payload = Buffer.from(Array.from({ length: 3 * 1024 * 1024 + 5 }, (_, i) => (i * 7) % 253));
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** Answers every request with `payload` (or with its first half, then silence, when `stall`). */
async function origin(stall = false): Promise<string> {
  const server = await hostileServer((_request, response) => {
    response.writeHead(200, { 'content-length': payload.byteLength });
    if (stall) response.write(payload.subarray(0, payload.byteLength / 2));
    else response.end(payload);
  });
  return server.origin;
}

const download = async (stall = false) =>
  new BaseClient({ baseUrl: await origin(stall), maxRetries: 0 }, profile).stream({ path: '/clip.mp4' });

describe('tapBody', () => {
  it('keeps the lease path: saveToFile behind a tap writes pooled slabs, and the tap sees every byte', async () => {
    const response = await download();
    expect(leaseSourceOf(response.body)).toBeDefined();
    const hash = createHash('sha1');
    let ended = 0;
    const body = tapBody(response.body, { chunk: (bytes) => hash.update(bytes), end: () => ended++ });
    expect(leaseSourceOf(body)).toBeDefined();
    const path = join(await mkdtemp(join(tmpdir(), 'mf-tap-')), 'clip.mp4');
    const sizes: number[] = [];
    const saved = await saveToFile(async () => ({ ...response, body }), path, {
      integrity: { algorithm: 'sha1', expected: sha1(payload) },
      onProgress: (p) => sizes.push(p.loaded),
    });
    expect(saved.size).toBe(payload.byteLength);
    expect(hash.digest('hex')).toBe(sha1(payload));
    expect(ended).toBe(1);
    expect((await readFile(path)).equals(payload)).toBe(true);
    // Slabs, not 64 KiB socket reads: one progress step per megabyte or so.
    expect(sizes.length).toBeLessThan(10);
  });

  it('reads the same through the web view', async () => {
    const response = await download();
    let seen = 0;
    const body = tapBody(response.body, { chunk: (bytes) => (seen += bytes.byteLength) });
    expect(Buffer.from(await readAll(body)).equals(payload)).toBe(true);
    expect(seen).toBe(payload.byteLength);
  });

  it.each(['web', 'leases'] as const)('an end the tap refuses fails the body (%s)', async (view) => {
    const response = await download();
    const errors: unknown[] = [];
    const verdict = new Error('bytes differ from when it was hashed');
    const body = tapBody(response.body, {
      end: () => {
        throw verdict;
      },
      error: (error) => errors.push(error),
    });
    const read =
      view === 'web'
        ? readAll(body)
        : (async () => {
            for await (const lease of bodyLeases(body)) lease.release();
          })();
    await expect(read).rejects.toBe(verdict);
    expect(errors).toEqual([verdict]);
  });

  it.each(['web', 'leases'] as const)(
    'an abort fails a body waiting for bytes at once (%s)',
    async (view) => {
      const response = await download(true);
      const controller = new AbortController();
      const reason = new Error('stop');
      const errors: unknown[] = [];
      const body = tapBody(response.body, { signal: controller.signal, error: (e) => errors.push(e) });
      let received = 0;
      const read =
        view === 'web'
          ? (async () => {
              for await (const chunk of body) {
                received += chunk.byteLength;
                // The rest never comes: the reader is left waiting when the abort arrives.
                if (received > 0) setTimeout(() => controller.abort(reason), 20);
              }
            })()
          : (async () => {
              for await (const lease of bodyLeases(body)) {
                received += lease.bytes.byteLength;
                lease.release();
                // The rest never comes: the reader is left waiting when the abort arrives.
                if (received > 0) setTimeout(() => controller.abort(reason), 20);
              }
            })();
      await expect(read).rejects.toBe(reason);
      expect(errors).toEqual([reason]);
    },
  );

  it('a signal costs nothing per chunk: a long body read through it keeps no memory per chunk', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'tests run with --expose-gc').toBeDefined();
    const CHUNKS = 60_000;
    let pulled = 0;
    const source = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled += 1;
          if (pulled > CHUNKS) controller.close();
          else controller.enqueue(new Uint8Array(1));
        },
      },
      { highWaterMark: 0 },
    );
    const controller = new AbortController();
    const reader = tapBody(source, { signal: controller.signal }).getReader();
    // Half the body read, then the heap measured; the other half, and measured again, the tap still alive.
    const readSome = async (n: number) => {
      for (let i = 0; i < n; i += 1) await reader.read();
    };
    await readSome(CHUNKS / 2);
    gc!();
    const before = process.memoryUsage().heapUsed;
    await readSome(CHUNKS / 2);
    gc!();
    const grown = process.memoryUsage().heapUsed - before;
    // Racing each read against one abort promise kept ~300 bytes per chunk: ~9 MB here.
    expect(grown).toBeLessThan(2 * 1024 * 1024);
    expect((await reader.read()).done).toBe(true);
  });
});

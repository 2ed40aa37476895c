/**
 * The scenario every mediaferry client runs (issue 17), here against the BigGo emulator on 127.0.0.1:
 * construct from the environment, list with paging, upload with progress, download to a file, an error
 * carrying its request id, `withResponse`, close.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError, NotFoundError, type Progress } from '@mediaferry/core';
import { BIGGO_DEMO_CLIENT, biggoService, createEmulator } from '@mediaferry/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BigGoClient, BigGoError } from '../src/index.js';

const emulator = createEmulator(biggoService, { seed: 'demo', options: { processingMs: 0 } });
let url = '';
beforeAll(async () => {
  url = (await emulator.listen()).url;
});
afterAll(() => emulator.close());
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('one API: BigGo', () => {
  it('runs the shared scenario', async () => {
    vi.stubEnv('MEDIAFERRY_BIGGO_URL', url);
    vi.stubEnv('BIGGO_CLIENT_ID', BIGGO_DEMO_CLIENT.clientId);
    vi.stubEnv('BIGGO_CLIENT_SECRET', BIGGO_DEMO_CLIENT.clientSecret);
    const biggo = new BigGoClient();
    expect(biggo.baseUrl).toBe(url);

    // List with paging.
    const pages: number[] = [];
    for await (const page of biggo.videos.list({ pageSize: 10 }).pages()) pages.push(page.items.length);
    expect(pages).toEqual([10, 10, 10, 10, 5]);
    expect(await biggo.videos.list({ pageSize: 10 }).toArray({ limit: 12 })).toHaveLength(12);

    // Upload with progress (a string source is a path).
    const dir = await mkdtemp(join(tmpdir(), 'mf-one-api-'));
    const bytes = new Uint8Array(1_500_000).map((_, i) => (i * 31 + 7) % 256);
    await writeFile(join(dir, 'clip.mp4'), bytes);
    const events: Progress[] = [];
    const upload = biggo.videos.upload(join(dir, 'clip.mp4'));
    upload.on('progress', (p) => events.push(p));
    const { video_id: id } = await upload.done();
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.every((e) => e.total === bytes.length && e.loaded <= bytes.length)).toBe(true);
    expect(events.at(-1)!.loaded).toBe(bytes.length);

    // Download to a file.
    await biggo.videos.waitUntilProcessed(id, { intervalMs: 1 });
    const saved = await biggo.videos.downloadToFile(id, join(dir, 'back.mp4')).done();
    expect(saved.size).toBe(bytes.length);
    expect((await readFile(join(dir, 'back.mp4'))).equals(Buffer.from(bytes))).toBe(true);

    // An error carrying its request id (the emulator sends none of its own: the fault layer adds one).
    emulator.control.faults.add({
      on: 'get_video',
      status: 404,
      code: '1004',
      message: 'The video does not exist.',
      headers: { 'x-request-id': 'req-biggo-1' },
    });
    const error = await biggo.videos.get(id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BigGoError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: '1004', errorCode: 1004, requestId: 'req-biggo-1' });

    // withResponse: the data and the response that carried it.
    const { data, response } = await biggo.videos.get(id).withResponse();
    expect(data.video_id).toBe(id);
    expect(response.status).toBe(200);

    // Close.
    await biggo.close();
    await expect(biggo.account.permission()).rejects.toBeInstanceOf(AbortError);
  });
});

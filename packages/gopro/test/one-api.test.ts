/**
 * The scenario every mediaferry client runs against its emulator (issue 17): construct from the environment,
 * list with paging, download to a file with progress (GoPro takes no uploads), an error carrying its request
 * id, `withResponse`, close. Over a real socket on 127.0.0.1.
 */
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError, NotFoundError, type Progress } from '@mediaferry/core';
import { createEmulator, GOPRO_DEMO_TOKEN, goproService, type RunningServer } from '@mediaferry/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GoProClient, GoProError } from '../src/index.js';

const emulator = createEmulator(goproService, { seed: 'demo' });
let server: RunningServer;
const OCTOBER = { from: new Date('2026-10-01'), to: new Date('2026-10-31') };

beforeAll(async () => {
  server = await emulator.listen();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function fromEnv(): GoProClient {
  vi.stubEnv('MEDIAFERRY_GOPRO_URL', server.url);
  vi.stubEnv('GP_ACCESS_TOKEN', GOPRO_DEMO_TOKEN);
  return new GoProClient();
}

describe('GoPro: the one-API scenario', () => {
  it('constructs from MEDIAFERRY_GOPRO_URL and GP_ACCESS_TOKEN, and names the variable when the token is missing', () => {
    const gopro = fromEnv();
    expect(gopro.baseUrl).toBe(server.url.replace(/\/$/, ''));
    vi.stubEnv('GP_ACCESS_TOKEN', '');
    expect(() => new GoProClient()).toThrow(/accessToken.*GP_ACCESS_TOKEN/);
  });

  it('lists with paging: pageSize 4 walks every page, and .pages() shows them', async () => {
    const gopro = fromEnv();
    emulator.control.journal.clear();
    const items = await gopro.media.list({ ...OCTOBER, pageSize: 4 }).toArray({ limit: 1000 });
    expect(items.length).toBeGreaterThan(8);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    const searches = emulator.control.journal.entries().filter((e) => e.endpoint === 'search');
    expect(searches).toHaveLength(Math.ceil(items.length / 4));
    const sizes: number[] = [];
    for await (const page of gopro.media.list({ ...OCTOBER, pageSize: 4 }).pages())
      sizes.push(page.items.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(items.length);
    expect(sizes[0]).toBe(4);
  });

  it('downloads to a file with monotonic progress ending at the size', async () => {
    const gopro = fromEnv();
    const [video] = await gopro.media
      .list({ ...OCTOBER, types: ['Video'], pageSize: 1 })
      .toArray({ limit: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-one-'));
    const transfer = gopro.media.downloadToFile(video!.id, join(dir, 'clip.mp4'), {
      expectedSize: video!.file_size,
    });
    const events: Progress[] = [];
    transfer.on('progress', (p) => events.push(p));
    const saved = await transfer.done();
    expect(saved.size).toBe(video!.file_size);
    expect((await stat(join(dir, 'clip.mp4'))).size).toBe(saved.size);
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.at(-1)).toEqual({ loaded: saved.size, total: saved.size });
    expect(transfer.progress.loaded).toBe(saved.size);
  });

  it('an error carries status, code, message and the request id', async () => {
    const gopro = fromEnv();
    const error = await gopro.media.get('no-such-media').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoProError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', service: 'gopro' });
    expect((error as GoProError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((error as GoProError).message).toContain('media not found');
  });

  it('withResponse gives the data, the response and its request id from the same request', async () => {
    const gopro = fromEnv();
    emulator.control.journal.clear();
    const { data, response, requestId } = await gopro.media
      .search({ ...OCTOBER, pageSize: 2 })
      .withResponse();
    expect(data._embedded.media).toHaveLength(2);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(requestId).toBe(response.headers.get('x-request-id'));
    expect(emulator.control.journal.entries()).toHaveLength(1);
  });

  it('close() stops a pull in flight and refuses new calls; await using closes too', async () => {
    const gopro = fromEnv();
    const dir = await mkdtemp(join(tmpdir(), 'mf-gopro-one-'));
    const pull = gopro.media.pull({ ...OCTOBER, dest: dir, concurrency: 2 });
    const done = pull.done().catch((e: unknown) => e);
    await new Promise<void>((resolve) => pull.on('progress', () => resolve()));
    await gopro.close();
    expect(await done).toBeInstanceOf(AbortError);
    // Whatever was cut leaves nothing behind: only complete files, each of a size the pull announced.
    for (const name of await readdir(dir)) expect(name).toMatch(/^G[^.]*\.(MP4|JPG|360)$/);
    await expect(gopro.media.search()).rejects.toBeInstanceOf(AbortError);
    expect(gopro.closed).toBe(true);
    let inner: GoProClient | undefined;
    {
      await using scoped = fromEnv();
      inner = scoped;
      expect((await scoped.media.search({ pageSize: 1 }))._embedded.media).toHaveLength(1);
    }
    expect(inner.closed).toBe(true);
  });
});

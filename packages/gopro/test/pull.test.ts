/** `gopro.media.pull`: a date range to a folder as one Transfer with overall progress. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError, NotFoundError, type Progress, UnsafePathError } from '@mediaferry/core';
import { addGoproMedia, createEmulator, GOPRO_DEMO_TOKEN, goproService } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import { GoProClient, NoVariationsError } from '../src/index.js';
import { BASE, fixtures, MARCH, setup } from './support.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'mf-gopro-pull-'));

describe('gopro.media.pull', () => {
  it('pulls a range with one monotonic progress that ends at the bytes of the whole job', async () => {
    const { client } = setup('demo');
    const dest = await tempDir();
    const pull = client.media.pull({
      from: new Date('2026-10-01'),
      to: new Date('2026-10-10'),
      dest,
      concurrency: 3,
    });
    const events: Progress[] = [];
    pull.on('progress', (p) => events.push(p));
    const report = await pull.done();
    expect(report.downloaded.length).toBeGreaterThanOrEqual(4);
    expect(report.failed).toEqual([]);
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.every((e) => e.total === report.bytes && e.loaded <= e.total)).toBe(true);
    expect(events.at(-1)!.loaded).toBe(report.bytes);
    expect((await readdir(dest)).sort()).toEqual(report.downloaded.map((d) => d.name).sort());
  });

  it('creates the destination folder and its parents when they are not there yet', async () => {
    const { client } = setup('demo');
    const dest = join(await tempDir(), 'new', 'october');
    const report = await client.media
      .pull({ from: new Date('2026-10-01'), to: new Date('2026-10-10'), dest, concurrency: 4 })
      .done();
    expect(report.failed).toEqual([]);
    expect(report.downloaded.length).toBeGreaterThanOrEqual(4);
    expect((await readdir(dest)).sort()).toEqual(report.downloaded.map((d) => d.name).sort());
  });

  it('skips what is already there with the same size, counting it in the progress', async () => {
    const { client, cdnGets } = setup('demo');
    const dest = await tempDir();
    const range = { from: new Date('2026-10-01'), to: new Date('2026-10-10') };
    const first = await client.media.pull({ ...range, dest }).done();
    const before = cdnGets();
    const again = client.media.pull({ ...range, dest });
    const events: Progress[] = [];
    again.on('progress', (p) => events.push(p));
    const second = await again.done();
    expect(second.downloaded).toEqual([]);
    expect(second.skipped.map((s) => s.name).sort()).toEqual(first.downloaded.map((d) => d.name).sort());
    expect(cdnGets()).toBe(before);
    expect(events.at(-1)).toEqual({ loaded: first.bytes, total: first.bytes });
  });

  it('a burst (sizes from HEAD), a name taken twice keeps both, sidecars on request', async () => {
    const { client, emulator } = setup();
    const { byName } = await fixtures(client);
    const photo = byName('GOPR0004.JPG');
    const dest = await tempDir();
    const report = await client.media
      .pull({
        items: [photo, photo, byName('G0010001.JPG'), byName('GX010001.MP4')],
        dest,
        includeSidecars: true,
      })
      .done();
    expect(report.downloaded.map((d) => d.name).sort()).toEqual([
      'G0010001000.JPG',
      'G0010001001.JPG',
      'G0010001002.JPG',
      `GOPR0004000-${photo.id}.JPG`,
      'GOPR0004000.JPG',
      'GX010001000.MP4',
      'GX010001000.MP4.gpmf.mp4',
    ]);
    const heads = emulator.control.journal
      .entries()
      .filter((e) => e.endpoint === 'cdn' && e.method === 'HEAD');
    expect(heads).toHaveLength(4); // the 3 burst frames and the sidecar: no size was promised for them
  });

  it('resumes a CDN body cut mid-way; the bytes match a clean download', async () => {
    const { client, emulator } = setup();
    const video = (await fixtures(client)).byName('GX010001.MP4');
    const clean = await tempDir();
    await client.media.pull({ items: [video], dest: clean }).done();
    emulator.control.wireFaults.add({ on: 'cdn', kind: 'reset_mid_body', afterBytes: 2000 });
    const cut = await tempDir();
    await client.media.pull({ items: [video], dest: cut }).done();
    const digest = async (dir: string) =>
      createHash('sha1')
        .update(await readFile(join(dir, 'GX010001000.MP4')))
        .digest('hex');
    expect(await digest(cut)).toBe(await digest(clean));
    const faults = emulator.control.journal
      .entries()
      .filter((e) => e.endpoint === 'cdn')
      .map((e) => e.fault);
    expect(faults).toEqual([null, 'reset_mid_body', null]);
  });

  it('a reset that keeps happening fails that file and leaves nothing; a media without variations is reported too', async () => {
    const { client, emulator } = setup();
    const { byName } = await fixtures(client);
    emulator.control.wireFaults.add({ on: 'cdn', kind: 'reset_mid_body', afterBytes: 100, count: -1 });
    const dest = await tempDir();
    const report = await client.media
      .pull({ items: [byName('GX010001.MP4'), byName('GX010002.MP4'), { id: 'gone' }], dest })
      .done();
    expect(report.downloaded).toEqual([]);
    expect(report.failed.map((f) => f.name).sort()).toEqual(['GX010001000.MP4', 'GX010002.MP4', 'gone']);
    const error = (name: string) => report.failed.find((f) => f.name === name)!.error;
    expect(error('GX010002.MP4')).toBeInstanceOf(NoVariationsError);
    expect(error('gone')).toBeInstanceOf(NotFoundError);
    expect(await readdir(dest)).toEqual([]);
  });

  it('a hostile file name fails that file with UnsafePathError and nothing is written outside', async () => {
    const emulator = createEmulator(goproService, { seed: 'none' });
    for (const filename of ['../../escape.JPG', '/etc/passwd.JPG', 'nul\u0000.JPG', 'fine.JPG'])
      await addGoproMedia(emulator.context, {
        type: 'Photo',
        filename,
        capturedAt: '2026-05-05T10:00:00Z',
        width: 10,
        height: 10,
        files: [{ size: 10 }],
      });
    const client = new GoProClient({ accessToken: GOPRO_DEMO_TOKEN, baseUrl: BASE, fetch: emulator.fetch });
    const parent = await tempDir();
    const dest = join(parent, 'inside');
    const report = await client.media
      .pull({ from: new Date('2026-05-01'), to: new Date('2026-05-31'), dest })
      .done();
    expect(report.downloaded.map((d) => d.name)).toEqual(['fine000.JPG']);
    expect(report.failed).toHaveLength(3);
    for (const failure of report.failed) expect(failure.error).toBeInstanceOf(UnsafePathError);
    expect((await readdir(parent)).sort()).toEqual(['inside']);
  });

  it('a file of another size is downloaded again; abort() stops the pull with AbortError', async () => {
    const { client } = setup();
    const photo = (await fixtures(client)).byName('GOPR0004.JPG');
    const dest = await tempDir();
    await writeFile(join(dest, 'GOPR0004000.JPG'), 'stale');
    const report = await client.media.pull({ items: [photo], dest }).done();
    expect(report.downloaded.map((d) => d.size)).toEqual([1024]);
    const pull = client.media.pull({ ...MARCH, dest: await tempDir() });
    pull.abort();
    await expect(pull.done()).rejects.toBeInstanceOf(AbortError);
  });
});

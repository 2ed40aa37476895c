/**
 * `mediaferry sync` through the built binary against `mediaferry emulator`: copies by the rules of `copy`,
 * deletes (B2 hides, --delete-versions deletes, local unlinks) only after every copy succeeded, and a dry
 * run lists every action and does none.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { B2Client } from '@mediaferry/b2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b2ClientFor, control, type Emulated, envFor, report, run, startEmulator } from './support/cli.js';

const BUCKET = 'b2://mediaferry-demo';

interface SyncReport extends ReturnType<typeof report> {
  excluded: number;
  deletes?: { verb: string; deleted: string[]; planned: string[]; failed: unknown[]; withheld?: string };
}
const syncReport = (result: Awaited<ReturnType<typeof run>>) => report(result) as SyncReport;

describe('sync', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  let b2: B2Client;
  let bucketId: string;

  beforeAll(async () => {
    emulator = await startEmulator('b2');
    env = await envFor(emulator);
    ({ b2, bucketId } = await b2ClientFor(emulator));
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  /** name → actions of every version under a prefix, oldest last. */
  const versions = async (prefix: string) => {
    const out: Record<string, string[]> = {};
    for (const v of await b2.files.listVersions({ bucketId, prefix }).toArray({ limit: 1000 }))
      out[v.fileName.slice(prefix.length)] = [
        ...(out[v.fileName.slice(prefix.length)] ?? []),
        String(v.action),
      ];
    return out;
  };

  const folder = async (files: Record<string, number>) => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-sync-'));
    for (const [name, size] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), randomBytes(size));
    }
    return dir;
  };

  it('local → B2: --dry-run lists every copy and delete and does none; --delete then hides what is gone', async () => {
    const src = await folder({ 'a.bin': 3000, 'b.bin': 2000, 'sub/c.bin': 1000 });
    const to = `${BUCKET}/sync-hide/`;
    expect(syncReport(await run(['sync', src, to, '--json'], env)).copied).toBe(3);
    await rm(join(src, 'b.bin'));
    await writeFile(join(src, 'd.bin'), randomBytes(500));

    const dry = await run(['sync', src, to, '--delete', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('would copy d.bin');
    expect(dry.stderr).toContain('would hide b.bin');
    expect(dry.stdout).toMatch(/1 would be copied \(dry run\), 1 would be hidden \(dry run\)/);
    expect(await versions('sync-hide/')).toEqual({
      'a.bin': ['upload'],
      'b.bin': ['upload'],
      'sub/c.bin': ['upload'],
    });

    const done = syncReport(await run(['sync', src, to, '--delete', '--json'], env));
    expect(done).toMatchObject({ copied: 1, skipped: 2, failed: 0 });
    expect(done.deletes).toMatchObject({ verb: 'hide', deleted: ['b.bin'], failed: [] });
    // Hidden, not deleted: the version is still there behind a hide marker.
    expect((await versions('sync-hide/'))['b.bin']).toEqual(['hide', 'upload']);
    // In sync now: nothing to do.
    const again = syncReport(await run(['sync', src, to, '--delete', '--json'], env));
    expect(again).toMatchObject({ copied: 0, skipped: 3 });
    expect(again.deletes?.deleted).toEqual([]);
  });

  it('--delete-versions deletes every version; files the filters leave out are never deleted', async () => {
    const src = await folder({ 'keep.bin': 1000, 'gone.bin': 1000, 'notes.txt': 10 });
    const to = `${BUCKET}/sync-versions/`;
    expect(syncReport(await run(['sync', src, to, '--json'], env)).copied).toBe(3);
    await writeFile(join(src, 'gone.bin'), randomBytes(1200)); // a second version
    expect(syncReport(await run(['sync', src, to, '--json'], env)).copied).toBe(1);
    await rm(join(src, 'gone.bin'));
    await rm(join(src, 'notes.txt'));
    const result = syncReport(
      await run(['sync', src, to, '--delete-versions', '--exclude', '*.txt', '--json'], env),
    );
    expect(result.deletes).toMatchObject({ verb: 'delete every version of', deleted: ['gone.bin'] });
    expect(await versions('sync-versions/')).toEqual({ 'keep.bin': ['upload'], 'notes.txt': ['upload'] });
  });

  it('a sync that fails part-way deletes nothing, and says why', async () => {
    const src = await folder({ 'a.bin': 1000, 'b.bin': 1000 });
    const to = `${BUCKET}/sync-fail/`;
    expect(syncReport(await run(['sync', src, to, '--json'], env)).copied).toBe(2);
    await rm(join(src, 'a.bin'));
    await writeFile(join(src, 'new.bin'), randomBytes(800));
    // Every upload of this run is refused (a 400 is not retried).
    await control(emulator, 'b2', 'faults', { on: 'b2_upload_file', status: 400, count: 5 });
    const failed = await run(['sync', src, to, '--delete', '--json'], env);
    await control(emulator, 'b2', 'faults', undefined, 'DELETE');
    expect(failed.code).toBe(1);
    const parsed = syncReport(failed);
    expect(parsed.failed).toBe(1);
    expect(parsed.deletes?.deleted).toEqual([]);
    expect(parsed.deletes?.withheld).toMatch(/1 copy failed/);
    expect(await versions('sync-fail/')).toEqual({ 'a.bin': ['upload'], 'b.bin': ['upload'] });
    const human = await run(['sync', src, to, '--delete', '--dry-run'], env);
    expect(human.stderr).toContain('would hide a.bin');
  });

  it('B2 → local: --delete removes local files the bucket no longer has, never the folder itself', async () => {
    const src = await folder({ 'x.bin': 700, 'y/z.bin': 900 });
    const prefix = `${BUCKET}/sync-down/`;
    expect(syncReport(await run(['sync', src, prefix, '--json'], env)).copied).toBe(2);
    const dest = await mkdtemp(join(tmpdir(), 'mf-sync-dest-'));
    await mkdir(join(dest, 'old/deep'), { recursive: true });
    await writeFile(join(dest, 'old/deep/stale.bin'), 'stale');
    await writeFile(join(dest, '.DS_Store'), 'junk'); // left out by the default excludes: never deleted
    const result = syncReport(await run(['sync', prefix, dest, '--delete', '--json'], env));
    expect(result).toMatchObject({ copied: 2, failed: 0 });
    expect(result.deletes?.deleted).toEqual(['old/deep/stale.bin']);
    expect(existsSync(join(dest, 'old'))).toBe(false); // folders it emptied go too
    expect((await readdir(dest)).sort()).toEqual(['.DS_Store', 'x.bin', 'y']);
  });

  it('an empty source never empties the destination; --delete on a media service is a usage error', async () => {
    const src = await folder({ 'only.bin': 100 });
    const to = `${BUCKET}/sync-empty/`;
    await run(['sync', src, to], env);
    await rm(join(src, 'only.bin'));
    const result = syncReport(await run(['sync', src, to, '--delete', '--json'], env));
    expect(result.deletes?.withheld).toMatch(/the source holds nothing/);
    expect(await versions('sync-empty/')).toEqual({ 'only.bin': ['upload'] });
    const media = await run(['sync', src, 'biggo://', '--delete'], env);
    expect(media.code).toBe(2);
    expect(media.stderr).toContain('--delete works on local and b2:// destinations');
    const local = await run(['sync', src, join(src, 'x'), '--delete-versions'], env);
    expect(local.code).toBe(2);
  });
});

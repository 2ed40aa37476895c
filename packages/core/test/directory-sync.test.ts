/**
 * Folder fsyncs shared by renames that land together: every caller waits for an fsync that started after it
 * called (what makes its rename durable), and callers that arrive while one runs share the next.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderSyncs, syncDirectory } from '../src/transfer/directory-sync.js';

/** A fake fsync that records when each starts and finishes only when told to. */
function controlledFsync() {
  const runs: Array<{ path: string; finish: (error?: Error) => void }> = [];
  const fsync = (path: string) =>
    new Promise<void>((resolve, reject) => {
      runs.push({ path, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { runs, fsync };
}

const settled = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('FolderSyncs', () => {
  it('callers that arrive while an fsync runs wait for the next one, which they share', async () => {
    const { runs, fsync } = controlledFsync();
    const syncs = new FolderSyncs(fsync);
    const done: string[] = [];
    const first = syncs.sync('/media').then(() => done.push('first'));
    await settled();
    expect(runs).toHaveLength(1);
    // Renamed while the first fsync runs: that fsync may have missed them.
    const second = syncs.sync('/media').then(() => done.push('second'));
    const third = syncs.sync('/media').then(() => done.push('third'));
    await settled();
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await first;
    await settled();
    expect(done).toEqual(['first']);
    // The queued fsync starts only now, after the first has finished.
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
    await Promise.all([second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
    // Idle again: the next caller starts its own at once.
    const fourth = syncs.sync('/media');
    await settled();
    expect(runs).toHaveLength(3);
    runs[2]!.finish();
    await fourth;
  });

  it('folders are synced apart, and a failed fsync still lets the queued one run', async () => {
    const { runs, fsync } = controlledFsync();
    const syncs = new FolderSyncs(fsync);
    const a = syncs.sync('/a').catch((error: Error) => error.message);
    const b = syncs.sync('/b');
    await settled();
    expect(runs.map((r) => r.path)).toEqual(['/a', '/b']);
    const again = syncs.sync('/a');
    runs[0]!.finish(new Error('EIO'));
    expect(await a).toBe('EIO');
    await settled();
    expect(runs.map((r) => r.path)).toEqual(['/a', '/b', '/a']);
    runs[2]!.finish();
    runs[1]!.finish();
    await Promise.all([again, b]);
  });

  it('syncs a real folder (and a missing one is skipped)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-dirsync-'));
    try {
      await Promise.all([syncDirectory(dir), syncDirectory(dir), syncDirectory(dir)]);
      await syncDirectory(join(dir, 'missing'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/**
 * `mediaferry copy` against `mediaferry emulator`: what changed is copied again (issue 12 row 1), and a
 * source that changes while it uploads is caught with nothing committed (row 2).
 */
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, open, readFile, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { B2Client } from '@mediaferry/b2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  b2ClientFor,
  control,
  type Emulated,
  envFor,
  finish,
  holdsOpen,
  journal,
  report,
  run,
  start,
  startEmulator,
  until,
} from './support/cli.js';

const BUCKET = 'b2://mediaferry-demo';

/** Overwrites one byte in place: same size, new modification time. */
async function editInPlace(path: string, at = 10): Promise<void> {
  const handle = await open(path, 'r+');
  const byte = Buffer.alloc(1);
  await handle.read(byte, 0, 1, at);
  await handle.write(Buffer.from([byte[0]! ^ 0xff]), 0, 1, at);
  await handle.close();
}

describe('copy: change detection and sources that change mid-transfer', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  let b2: B2Client;
  let bucketId: string;
  let bytesOf: Awaited<ReturnType<typeof b2ClientFor>>['bytesOf'];

  beforeAll(async () => {
    emulator = await startEmulator('b2');
    env = await envFor(emulator);
    ({ b2, bucketId, bytesOf } = await b2ClientFor(emulator));
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  const versions = async (prefix: string) =>
    (await b2.files.listVersions({ bucketId, prefix }).toArray({ limit: 1000 })).map((f) => f.fileName);
  const unfinished = async (prefix: string) =>
    (await b2.largeFiles.listUnfinished({ bucketId, namePrefix: prefix }).toArray({ limit: 1000 })).map(
      (f) => f.fileName,
    );

  /** A folder of two files, uploaded once to `prefix`, and a function that copies it there again. */
  const uploaded = async (prefix: string) => {
    const src = await mkdtemp(join(tmpdir(), 'mf-chg-src-'));
    await writeFile(join(src, 'a.bin'), randomBytes(4000));
    await writeFile(join(src, 'b.bin'), randomBytes(3000));
    const up = (...flags: string[]) => run(['copy', src, `${BUCKET}/${prefix}/`, '--json', ...flags], env);
    expect(report(await up()).copied).toBe(2);
    return { src, up };
  };

  it('an edit in place of the same size is uploaded again; each skip line names its rule', async () => {
    const { src, up } = await uploaded('row1-up');
    expect(report(await up()).items.map((i) => i.reason)).toEqual([
      'same size and modification time',
      'same size and modification time',
    ]);
    await editInPlace(join(src, 'a.bin'));
    const edited = report(await up());
    expect(edited.items.map((i) => `${i.path}:${i.status}`)).toEqual(['a.bin:copied', 'b.bin:skipped']);
    const stored = await bytesOf('row1-up/a.bin');
    expect(Buffer.from(stored).equals(await readFile(join(src, 'a.bin')))).toBe(true);
  });

  it('an edit that keeps size and time: --checksum sees it, --size-only is told not to look', async () => {
    const { src, up } = await uploaded('row1-sum');
    const { mtime } = await stat(join(src, 'b.bin'));
    await editInPlace(join(src, 'b.bin'));
    await utimes(join(src, 'b.bin'), mtime, mtime);
    expect(report(await up('--size-only')).items[1]?.reason).toBe('same size (--size-only)');
    const checked = report(await up('--checksum'));
    expect(checked.items.map((i) => i.reason ?? i.status)).toEqual(['same SHA-1', 'copied']);
  });

  it('a restored file edited in place is restored again', async () => {
    const { src } = await uploaded('row1-down');
    const back = await mkdtemp(join(tmpdir(), 'mf-chg-back-'));
    const down = () => run(['copy', `${BUCKET}/row1-down/`, back, '--json'], env);
    expect(report(await down()).copied).toBe(2);
    await editInPlace(join(back, 'a.bin'));
    const again = report(await down());
    expect(again.items.map((i) => i.reason ?? i.status)).toEqual([
      'copied',
      'same size and modification time',
    ]);
    expect((await readFile(join(back, 'a.bin'))).equals(await readFile(join(src, 'a.bin')))).toBe(true);
  });

  const changes = {
    'edited in place': (path: string) => editInPlace(path, 20_000_000),
    grown: (path: string) => appendFile(path, randomBytes(1000)),
    shrunk: (path: string) => truncate(path, 1_000_000),
  };

  for (const [kind, change] of Object.entries(changes)) {
    it.runIf(process.platform === 'linux')(
      `a file ${kind} while it uploads fails at once with nothing committed`,
      async () => {
        const src = await mkdtemp(join(tmpdir(), 'mf-chg-up-'));
        const file = join(src, 'clip.mp4');
        // Larger than the socket buffers, so the upload is still reading the file when the server stalls.
        await writeFile(file, randomBytes(24_000_000));
        const prefix = `row2-${kind.replace(/ /g, '-')}/`;
        await control(emulator, 'b2', 'wire-faults', { on: 'b2_upload_file', kind: 'stall', ms: 3000 });
        const started = Date.now();
        const child = start(['copy', src, `${BUCKET}/${prefix}`, '--part-size', '64M', '--json'], env);
        const done = finish(child);
        // The upload is reading the file and the server holds it: the change lands mid-read.
        await until(
          async () =>
            (await holdsOpen(child.pid!, file)) &&
            (await control<{ faults: unknown[] }>(emulator, 'b2', 'wire-faults')).faults.length === 0,
        );
        await change(file);
        const result = await done;
        expect(result.code).toBe(1);
        expect(report(result).items[0]?.error).toMatch(/clip\.mp4 changed while it was being copied/);
        expect(Date.now() - started).toBeLessThan(20_000);
        expect(await versions(prefix)).toEqual([]);
        expect(result.stderr).not.toMatch(/Warning/);
      },
    );
  }

  it('a large file edited while its parts upload: the large file is cancelled, never finished', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-chg-large-'));
    const file = join(src, 'large.mp4');
    await writeFile(file, randomBytes(40_000_000));
    // Every part is held before the server reads it: the edit lands while the parts are being read (a 16 MiB
    // part is more than the socket buffers hold, so parts 1 and 2 cannot have been read whole).
    await control(emulator, 'b2', 'wire-faults', { on: 'b2_upload_part', kind: 'stall', ms: 3000, count: 3 });
    await control(emulator, 'b2', 'journal', undefined, 'DELETE');
    const child = start(['copy', src, `${BUCKET}/row2-large/`, '--part-size', '16M', '--json'], env);
    const done = finish(child);
    await until(
      async () => (await control<{ faults: unknown[] }>(emulator, 'b2', 'wire-faults')).faults.length === 0,
    );
    await editInPlace(file, 30_000_000);
    const result = await done;
    expect(result.code).toBe(1);
    expect(report(result).items[0]?.error).toMatch(/large\.mp4 changed while it was being copied/);
    expect(await versions('row2-large/')).toEqual([]);
    expect(await unfinished('row2-large/')).toEqual([]);
    expect((await journal(emulator, 'b2', 'b2_finish_large_file')).length).toBe(0);
  });
});

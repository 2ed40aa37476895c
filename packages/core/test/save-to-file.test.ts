import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ConnectionError,
  IntegrityError,
  InvalidInputError,
  rangeOpener,
  readAll,
  saveToFile,
} from '../src/index.js';
import { createProbe } from './support/probe.js';

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const freshDir = () => mkdtemp(join(tmpdir(), 'mf-save-'));

async function expectedBytes(size: number, seed = 'x') {
  const { client } = createProbe();
  return readAll((await client().stream({ path: `/bytes/${size}`, query: { seed } })).body);
}

describe('saveToFile', () => {
  it('writes the whole body under the final name only at the end, with progress and digest', async () => {
    const { client } = createProbe();
    const dir = await freshDir();
    const dest = join(dir, 'clip.mp4');
    const progress: number[] = [];
    let finalNameSeenEarly = false;
    const result = await saveToFile(
      rangeOpener(client(), { path: '/bytes/2500000', query: { seed: 'x' } }),
      dest,
      {
        hash: 'sha1',
        onProgress: (p) => {
          progress.push(p.loaded);
          finalNameSeenEarly ||= existsSync(dest);
        },
      },
    );
    expect(finalNameSeenEarly).toBe(false);
    expect(progress.at(-1)).toBe(2_500_000);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const expected = await expectedBytes(2_500_000);
    expect(result).toMatchObject({ path: dest, size: 2_500_000, digest: sha1(expected), resumedFrom: 0 });
    expect(sha1(await readFile(dest))).toBe(sha1(expected));
    expect(await readdir(dir)).toEqual(['clip.mp4']);
  });

  it('an abort mid-download leaves no file at all', async () => {
    const { client } = createProbe();
    const dir = await freshDir();
    const controller = new AbortController();
    const error = await saveToFile(rangeOpener(client(), { path: '/bytes/50000000' }), join(dir, 'big.bin'), {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.loaded > 3_000_000) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('resumes a body reset mid-way with a Range request and verifies the result', async () => {
    const { client, control } = createProbe();
    const dir = await freshDir();
    control.wireFaults.add({ on: 'bytes', kind: 'reset_mid_body', afterBytes: 1_000_000, count: 1 });
    const expected = await expectedBytes(3_000_000);
    const result = await saveToFile(
      rangeOpener(client(), { path: '/bytes/3000000', query: { seed: 'x' } }),
      join(dir, 'a.bin'),
      {
        integrity: { algorithm: 'sha1', expected: sha1(expected) },
      },
    );
    expect(result.size).toBe(3_000_000);
    const bytes = (control.journal.entries() as { endpoint: string; fault: string | null }[]).filter(
      (e) => e.endpoint === 'bytes',
    );
    expect(bytes.map((e) => e.fault)).toEqual(['reset_mid_body', null]);
    expect(await readdir(dir)).toEqual(['a.bin']);
  });

  it('a reset that keeps happening surfaces a ConnectionError and leaves no partial file', async () => {
    const { client, control } = createProbe();
    const dir = await freshDir();
    control.wireFaults.add({ on: 'bytes', kind: 'reset_mid_body', afterBytes: 1000, count: -1 });
    const error = await saveToFile(rangeOpener(client(), { path: '/bytes/100000' }), join(dir, 'a.bin'), {
      resumeAttempts: 2,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a truncated body fails its checksum and leaves nothing', async () => {
    const { client, control } = createProbe();
    const dir = await freshDir();
    const expected = await expectedBytes(200_000);
    control.wireFaults.add({ on: 'bytes', kind: 'truncate_body', afterBytes: 150_000, count: 1 });
    const error = await saveToFile(
      rangeOpener(client(), { path: '/bytes/200000', query: { seed: 'x' } }),
      join(dir, 'a.bin'),
      {
        integrity: { algorithm: 'sha1', expected: sha1(expected) },
      },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keepPartial leaves <name>.mfpart after a failure and the next call resumes from it', async () => {
    const { client, control } = createProbe();
    const dir = await freshDir();
    const dest = join(dir, 'a.bin');
    const expected = await expectedBytes(2_000_000);
    control.wireFaults.add({ on: 'bytes', kind: 'reset_mid_body', afterBytes: 700_000, count: 1 });
    await expect(
      saveToFile(rangeOpener(client(), { path: '/bytes/2000000', query: { seed: 'x' } }), dest, {
        keepPartial: true,
        resumeAttempts: 0,
      }),
    ).rejects.toBeInstanceOf(ConnectionError);
    expect(await readdir(dir)).toEqual(['a.bin.mfpart']);
    const result = await saveToFile(
      rangeOpener(client(), { path: '/bytes/2000000', query: { seed: 'x' } }),
      dest,
      {
        keepPartial: true,
        integrity: { algorithm: 'sha1', expected: sha1(expected) },
      },
    );
    expect(result.resumedFrom).toBeGreaterThan(0);
    expect(await readdir(dir)).toEqual(['a.bin']);
  });

  it('refuses to overwrite when asked not to', async () => {
    const { client } = createProbe();
    const dir = await freshDir();
    await writeFile(join(dir, 'a.bin'), 'keep me');
    await expect(
      saveToFile(rangeOpener(client(), { path: '/bytes/10' }), join(dir, 'a.bin'), { overwrite: false }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(await readFile(join(dir, 'a.bin'), 'utf8')).toBe('keep me');
  });

  it('partialPath: a kept partial elsewhere resumes; a complete one is renamed without a request', async () => {
    const { client, control } = createProbe();
    const dir = await freshDir();
    const partials = await freshDir();
    const dest = join(dir, 'a.bin');
    const partialPath = join(partials, 'a.part');
    const expected = await expectedBytes(1_000_000);
    const open = rangeOpener(client(), { path: '/bytes/1000000', query: { seed: 'x' } });
    control.wireFaults.add({ on: 'bytes', kind: 'reset_mid_body', afterBytes: 300_000, count: 1 });
    await expect(saveToFile(open, dest, { partialPath, resumeAttempts: 0 })).rejects.toBeInstanceOf(
      ConnectionError,
    );
    expect(await readdir(dir)).toEqual([]);
    expect(await readdir(partials)).toEqual(['a.part']);
    const modifiedAt = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const resumed = await saveToFile(open, dest, {
      partialPath,
      modifiedAt,
      integrity: { algorithm: 'sha1', expected: sha1(expected) },
    });
    expect(resumed.resumedFrom).toBeGreaterThan(0);
    expect(Math.round((await stat(dest)).mtimeMs)).toBe(modifiedAt);
    expect(await readdir(partials)).toEqual([]);

    // A crash after the last byte, before the rename: the next call finishes without downloading again.
    await writeFile(partialPath, expected);
    let requests = 0;
    const counting: typeof open = (range, signal) => {
      requests += 1;
      return open(range, signal);
    };
    const again = await saveToFile(counting, join(dir, 'b.bin'), {
      partialPath,
      expectedSize: expected.byteLength,
      integrity: { algorithm: 'sha1', expected: sha1(expected) },
    });
    expect(again.resumedFrom).toBe(expected.byteLength);
    expect(requests).toBe(0);
  });

  it('a kept partial longer than the content now is discarded and the download starts over', async () => {
    const { client } = createProbe();
    const dir = await freshDir();
    const partialPath = join(dir, 'stale.part');
    await writeFile(partialPath, new Uint8Array(5000));
    const expected = await expectedBytes(1000);
    const saved = await saveToFile(
      rangeOpener(client(), { path: '/bytes/1000', query: { seed: 'x' } }),
      join(dir, 'a.bin'),
      { partialPath, integrity: { algorithm: 'sha1', expected: sha1(expected) } },
    );
    expect(saved.size).toBe(1000);
    expect(await readFile(join(dir, 'a.bin'))).toEqual(Buffer.from(expected));
  });
});

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError, UnsafePathError } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import { copy } from '../src/copy/engine.js';
import { localSource, localTarget } from '../src/copy/local.js';
import type { Entry, Source } from '../src/copy/types.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

/** A source serving fixed files; `lie` makes it announce a SHA-1 that does not match its bytes. */
function memorySource(
  files: Record<string, string>,
  options: { lie?: string; failOpen?: string; announceSha1?: boolean } = {},
): Source {
  return {
    label: 'memory://',
    async *list() {
      for (const [path, text] of Object.entries(files)) {
        const announced =
          options.lie === path ? sha1('something else') : options.announceSha1 ? sha1(text) : undefined;
        yield { path, size: Buffer.byteLength(text), sha1: announced };
      }
    },
    async open(entry: Entry) {
      if (entry.path === options.failOpen) throw new Error(`cannot open ${entry.path}`);
      return { body: new Blob([files[entry.path]!]).stream(), size: entry.size };
    },
  };
}

const fresh = () => mkdtemp(join(tmpdir(), 'mf-copy-'));
const run = (source: Source, root: string, extra: { dryRun?: boolean; signal?: AbortSignal } = {}) =>
  copy(source, localTarget(root), {
    concurrency: 2,
    dryRun: extra.dryRun ?? false,
    signal: extra.signal ?? new AbortController().signal,
  });

describe('copy engine', () => {
  it('copies every entry with its SHA-1, then skips them all on a second run', async () => {
    const root = await fresh();
    const files = { 'a.mp4': 'alpha', 'day/b.mp4': 'bravo bravo', 'day/c.jpg': '' };
    const first = await run(memorySource(files, { announceSha1: true }), root);
    expect(first.outcomes.map((o) => `${o.entry.path}:${o.status}`).sort()).toEqual([
      'a.mp4:copied',
      'day/b.mp4:copied',
      'day/c.jpg:copied',
    ]);
    expect(first.bytes).toBe(16);
    expect(await readFile(join(root, 'day/b.mp4'), 'utf8')).toBe('bravo bravo');
    const copied = first.outcomes.find((o) => o.entry.path === 'a.mp4');
    expect(copied).toMatchObject({ sha1: sha1('alpha') });

    const second = await run(memorySource(files), root);
    expect(second.outcomes.every((o) => o.status === 'skipped')).toBe(true);
    expect(second.bytes).toBe(0);
  });

  it('re-copies a file whose size differs at the destination', async () => {
    const root = await fresh();
    await writeFile(join(root, 'a.mp4'), 'alp');
    const report = await run(memorySource({ 'a.mp4': 'alpha' }), root);
    expect(report.outcomes[0]?.status).toBe('copied');
    expect(await readFile(join(root, 'a.mp4'), 'utf8')).toBe('alpha');
  });

  it('a SHA-1 mismatch fails that entry, leaves nothing under its name, and the others still copy', async () => {
    const root = await fresh();
    const report = await run(
      memorySource({ 'bad.mp4': 'corrupted', 'good.mp4': 'fine' }, { lie: 'bad.mp4' }),
      root,
    );
    const bad = report.outcomes.find((o) => o.entry.path === 'bad.mp4');
    expect(bad?.status).toBe('failed');
    expect(bad?.status === 'failed' && bad.error).toBeInstanceOf(IntegrityError);
    expect(await readdir(root)).toEqual(['good.mp4']);
  });

  it('never writes outside the destination for a hostile name', async () => {
    const root = await fresh();
    const report = await run(memorySource({ '../escape.mp4': 'x', 'ok.mp4': 'y' }), root);
    const hostile = report.outcomes.find((o) => o.entry.path === '../escape.mp4');
    expect(hostile?.status === 'failed' && hostile.error).toBeInstanceOf(UnsafePathError);
    expect(await readdir(join(root, '..'))).not.toContain('escape.mp4');
  });

  it('reports an open failure per entry and keeps going', async () => {
    const root = await fresh();
    const report = await run(memorySource({ 'a.mp4': 'a', 'b.mp4': 'b' }, { failOpen: 'a.mp4' }), root);
    expect(report.outcomes.map((o) => o.status).sort()).toEqual(['copied', 'failed']);
  });

  it('a dry run plans without writing', async () => {
    const root = await fresh();
    const report = await run(memorySource({ 'a.mp4': 'a' }), root, { dryRun: true });
    expect(report.outcomes.map((o) => o.status)).toEqual(['planned']);
    expect(await readdir(root)).toEqual([]);
  });

  it('an abort mid-transfer leaves no partial file and marks the report interrupted', async () => {
    const root = await fresh();
    const controller = new AbortController();
    const slow: Source = {
      label: 'slow://',
      async *list() {
        yield { path: 'big.mp4', size: 1_000_000 };
      },
      async open() {
        let sent = 0;
        return {
          body: new ReadableStream<Uint8Array>({
            async pull(c) {
              if (sent === 100_000) controller.abort(new Error('interrupted'));
              await new Promise((r) => setTimeout(r, 1));
              c.enqueue(new Uint8Array(50_000));
              sent += 50_000;
            },
          }),
        };
      },
    };
    const report = await run(slow, root, { signal: controller.signal });
    expect(report.interrupted).toBe(true);
    expect(report.outcomes[0]?.status).toBe('failed');
    expect(await readdir(root)).toEqual([]);
  });

  it('walks a local folder as a source, with relative /-separated paths', async () => {
    const src = await fresh();
    await writeFile(join(src, 'one.mp4'), '1');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(src, 'sub'));
    await writeFile(join(src, 'sub', 'two.mp4'), '22');
    const entries: Entry[] = [];
    for await (const entry of localSource(src).list(new AbortController().signal)) entries.push(entry);
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['one.mp4', 1],
      ['sub/two.mp4', 2],
    ]);
  });
});

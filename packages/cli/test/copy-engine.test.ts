import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError, type StreamResponse, UnsafePathError } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import type { CompareMode } from '../src/copy/decide.js';
import { copy } from '../src/copy/engine.js';
import { localSource } from '../src/copy/local-source.js';
import { localTarget } from '../src/copy/local-target.js';
import { PARTIAL_DIR } from '../src/copy/partials.js';
import {
  type ByteRange,
  type Entry,
  type Source,
  SourceChangedError,
  type Target,
} from '../src/copy/types.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');

function response(bytes: Uint8Array, range: ByteRange | undefined): StreamResponse {
  const start = range?.start ?? 0;
  const end = range?.end ?? bytes.byteLength;
  const headers = new Headers({ 'accept-ranges': 'bytes' });
  if (range) headers.set('content-range', `bytes ${start}-${end - 1}/${bytes.byteLength}`);
  return {
    status: range ? 206 : 200,
    headers,
    url: 'memory://',
    contentLength: end - start,
    requestId: undefined,
    body: new Blob([bytes.subarray(start, end)]).stream(),
  };
}

/** A source serving fixed files; `lie` makes it announce a SHA-1 that does not match its bytes. */
function memorySource(
  files: Record<string, string>,
  options: { lie?: string; failOpen?: string; announceSha1?: boolean; modifiedMs?: number } = {},
): Source {
  return {
    label: 'memory://',
    rangeable: true,
    async *list() {
      for (const [path, text] of Object.entries(files)) {
        const announced =
          options.lie === path ? sha1('something else') : options.announceSha1 ? sha1(text) : undefined;
        yield { path, size: Buffer.byteLength(text), sha1: announced, modifiedMs: options.modifiedMs };
      }
    },
    async open(entry: Entry, _signal, range) {
      if (entry.path === options.failOpen) throw new Error(`cannot open ${entry.path}`);
      return response(new TextEncoder().encode(files[entry.path]!), range);
    },
  };
}

const fresh = () => mkdtemp(join(tmpdir(), 'mf-copy-'));
const run = async (
  source: Source,
  root: string,
  extra: { dryRun?: boolean; signal?: AbortSignal; compare?: CompareMode } = {},
) =>
  copy(source, await localTarget(root), {
    concurrency: 2,
    dryRun: extra.dryRun ?? false,
    compare: extra.compare,
    signal: extra.signal ?? new AbortController().signal,
  });

describe('copy engine', () => {
  it('copies every entry with its SHA-1 and modification time, then skips them all on a second run', async () => {
    const root = await fresh();
    const files = { 'a.mp4': 'alpha', 'day/b.mp4': 'bravo bravo', 'day/c.jpg': '' };
    const modifiedMs = Date.UTC(2026, 9, 1, 12, 0, 0, 123);
    const first = await run(memorySource(files, { announceSha1: true, modifiedMs }), root);
    expect(first.outcomes.map((o) => `${o.entry.path}:${o.status}`).sort()).toEqual([
      'a.mp4:copied',
      'day/b.mp4:copied',
      'day/c.jpg:copied',
    ]);
    expect(first.bytes).toBe(16);
    expect(await readFile(join(root, 'day/b.mp4'), 'utf8')).toBe('bravo bravo');
    expect(Math.round((await stat(join(root, 'a.mp4'))).mtimeMs)).toBe(modifiedMs);
    expect(first.outcomes.find((o) => o.entry.path === 'a.mp4')).toMatchObject({ sha1: sha1('alpha') });
    // Nothing is left of the partial files.
    expect((await readdir(root)).sort()).toEqual(['a.mp4', 'day']);

    const second = await run(memorySource(files, { modifiedMs }), root);
    expect(second.outcomes.map((o) => (o.status === 'skipped' ? o.reason : o.status))).toEqual([
      'same size and modification time',
      'same size and modification time',
      'same size and modification time',
    ]);
    expect(second.bytes).toBe(0);
  });

  it('same size is not enough: a different modification time copies again, --size-only does not', async () => {
    const root = await fresh();
    await writeFile(join(root, 'a.mp4'), 'ALPHA');
    const source = memorySource({ 'a.mp4': 'alpha' }, { modifiedMs: 1_000_000 });
    const sizeOnly = await run(source, root, { compare: 'size-only' });
    expect(sizeOnly.outcomes[0]).toMatchObject({ status: 'skipped', reason: 'same size (--size-only)' });
    expect((await run(source, root)).outcomes[0]?.status).toBe('copied');
    expect(await readFile(join(root, 'a.mp4'), 'utf8')).toBe('alpha');
  });

  it('--checksum hashes the destination: a same-size, same-time edit is found', async () => {
    const root = await fresh();
    const source = memorySource({ 'a.mp4': 'alpha' }, { modifiedMs: 1_000_000, announceSha1: true });
    await run(source, root);
    await writeFile(join(root, 'a.mp4'), 'ALPHA');
    await utimes(join(root, 'a.mp4'), new Date(), new Date(1_000_000));
    expect((await run(source, root)).outcomes[0]).toMatchObject({ status: 'skipped' });
    expect((await run(source, root, { compare: 'checksum' })).outcomes[0]?.status).toBe('copied');
    expect((await run(source, root, { compare: 'checksum' })).outcomes[0]).toMatchObject({
      status: 'skipped',
      reason: 'same SHA-1',
    });
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

  it('never writes outside the destination for a hostile name, nor through a symbolic link', async () => {
    const root = await fresh();
    const outside = await fresh();
    await symlink(outside, join(root, 'evil'));
    const report = await run(memorySource({ '../escape.mp4': 'x', 'evil/pwned': 'p', 'ok.mp4': 'y' }), root);
    for (const path of ['../escape.mp4', 'evil/pwned']) {
      const hostile = report.outcomes.find((o) => o.entry.path === path);
      expect(hostile?.status === 'failed' && hostile.error).toBeInstanceOf(UnsafePathError);
    }
    expect(await readdir(join(root, '..'))).not.toContain('escape.mp4');
    expect(await readdir(outside)).toEqual([]);
  });

  it('names that differ only by case or Unicode normalisation get distinct, stable names', async () => {
    const root = await fresh();
    const files = { 'Clip.mp4': 'one', 'clip.mp4': 'two', 'caf\u00e9.mp4': 'nfc', 'cafe\u0301.mp4': 'nfd' };
    const first = await run(memorySource(files, { modifiedMs: 5000 }), root);
    expect(first.outcomes.every((o) => o.status === 'copied')).toBe(true);
    const names = (await readdir(root)).sort();
    expect(names).toHaveLength(4);
    const contents = await Promise.all(names.map((n) => readFile(join(root, n), 'utf8')));
    expect(contents.sort()).toEqual(['nfc', 'nfd', 'one', 'two']);
    const second = await run(memorySource(files, { modifiedMs: 5000 }), root);
    expect(second.outcomes.every((o) => o.status === 'skipped')).toBe(true);
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

  it('an abort mid-transfer leaves nothing under the final name and marks the report interrupted', async () => {
    const root = await fresh();
    const controller = new AbortController();
    const slow: Source = {
      label: 'slow://',
      rangeable: false,
      async *list() {
        yield { path: 'big.mp4', size: 1_000_000 };
      },
      async open() {
        let sent = 0;
        return {
          ...response(new Uint8Array(0), undefined),
          contentLength: 1_000_000,
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
    expect((await readdir(root)).filter((n) => n !== PARTIAL_DIR)).toEqual([]);
  });

  it('walks a local folder as a source, with relative /-separated paths, skipping partial files', async () => {
    const src = await fresh();
    await writeFile(join(src, 'one.mp4'), '1');
    await mkdir(join(src, 'sub'));
    await writeFile(join(src, 'sub', 'two.mp4'), '22');
    await writeFile(join(src, 'sub', '.two.mp4.0123456789ab.mfpart'), 'partial');
    await mkdir(join(src, PARTIAL_DIR));
    await writeFile(join(src, PARTIAL_DIR, 'x.part'), 'partial');
    const entries: Entry[] = [];
    for await (const entry of localSource(src).list(new AbortController().signal)) entries.push(entry);
    expect(entries.map((e) => [e.path, e.size])).toEqual([
      ['one.mp4', 1],
      ['sub/two.mp4', 2],
    ]);
  });

  it('what was committed from a source that changed meanwhile is taken back, and the item fails', async () => {
    const discarded: string[] = [];
    const source: Source = {
      ...memorySource({ 'a.mp4': 'alpha' }),
      async checkUnchanged(entry) {
        throw new SourceChangedError(entry.path, 'modified');
      },
    };
    const target: Target = {
      label: 'memory-target://',
      place: (path) => path,
      stat: async () => undefined,
      async write(name, body) {
        const response = await body.open();
        await new Response(response.body).arrayBuffer();
        return { location: name, discard: async () => void discarded.push(name) };
      },
    };
    const report = await copy(source, target, {
      concurrency: 1,
      dryRun: false,
      signal: new AbortController().signal,
    });
    expect(report.outcomes[0]?.status).toBe('failed');
    expect(report.outcomes[0]?.status === 'failed' && report.outcomes[0].error).toBeInstanceOf(
      SourceChangedError,
    );
    expect(discarded).toEqual(['a.mp4']);
  });
});

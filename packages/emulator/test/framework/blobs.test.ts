import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BlobStore,
  BlobTooLargeError,
  blobIdsIn,
  generatedBytes,
  IdGenerator,
  parseRange,
} from '../../src/index.js';

const sha1 = (bytes: Uint8Array | string) => createHash('sha1').update(bytes).digest('hex');
const text = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

function chunked(parts: string[], failAfter?: number): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream({
    pull(controller) {
      if (failAfter !== undefined && index === failAfter)
        return controller.error(new Error('client went away'));
      const part = parts[index++];
      if (part === undefined) return controller.close();
      controller.enqueue(new TextEncoder().encode(part));
    },
  });
}

describe.each(['memory', 'disk'])('BlobStore (%s)', (mode) => {
  const store = async () =>
    new BlobStore(
      new IdGenerator('t'),
      mode === 'disk' ? await mkdtemp(join(tmpdir(), 'mf-blobs-')) : undefined,
    );

  it('stores a stream with its SHA-1 and MD5, and reads back any range', async () => {
    const blobs = await store();
    const info = await blobs.put(chunked(['hello ', 'wide ', 'world']));
    expect(info).toMatchObject({
      size: 16,
      sha1: sha1('hello wide world'),
      md5: createHash('md5').update('hello wide world').digest('hex'),
    });
    expect(await text(blobs.read(info.id))).toBe('hello wide world');
    expect(await text(blobs.read(info.id, { start: 4, end: 8 }))).toBe('o wid');
  });

  it('rejects a body over the limit and keeps nothing of it', async () => {
    const dir = mode === 'disk' ? await mkdtemp(join(tmpdir(), 'mf-blobs-')) : undefined;
    const blobs = new BlobStore(new IdGenerator('t'), dir);
    await expect(blobs.put(chunked(['12345', '67890']), { limit: 7 })).rejects.toBeInstanceOf(
      BlobTooLargeError,
    );
    await expect(blobs.put(chunked(['abc', 'def'], 1))).rejects.toThrow('client went away');
    expect(blobs.records()).toEqual([]);
    if (dir) expect(await readdir(dir)).toEqual([]);
  });

  describe('a declared size of 8 MiB or more (hashed, and written, on a worker thread)', () => {
    const MiB = 1024 * 1024;
    /** `size` bytes in chunks of odd sizes (so slabs fill across chunk boundaries), failing at `failAt`. */
    const bodyOf = (bytes: Uint8Array, failAt?: number): AsyncIterable<Uint8Array> => ({
      async *[Symbol.asyncIterator]() {
        for (let at = 0, n = 0; at < bytes.byteLength; n += 1) {
          if (failAt !== undefined && at >= failAt) throw new Error('client went away');
          const next = Math.min(bytes.byteLength, at + 65_536 + (n % 7) * 4099);
          yield bytes.subarray(at, next);
          at = next;
        }
      },
    });
    const bytes = new Uint8Array(9 * MiB + 12_345).map((_, i) => (i * 2654435761) >>> 24);

    it('stores the same bytes and digests as on the event loop, several bodies at once', async () => {
      const blobs = await store();
      const other = bytes.slice().reverse();
      const [a, b] = await Promise.all([
        blobs.put(bodyOf(bytes), { expectedSize: bytes.byteLength }),
        blobs.put(bodyOf(other), { expectedSize: other.byteLength }),
      ]);
      for (const [info, source] of [
        [a, bytes],
        [b, other],
      ] as const) {
        expect(info).toMatchObject({
          size: source.byteLength,
          sha1: sha1(source),
          md5: createHash('md5').update(source).digest('hex'),
        });
        expect(sha1(new Uint8Array(await new Response(blobs.read(info.id)).arrayBuffer()))).toBe(
          sha1(source),
        );
        const range = new Uint8Array(
          await new Response(blobs.read(info.id, { start: MiB - 10, end: 2 * MiB + 10 })).arrayBuffer(),
        );
        expect(sha1(range)).toBe(sha1(source.subarray(MiB - 10, 2 * MiB + 11)));
      }
    });

    it('keeps nothing of a body that fails or passes its limit, and the next body stores whole', async () => {
      const dir = mode === 'disk' ? await mkdtemp(join(tmpdir(), 'mf-blobs-')) : undefined;
      const blobs = new BlobStore(new IdGenerator('t'), dir);
      await expect(blobs.put(bodyOf(bytes, 5 * MiB), { expectedSize: bytes.byteLength })).rejects.toThrow(
        'client went away',
      );
      await expect(
        blobs.put(bodyOf(bytes), { expectedSize: 8 * MiB, limit: 8 * MiB }),
      ).rejects.toBeInstanceOf(BlobTooLargeError);
      expect(blobs.records()).toEqual([]);
      if (dir) expect(await readdir(dir)).toEqual([]);
      const info = await blobs.put(bodyOf(bytes), { expectedSize: bytes.byteLength });
      // The record persisted with the state holds what any stored blob's does, and nothing else.
      expect(blobs.records()).toEqual([
        {
          kind: 'stored',
          id: info.id,
          size: bytes.byteLength,
          sha1: sha1(bytes),
          md5: createHash('md5').update(bytes).digest('hex'),
        },
      ]);
      if (dir) expect(await readdir(dir)).toEqual([info.id]);
    });
  });

  it('composes parts without copying, with lazily computed digests and ranges across part boundaries', async () => {
    const blobs = await store();
    const a = await blobs.putBytes('aaaa');
    const b = await blobs.putGenerated(10, 'g');
    const c = await blobs.putBytes('cc');
    const whole = blobs.compose([a.id, b.id, c.id]);
    expect(whole.size).toBe(16);
    expect(whole.sha1).toBeUndefined();
    const expected = Buffer.concat([Buffer.from('aaaa'), generatedBytes('g', 10), Buffer.from('cc')]);
    expect(await blobs.digest(whole.id, 'sha1')).toBe(sha1(expected));
    const middle = new Uint8Array(
      await new Response(blobs.read(whole.id, { start: 2, end: 14 })).arrayBuffer(),
    );
    expect(Buffer.from(middle)).toEqual(expected.subarray(2, 15));
  });

  it('deletes the parts of a composed blob with it, files included once committed', async () => {
    const dir = mode === 'disk' ? await mkdtemp(join(tmpdir(), 'mf-blobs-')) : undefined;
    const blobs = new BlobStore(new IdGenerator('t'), dir);
    const kept = await blobs.putBytes('kept');
    const parts = [await blobs.putBytes('aaaa'), await blobs.putBytes('bb')];
    const whole = blobs.compose(parts.map((p) => p.id));
    await blobs.delete(whole.id);
    expect(blobs.records().map((r) => r.id)).toEqual([kept.id]);
    for (const part of parts) expect(blobs.stat(part.id)).toBeUndefined();
    await blobs.prepareCommit();
    await blobs.committed();
    if (dir) expect(await readdir(dir)).toEqual([kept.id]);
  });

  it('drops the blobs a state does not use, one by one, keeping the parts of a composed one in use', async () => {
    const dir = mode === 'disk' ? await mkdtemp(join(tmpdir(), 'mf-blobs-')) : undefined;
    const blobs = new BlobStore(new IdGenerator('t'), dir);
    const used = await blobs.putBytes('used');
    const leaked = await blobs.putBytes('leaked');
    const parts = [await blobs.putBytes('aa'), await blobs.putBytes('bb')];
    const finished = blobs.compose(parts.map((p) => p.id));
    // An unused composed blob goes without its parts: one of them is still used on its own.
    const shared = await blobs.putBytes('shared');
    const other = await blobs.putBytes('cc');
    const stale = blobs.compose([shared.id, other.id]);
    const state = {
      files: { a: { blobId: used.id }, b: { blobId: finished.id } },
      note: `see ${shared.id}.`,
    };
    const dropped = blobs.dropUnused(blobIdsIn(state));
    expect(dropped.sort()).toEqual([leaked.id, other.id, stale.id].sort());
    const kept = [used.id, ...parts.map((p) => p.id), finished.id, shared.id];
    expect(blobs.records().map((r) => r.id)).toEqual(kept);
    expect(await text(blobs.read(finished.id))).toBe('aabb');
    if (dir) {
      // The files go with the commit that no longer lists them.
      expect(await readdir(dir)).toHaveLength(6);
      await blobs.prepareCommit();
      await blobs.committed();
      expect((await readdir(dir)).sort()).toEqual(kept.filter((id) => id !== finished.id).sort());
    }
  });
});

describe('generated blobs', () => {
  it('are deterministic per seed, differ across seeds, and hash without being stored', async () => {
    const blobs = new BlobStore(new IdGenerator('t'));
    const one = await blobs.putGenerated(200_000, 'seed-a');
    const two = await blobs.putGenerated(200_000, 'seed-b');
    expect(one.sha1).toBe(sha1(generatedBytes('seed-a', 200_000)));
    expect(one.sha1).not.toBe(two.sha1);
    const lazy = await blobs.putGenerated(200_000, 'seed-a', { hash: false });
    expect(lazy.sha1).toBeUndefined();
    expect(await blobs.digest(lazy.id, 'sha1')).toBe(one.sha1);
  });
});

describe('parseRange', () => {
  it.each([
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=90-500', 100, { start: 90, end: 99 }],
    ['bytes=-5', 100, { start: 95, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=100-', 100, 'invalid'],
    ['bytes=5-2', 100, 'invalid'],
    ['bytes=-0', 100, 'invalid'],
    ['bytes=0-1,5-6', 100, undefined],
    ['items=0-1', 100, undefined],
    [undefined, 100, undefined],
  ] as const)('%s of %i → %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

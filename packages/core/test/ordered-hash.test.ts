/**
 * The pieces behind a parallel-range download's speed: `OrderedHasher` hashes bytes that arrive in any order
 * exactly once and in order (from memory at the front, read back from the file elsewhere), and `EarlyFlush`
 * starts the disk's writeback early without ever hiding a failed flush from the final `sync()`.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EarlyFlush } from '../src/transfer/file-writer.js';
import { OrderedHasher } from '../src/transfer/ordered-hash.js';

const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

/** A deterministic generator, so a failing interleaving can be replayed by its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

async function scratchFile(): Promise<FileHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'mf-ordered-hash-'));
  return open(join(dir, 'download.part'), 'wx+');
}

/**
 * Downloads `payload` as `ranges` ranges arriving in random pieces and a random order, as `saveRangesToFile`
 * drives the hasher: `arriving` before each write, `written` once it is in the file (writes finish late and
 * out of order).
 */
async function simulate(payload: Buffer, ranges: number, seed: number): Promise<string> {
  const next = random(seed);
  const handle = await scratchFile();
  try {
    const hasher = new OrderedHasher(handle, createHash('sha1'), payload.byteLength);
    const size = Math.ceil(payload.byteLength / ranges);
    const cursors = Array.from({ length: ranges }, (_, i) => ({
      at: i * size,
      end: Math.min(payload.byteLength, (i + 1) * size),
    })).filter((c) => c.at < c.end);
    const pendingWrites: Array<Promise<void>> = [];
    while (cursors.some((c) => c.at < c.end)) {
      const open = cursors.filter((c) => c.at < c.end);
      const cursor = open[Math.floor(next() * open.length)]!;
      const length = Math.min(cursor.end - cursor.at, 1 + Math.floor(next() * 300_000));
      const at = cursor.at;
      const bytes = payload.subarray(at, at + length);
      cursor.at += length;
      hasher.arriving(bytes, at);
      const delay = Math.floor(next() * 3);
      pendingWrites.push(
        (async () => {
          for (let i = 0; i < delay; i += 1) await new Promise((resolve) => setImmediate(resolve));
          await handle.write(bytes, 0, length, at);
          hasher.written(at, length);
        })(),
      );
      if (next() < 0.3) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pendingWrites);
    return await hasher.digest();
  } finally {
    await handle.close();
  }
}

describe('OrderedHasher', () => {
  const payload = Buffer.from(
    Array.from({ length: 5 * 1024 * 1024 + 11 }, (_, i) => (i * 31 + (i >> 9)) % 251),
  );

  it('hashes every byte once and in order, whatever order the ranges arrive and are written in', async () => {
    for (const [ranges, seed] of [
      [1, 1],
      [4, 2],
      [4, 3],
      [7, 4],
      [16, 5],
    ] as const) {
      expect(await simulate(payload, ranges, seed), `${ranges} ranges, seed ${seed}`).toBe(sha1(payload));
    }
  });

  it('hashes what is in the file, read back, for bytes that were not next when they arrived', async () => {
    const handle = await scratchFile();
    try {
      const hasher = new OrderedHasher(handle, createHash('sha1'), 8);
      // The second half arrives first; the file holds different bytes there than announced, and the hash
      // must follow the file (what the rename will publish).
      hasher.arriving(Buffer.from('WXYZ'), 4);
      await handle.write(Buffer.from('wxyz'), 0, 4, 4);
      hasher.written(4, 4);
      hasher.arriving(Buffer.from('abcd'), 0);
      await handle.write(Buffer.from('abcd'), 0, 4, 0);
      hasher.written(0, 4);
      expect(await hasher.digest()).toBe(sha1(Buffer.from('abcdwxyz')));
    } finally {
      await handle.close();
    }
  });

  it('refuses a digest while a byte was never written', async () => {
    const handle = await scratchFile();
    try {
      const hasher = new OrderedHasher(handle, createHash('sha1'), 12);
      for (const at of [0, 8]) {
        hasher.arriving(Buffer.from('abcd'), at);
        await handle.write(Buffer.from('abcd'), 0, 4, at);
        hasher.written(at, 4);
      }
      await expect(hasher.digest()).rejects.toThrow(/reached 4 of 12 bytes/);
    } finally {
      await handle.close();
    }
  });
});

describe('EarlyFlush', () => {
  /** A file handle whose datasync/sync are recorded, and whose datasync fails when asked to. */
  function fakeHandle(failDatasync: boolean) {
    const calls: string[] = [];
    const handle = {
      datasync: async () => {
        calls.push('datasync');
        if (failDatasync) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      },
      sync: async () => {
        calls.push('sync');
      },
    } as unknown as FileHandle;
    return { handle, calls };
  }

  it('starts one background flush per threshold, and still fsyncs at the end', async () => {
    const { handle, calls } = fakeHandle(false);
    const flush = new EarlyFlush(handle, 100);
    flush.wrote(60);
    expect(calls).toEqual([]);
    flush.wrote(60);
    flush.wrote(200); // a flush is running: not a second one
    expect(calls).toEqual(['datasync']);
    await flush.settled();
    flush.wrote(100);
    await flush.sync();
    expect(calls).toEqual(['datasync', 'datasync', 'sync']);
  });

  it("throws a background flush's error from sync(): Linux reports it to one fsync only", async () => {
    const { handle, calls } = fakeHandle(true);
    const flush = new EarlyFlush(handle, 10);
    flush.wrote(10);
    await expect(flush.sync()).rejects.toThrow(/EIO/);
    expect(calls).toEqual(['datasync']);
  });
});

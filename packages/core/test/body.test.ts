import { createHash } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStream } from '../src/body/file-stream.js';
import { type BodyLease, type LeasedSource, leaseSourceOf, offerLeases } from '../src/body/leases.js';
import { ownedStream } from '../src/body/streams.js';
import { countedStream, tapBody } from '../src/body/tap.js';
import {
  BodyConsumedError,
  fixedChunks,
  fromPath,
  InvalidInputError,
  multipartBody,
  readAll,
  toBodySource,
} from '../src/index.js';

let dir: string;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mf-body-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('body sources', () => {
  it('files are replayable and rangeable, size known up front', async () => {
    const path = join(dir, 'a.bin');
    const data = Buffer.from('0123456789'.repeat(300_000));
    await writeFile(path, data);
    const source = await toBodySource(fromPath(path));
    expect(source).toMatchObject({ size: data.length, replayable: true, rangeable: true });
    const whole = await readAll(await source.open());
    expect(createHash('sha1').update(whole).digest('hex')).toBe(
      createHash('sha1').update(data).digest('hex'),
    );
    expect(text(await readAll(await source.open({ start: 2_000_001, end: 2_000_005 })))).toBe('1234');
    expect((await readAll(await source.open())).byteLength).toBe(data.length);
  });

  it('a missing file is invalid input before anything is sent', async () => {
    await expect(toBodySource(fromPath(join(dir, 'missing')), { field: 'source' })).rejects.toMatchObject({
      field: 'source',
    });
    await expect(toBodySource(fromPath(dir))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('strings, bytes, blobs and factories are replayable', async () => {
    for (const input of [
      'héllo',
      new TextEncoder().encode('héllo'),
      new Blob(['héllo']),
      () => Readable.from([Buffer.from('hé'), Buffer.from('llo')]),
    ]) {
      const source = await toBodySource(input);
      expect(source.replayable).toBe(true);
      expect(text(await readAll(await source.open()))).toBe('héllo');
      expect(text(await readAll(await source.open()))).toBe('héllo');
    }
  });

  it('a one-shot stream can be reopened until a byte is read, then never again', async () => {
    const source = await toBodySource(Readable.from([Buffer.from('abc')]));
    expect(source.replayable).toBe(false);
    await (await source.open()).cancel();
    expect(source.consumed).toBe(false);
    expect(text(await readAll(await source.open()))).toBe('abc');
    expect(source.consumed).toBe(true);
    await expect(source.open()).rejects.toBeInstanceOf(BodyConsumedError);
  });

  it('a range of a file (a part sent beside others) is read only when asked: no chunk read ahead', async () => {
    const path = join(dir, 'parts.bin');
    const MiB = 1024 * 1024;
    await writeFile(path, Buffer.alloc(3 * MiB, 1));
    const source = await toBodySource(fromPath(path));
    const reader = (await source.open({ start: 0, end: 3 * MiB })).getReader();
    const first = await reader.read();
    expect(first.value?.[0]).toBe(1);
    // Bytes changed after the first chunk was taken are what the second read sees: nothing was read ahead.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const handle = await open(path, 'r+');
    await handle.write(Buffer.alloc(2 * MiB, 2), 0, 2 * MiB, MiB);
    await handle.close();
    let rest = 0;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      expect(next.value.every((byte) => byte === 2)).toBe(true);
      rest += next.value.byteLength;
    }
    expect(rest).toBe(2 * MiB);
  });

  it('fixedChunks cuts exact sizes', async () => {
    const source = await toBodySource(new Uint8Array(25).map((_, i) => i));
    const sizes: number[] = [];
    for await (const chunk of fixedChunks(await source.open(), 10)) sizes.push(chunk.byteLength);
    expect(sizes).toEqual([10, 10, 5]);
  });
});

describe('file streams read as leases', () => {
  const MiB = 1024 * 1024;
  const readLeases = async (source: LeasedSource, hold = 0) => {
    const hash = createHash('sha1');
    const buffers = new Set<ArrayBufferLike>();
    const held: BodyLease[] = [];
    for (let lease = await source.next(); lease; lease = await source.next()) {
      hash.update(lease.bytes);
      buffers.add(lease.bytes.buffer);
      held.push(lease);
      while (held.length > hold) held.shift()!.release();
    }
    return { sha1: hash.digest('hex'), buffers: buffers.size };
  };

  it('gives the file’s bytes, reading into the buffers its reader gave back (a few, whatever the size)', async () => {
    const path = join(dir, 'leased.bin');
    const data = Buffer.alloc(9 * MiB + 123).map((_, i) => (i * 7) % 251);
    await writeFile(path, data);
    const sha1 = createHash('sha1').update(data).digest('hex');
    const stream = fileStream(path);
    const whole = await readLeases(leaseSourceOf(stream)!);
    expect(whole.sha1).toBe(sha1);
    // One lease out and one read ahead: buffers cycle instead of one per megabyte.
    expect(whole.buffers).toBeLessThanOrEqual(3);
    // Read as leases, the web view is not read: it stays for the sender to lock.
    expect(stream.locked).toBe(false);
    const range = await readLeases(leaseSourceOf(fileStream(path, { start: 5, end: 5 + 2 * MiB }))!);
    expect(range.sha1).toBe(
      createHash('sha1')
        .update(data.subarray(5, 5 + 2 * MiB))
        .digest('hex'),
    );
    // Leases kept unreleased are never read into again.
    const kept = await readLeases(leaseSourceOf(fileStream(path))!, 100);
    expect(kept).toEqual({ sha1, buffers: 10 });
  });

  it('without read-ahead, a lease is read only when asked', async () => {
    const path = join(dir, 'leased-parts.bin');
    await writeFile(path, Buffer.alloc(3 * MiB, 1));
    const leases = leaseSourceOf(fileStream(path, { start: 0, end: 3 * MiB }, { readAhead: false }))!;
    const first = await leases.next();
    expect(first?.bytes[0]).toBe(1);
    first?.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const handle = await open(path, 'r+');
    await handle.write(Buffer.alloc(2 * MiB, 2), 0, 2 * MiB, MiB);
    await handle.close();
    let rest = 0;
    for (let lease = await leases.next(); lease; lease = await leases.next()) {
      expect(lease.bytes.every((byte) => byte === 2)).toBe(true);
      rest += lease.bytes.byteLength;
      lease.release();
    }
    expect(rest).toBe(2 * MiB);
  });

  it('an upload body keeps the lease path through its layers (owned, counted, hashed)', async () => {
    const path = join(dir, 'layers.bin');
    await writeFile(path, Buffer.alloc(2 * MiB + 1, 3));
    const source = await toBodySource(fromPath(path));
    const hash = createHash('sha1');
    const owned = ownedStream(tapBody(await source.open(), { chunk: (bytes) => hash.update(bytes) }));
    let counted = 0;
    const body = countedStream(owned.stream, (loaded) => {
      counted = loaded;
    });
    const leases = leaseSourceOf(body);
    expect(leases).toBeDefined();
    expect((await readLeases(leases!)).sha1).toBe(
      createHash('sha1')
        .update(Buffer.alloc(2 * MiB + 1, 3))
        .digest('hex'),
    );
    expect(counted).toBe(2 * MiB + 1);
    expect(hash.digest('hex')).toBe(
      createHash('sha1')
        .update(Buffer.alloc(2 * MiB + 1, 3))
        .digest('hex'),
    );
  });
});

describe('multipart encoder', () => {
  it('produces a body a standard parser reads back, with an exact length', async () => {
    const path = join(dir, 'clip.mp4');
    await writeFile(path, Buffer.alloc(100_000, 7));
    const body = multipartBody([
      { name: 'title', value: 'Night "ride" ✓' },
      {
        name: 'file',
        filename: 'clip.mp4',
        contentType: 'video/mp4',
        source: await toBodySource(fromPath(path)),
      },
    ]);
    const bytes = await readAll(await body.open());
    expect(body.size).toBe(bytes.byteLength);
    expect(body.replayable).toBe(true);
    const form = await new Response(bytes, { headers: { 'content-type': body.contentType } }).formData();
    expect(form.get('title')).toBe('Night "ride" ✓');
    const file = form.get('file') as File;
    expect(file.name).toBe('clip.mp4');
    expect(file.type).toBe('video/mp4');
    expect(file.size).toBe(100_000);
  });
});

describe('tapBody as an upload layer (trailer, no read-ahead)', () => {
  /** A source that counts its pulls and whether it was cancelled. */
  const counting = (chunks: number) => {
    const state = { pulls: 0, cancelled: undefined as unknown };
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          state.pulls += 1;
          if (state.pulls > chunks) controller.close();
          else controller.enqueue(new Uint8Array([state.pulls]));
        },
        cancel(reason) {
          state.cancelled = reason;
        },
      },
      { highWaterMark: 0 },
    );
    return { state, stream };
  };

  it('shows each chunk to the observer, sends the trailer after the last, and reads nothing ahead', async () => {
    const { state, stream } = counting(3);
    const seen: number[] = [];
    const observed = tapBody(stream, {
      chunk: (bytes) => seen.push(bytes[0]!),
      trailer: () => new Uint8Array([seen.length * 10]),
    });
    const reader = observed.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(state.pulls).toBe(1);
    const rest: number[] = [];
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest.push(...next.value);
    expect(rest).toEqual([2, 3, 30]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('an observer that throws fails the stream with its error and cancels the source', async () => {
    const { state, stream } = counting(5);
    const refused = new Error('over the limit');
    const observed = tapBody(stream, {
      chunk: (bytes) => {
        if (bytes[0] === 2) throw refused;
      },
    });
    const reader = observed.getReader();
    await reader.read();
    await expect(reader.read()).rejects.toBe(refused);
    expect(state.cancelled).toBe(refused);
  });

  it('countedStream reports the running total; cancelling it cancels the source', async () => {
    const totals: number[] = [];
    const counted = countedStream(new Blob([new Uint8Array(10), new Uint8Array(5)]).stream(), (n) =>
      totals.push(n),
    );
    expect((await readAll(counted)).byteLength).toBe(15);
    expect(totals.at(-1)).toBe(15);
    const { state, stream } = counting(5);
    const reader = countedStream(stream, () => {}).getReader();
    await reader.read();
    await reader.cancel('stop');
    expect(state.cancelled).toBe('stop');
  });
});

describe('ownedStream', () => {
  it('a release mid-way fails the consumer (never a short body that ends cleanly) and closes the source', async () => {
    let cancelled = false;
    let n = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        n += 1;
        controller.enqueue(new Uint8Array([n]));
      },
      cancel() {
        cancelled = true;
      },
    });
    const owned = ownedStream(source);
    const reader = owned.stream.getReader();
    expect((await reader.read()).value).toEqual(new Uint8Array([1]));
    owned.release(new Error('gone'));
    await expect(reader.read()).rejects.toThrow('gone');
    expect(cancelled).toBe(true);
  });

  it('passes the leases of a source that offers them; a release mid-way fails the next lease and cancels the source', async () => {
    let cancelled: unknown;
    let n = 0;
    const web = new ReadableStream<Uint8Array>();
    const source: LeasedSource = {
      next: async () => ({ bytes: new Uint8Array([++n]), release: () => {} }),
      cancel: (reason) => {
        cancelled = reason;
      },
    };
    offerLeases(web, source);
    const owned = ownedStream(web);
    const leases = leaseSourceOf(owned.stream)!;
    expect(leases).toBeDefined();
    expect((await leases.next())?.bytes).toEqual(new Uint8Array([1]));
    owned.release(new Error('gone'));
    await expect(leases.next()).rejects.toThrow('gone');
    expect(cancelled).toBeInstanceOf(Error);
    expect(n).toBe(1);
  });

  it('a release after the end changes nothing', async () => {
    const owned = ownedStream(new Blob([new Uint8Array([1, 2])]).stream());
    const all = await new Response(owned.stream).arrayBuffer();
    owned.release();
    expect(new Uint8Array(all)).toEqual(new Uint8Array([1, 2]));
  });
});

describe('slab pools', () => {
  it('a closed pool spares its slabs for the next one, lent ones once released: many responses reuse the same memory', async () => {
    const { SlabPool } = await import('../src/body/leases.js');
    const first = new SlabPool(3, () => {});
    const a = first.take()!;
    const b = first.take()!;
    expect(first.take()).toBeDefined();
    expect(first.take()).toBeUndefined();
    const lent = first.lend(a, 0, 10);
    first.give(a); // its taker is done with it; the lease still holds it
    first.give(b);
    first.close();
    // b was free at close: spared now; a is still lent, so no other pool may have it yet.
    const second = new SlabPool(3, () => {});
    const taken = [second.take(), second.take(), second.take()];
    expect(taken).toContain(b);
    expect(taken).not.toContain(a);
    lent.release();
    const third = new SlabPool(16, () => {});
    const reused = Array.from({ length: 16 }, () => third.take());
    expect(reused).toContain(a);
  });

  it('a slab lent in parts while it fills comes free once its taker and every part are done', async () => {
    const { SlabPool } = await import('../src/body/leases.js');
    let freed = 0;
    const pool = new SlabPool(1, () => {
      freed += 1;
    });
    const slab = pool.take()!;
    const first = pool.lend(slab, 0, 100);
    const second = pool.lend(slab, 100, 300);
    expect(second.bytes.byteOffset - first.bytes.byteOffset).toBe(100);
    expect(second.bytes.byteLength).toBe(200);
    first.release();
    first.release(); // idempotent: it must not count as the second part's release
    expect(pool.take()).toBeUndefined();
    pool.give(slab); // the taker is done filling it; the second part is still out
    expect(pool.take()).toBeUndefined();
    expect(freed).toBe(0);
    second.release();
    expect(freed).toBe(1);
    expect(pool.take()).toBe(slab);
  });
});

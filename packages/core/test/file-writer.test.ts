/**
 * The pipelined file writer: leases that arrive while a write is in flight are gathered into one write, in
 * order, with short writes finished and every lease given back, whatever happens.
 */
import { mkdtemp, open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BodyLease } from '../src/body/leases.js';
import { PipelinedWriter } from '../src/transfer/file-writer.js';

type Handle = ConstructorParameters<typeof PipelinedWriter>[0];

/** A lease of `bytes` that records its release. */
function lease(bytes: Uint8Array, released: Uint8Array[]): BodyLease {
  return { bytes, release: () => released.push(bytes) };
}

/** A file handle whose writes finish when the test says, writing at most `cap` bytes per call. */
function slowHandle(cap = Number.POSITIVE_INFINITY) {
  const file = new Uint8Array(64);
  const calls: Array<{ buffers: number; position: number; length: number }> = [];
  const pending: Array<() => void> = [];
  const take = (buffers: readonly Uint8Array[], position: number) => {
    let written = 0;
    for (const bytes of buffers) {
      const n = Math.min(bytes.byteLength, cap - written);
      if (n <= 0) break;
      file.set(bytes.subarray(0, n), position + written);
      written += n;
    }
    calls.push({ buffers: buffers.length, position, length: written });
    return new Promise<{ bytesWritten: number }>((resolve) =>
      pending.push(() => resolve({ bytesWritten: written })),
    );
  };
  const handle = {
    write: (bytes: Uint8Array, offset: number, length: number, position: number) =>
      take([bytes.subarray(offset, offset + length)], position),
    writev: (buffers: Uint8Array[], position: number) => take(buffers, position),
  } as unknown as Handle;
  const finishOne = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { handle, file, calls, finishOne, pending };
}

const bytes = (from: number, length: number) => Uint8Array.from({ length }, (_, i) => from + i);

describe('pipelined file writes', () => {
  it('leases that arrive during a write go out together, in order, and each is given back after', async () => {
    const { handle, file, calls, finishOne } = slowHandle();
    const released: Uint8Array[] = [];
    const writer = new PipelinedWriter(handle);
    const parts = [bytes(0, 4), bytes(4, 3), bytes(7, 5), bytes(12, 2)];
    let at = 0;
    for (const part of parts) {
      await writer.write(lease(part, released), at);
      at += part.byteLength;
    }
    // The first went out alone; the three that came while it was in flight wait, gathered.
    expect(calls).toEqual([{ buffers: 1, position: 0, length: 4 }]);
    expect(released).toEqual([]);
    await finishOne();
    expect(released).toEqual([parts[0]]);
    expect(calls[1]).toEqual({ buffers: 3, position: 4, length: 10 });
    const drained = writer.drain();
    await finishOne();
    await drained;
    expect(released).toEqual(parts);
    expect([...file.subarray(0, 14)]).toEqual([...bytes(0, 14)]);
  });

  it('a short write is finished from where it stopped, across the gathered buffers', async () => {
    const { handle, file, calls, finishOne, pending } = slowHandle(5);
    const released: Uint8Array[] = [];
    const writer = new PipelinedWriter(handle);
    await writer.write(lease(bytes(0, 2), released), 0);
    await writer.write(lease(bytes(2, 4), released), 2);
    await writer.write(lease(bytes(6, 6), released), 6);
    let done = false;
    const drained = writer.drain().then(() => {
      done = true;
    });
    while (!done && pending.length > 0) await finishOne();
    await drained;
    // 2 alone, then 4 + 6 gathered: 5 bytes, then the 5 after them.
    expect(calls.map((c) => [c.position, c.length])).toEqual([
      [0, 2],
      [2, 5],
      [7, 5],
    ]);
    expect([...file.subarray(0, 12)]).toEqual([...bytes(0, 12)]);
    expect(released).toHaveLength(3);
  });

  it('a write that fails fails the next write and the drain, and gives back every lease, gathered ones too', async () => {
    const released: Uint8Array[] = [];
    let fail: (error: Error) => void = () => {};
    const handle = {
      write: () =>
        new Promise((_, reject) => {
          fail = reject;
        }),
      writev: () => Promise.reject(new Error('never gathered into a write after a failure')),
    } as unknown as Handle;
    const writer = new PipelinedWriter(handle);
    const parts = [bytes(0, 2), bytes(2, 2), bytes(4, 2)];
    await writer.write(lease(parts[0]!, released), 0);
    await writer.write(lease(parts[1]!, released), 2);
    fail(new Error('ENOSPC'));
    await expect(writer.drain()).rejects.toThrow('ENOSPC');
    await expect(writer.write(lease(parts[2]!, released), 4)).rejects.toThrow('ENOSPC');
    expect(new Set(released)).toEqual(new Set(parts));
  });

  it('writes a real file whole when leases arrive faster than the disk takes them', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'mf-writer-')), 'out.bin');
    const handle = await open(path, 'w');
    const writer = new PipelinedWriter(handle);
    const expected = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7 + (i >> 10)) % 256));
    const released: Uint8Array[] = [];
    for (let at = 0, n = 0; at < expected.byteLength; n += 1) {
      const piece = expected.subarray(at, at + 1 + ((n * 7_919) % 150_000));
      await writer.write(lease(piece, released), at);
      at += piece.byteLength;
    }
    await writer.drain();
    await handle.close();
    expect((await readFile(path)).equals(expected)).toBe(true);
  });
});

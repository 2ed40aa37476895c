import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { lendChunk, returnChunk, type StreamResponse } from '@mediaferry/core';
import { type Digest, type Entry, type Source, SourceChangedError } from './types.js';
import { walkFiles } from './walk.js';

/**
 * Read size: a copy reads several files at once, each holding a chunk or two, so reads stay smaller than
 * the core's 1 MiB for a single upload (with 1 MiB, a copy of 8 files took 26 MiB more than one file).
 */
const CHUNK = 256 * 1024;
/** Read buffers a file read keeps for reuse once an upload has given them back. */
const SPARE_BUFFERS = 8;

/** What a file was when it was listed: any difference later means it changed. */
interface Snapshot {
  readonly file: string;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
}

function snapshotOf(file: string, info: BigIntStats): Snapshot {
  return { file, size: Number(info.size), mtimeNs: info.mtimeNs, ino: info.ino };
}

function difference(snapshot: Snapshot, now: BigIntStats): string | undefined {
  if (now.ino !== snapshot.ino) return 'replaced by another file';
  if (Number(now.size) !== snapshot.size) return `size ${snapshot.size} → ${now.size} bytes`;
  if (now.mtimeNs !== snapshot.mtimeNs) return 'modified';
  return undefined;
}

function entryOf(path: string, snapshot: Snapshot): Entry {
  return {
    path,
    size: snapshot.size,
    modifiedMs: Math.round(Number(snapshot.mtimeNs) / 1e6),
    version: `${snapshot.ino}:${snapshot.size}:${snapshot.mtimeNs}`,
    ref: snapshot,
  };
}

/**
 * A file or a folder on disk, as a copy source. A folder is walked recursively in name order; symbolic links
 * are not followed, and partial files of interrupted downloads are never data. Every read checks the file is
 * still what was listed (inode, size, modification time) and fails with {@link SourceChangedError}
 * otherwise, before the stream ends, so a target never commits a mix of old and new bytes.
 */
export function localSource(path: string): Source {
  return {
    label: path,
    rangeable: true,
    async *list() {
      const info = await stat(path, { bigint: true });
      if (info.isFile()) {
        yield entryOf(basename(path), snapshotOf(path, info));
        return;
      }
      for await (const file of walkFiles(path)) {
        // The snapshot is taken as the engine lists ahead (at most its backlog): a file changed after it fails
        // its read, nothing of it is kept, and the next run copies it.
        const now = await stat(file, { bigint: true }).catch(() => undefined);
        if (now?.isFile()) yield entryOf(relative(path, file).split(sep).join('/'), snapshotOf(file, now));
      }
    },
    async open(entry, signal, range) {
      const snapshot = entry.ref as Snapshot;
      const start = range?.start ?? 0;
      const end = range?.end ?? snapshot.size;
      const headers = new Headers({ 'accept-ranges': 'bytes' });
      if (range) headers.set('content-range', `bytes ${start}-${end - 1}/${snapshot.size}`);
      return {
        status: range ? 206 : 200,
        headers,
        url: snapshot.file,
        contentLength: end - start,
        requestId: undefined,
        body: checkedRead(entry.path, snapshot, { start, end }, signal),
      } satisfies StreamResponse;
    },
    async digest(entry, signal, partSize) {
      return digestOf(entry.path, entry.ref as Snapshot, signal, partSize);
    },
    async checkUnchanged(entry) {
      const snapshot = entry.ref as Snapshot;
      const now = await stat(snapshot.file, { bigint: true }).catch(() => undefined);
      const changed = now ? difference(snapshot, now) : 'deleted';
      if (changed) throw new SourceChangedError(entry.path, changed);
    },
  };
}

/**
 * Reads `[start, end)` of a listed file. The file is checked when opened and again after the last byte, and
 * a short read fails at once (a shrunk file never leaves a server waiting for bytes that will not come).
 */
function checkedRead(
  path: string,
  snapshot: Snapshot,
  range: { start: number; end: number },
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  let closed = false;
  let position = range.start;
  const spare: Uint8Array[] = [];
  // Closes the file once, whoever gets there first: the end, an error, or a cancel arriving mid-open.
  const close = async () => {
    closed = true;
    const opened = handle;
    handle = undefined;
    await opened?.close().catch(() => {});
  };
  const check = async (file: FileHandle) => {
    const changed = difference(snapshot, await file.stat({ bigint: true }));
    if (changed) throw new SourceChangedError(path, changed);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          signal.throwIfAborted();
          if (!handle) {
            const opened = await open(snapshot.file, 'r');
            if (closed) {
              await opened.close();
              return;
            }
            handle = opened;
            await check(handle);
          }
          if (position >= range.end) {
            await check(handle);
            await close();
            controller.close();
            return;
          }
          const want = Math.min(CHUNK, range.end - position);
          const buffer = spare.pop() ?? new Uint8Array(CHUNK);
          const { bytesRead } = await handle.read(buffer, 0, want, position);
          if (closed) return;
          if (bytesRead === 0)
            throw new SourceChangedError(path, `ended at byte ${position} of ${range.end}`);
          position += bytesRead;
          const chunk = buffer.subarray(0, bytesRead);
          // An upload gives the buffer back once the socket took it: no garbage per read.
          lendChunk(chunk, () => {
            if (spare.length < SPARE_BUFFERS) spare.push(buffer);
          });
          controller.enqueue(chunk);
        } catch (error) {
          await close();
          if ((error as NodeJS.ErrnoException).code === 'ENOENT')
            throw new SourceChangedError(path, 'deleted');
          throw error;
        }
      },
      cancel: close,
    },
    { highWaterMark: 0 },
  );
}

/** SHA-1 of a listed file, whole and per part, from one read that is checked like any other. */
async function digestOf(
  path: string,
  snapshot: Snapshot,
  signal: AbortSignal,
  partSize?: number,
): Promise<Digest> {
  const whole = createHash('sha1');
  const parts: string[] = [];
  let part = createHash('sha1');
  let inPart = 0;
  for await (const chunk of checkedRead(path, snapshot, { start: 0, end: snapshot.size }, signal)) {
    whole.update(chunk);
    if (!partSize) {
      returnChunk(chunk);
      continue;
    }
    let rest = chunk;
    while (rest.byteLength > 0) {
      const take = Math.min(partSize - inPart, rest.byteLength);
      part.update(rest.subarray(0, take));
      inPart += take;
      rest = rest.subarray(take);
      if (inPart === partSize) {
        parts.push(part.digest('hex'));
        part = createHash('sha1');
        inPart = 0;
      }
    }
    // Hashed: the read buffer serves the next read (a fresh one per read made hashing a large file cost
    // as much memory as the file, until the collector ran).
    returnChunk(chunk);
  }
  if (partSize && inPart > 0) parts.push(part.digest('hex'));
  return { sha1: whole.digest('hex'), ...(partSize ? { parts } : {}) };
}

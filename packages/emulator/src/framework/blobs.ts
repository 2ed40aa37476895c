import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CHUNK,
  ChunkPacker,
  chunkStream,
  generatedChunks,
  Hashes,
  plain,
  readRing,
  sliceChunks,
  writeGathered,
} from './blob-chunks.js';
import type { IdGenerator } from './ids.js';
import { makeDir } from './make-dir.js';
import { OffThreadBody } from './off-thread-store.js';
import { syncDir } from './persistence.js';

/**
 * Declared sizes from which a body is hashed (and written) on a worker thread: below, the copy into slabs
 * and the messages cost more than hashing on the event loop.
 */
export const OFF_THREAD_BYTES = 8 * 1024 * 1024;

/** Feeds a body to the worker, each chunk counted first; a body that fails is dropped there. */
async function feed(body: AsyncIterable<Uint8Array>, off: OffThreadBody, count: (chunk: Uint8Array) => void) {
  try {
    for await (const chunk of body) {
      count(chunk);
      await off.add(chunk);
    }
  } catch (error) {
    await off.drop();
    throw error;
  }
  return off.finish();
}

/** What the store knows about one blob. Digests are absent on composed blobs until {@link BlobStore.digest}. */
export interface BlobInfo {
  readonly id: string;
  readonly size: number;
  readonly sha1?: string;
  readonly md5?: string;
}

/** A blob's bookkeeping, persisted with the service state. */
export type BlobRecord =
  | { kind: 'stored'; id: string; size: number; sha1: string; md5: string }
  | { kind: 'generated'; id: string; size: number; seed: string; sha1?: string; md5?: string }
  | { kind: 'composed'; id: string; size: number; parts: string[]; sha1?: string; md5?: string };

/** Inclusive byte range, as HTTP `Range` speaks. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Raised by {@link BlobStore.put} when a body is larger than the limit the route set. */
export class BlobTooLargeError extends Error {
  override readonly name = 'BlobTooLargeError';
  constructor(readonly limit: number) {
    super(`body exceeds ${limit} bytes`);
  }
}

/**
 * Blob storage for emulated objects: in memory, or one file per blob under a directory so a restart keeps
 * them. Bytes stream in (hashed on the way) and out (by range); nothing is buffered whole.
 *
 * On disk, a blob is fsynced before `put` resolves, so state that references it can be committed; the file
 * of a deleted blob stays until the state that no longer references it is committed
 * ({@link prepareCommit} / {@link committed}), so a crash never leaves state pointing at a missing file.
 * Files are created 0600 in a 0700 directory.
 */
export class BlobStore {
  readonly #records = new Map<string, BlobRecord>();
  readonly #memory = new Map<string, Uint8Array[]>();
  readonly #dir: string | undefined;
  readonly #ids: IdGenerator;
  /** Deleted blobs whose files wait for the next commit. */
  readonly #unlinkLater = new Set<string>();
  /** The ones the commit in progress will remove. */
  #unlinking = new Set<string>();
  #dirReady = false;
  #dirDirty = false;

  constructor(ids: IdGenerator, dir?: string) {
    this.#ids = ids;
    this.#dir = dir;
  }

  /**
   * Stores a body (a web stream or any async iterable of bytes), hashing SHA-1 and MD5 as it goes. A body
   * that errors leaves nothing behind. An `expectedSize` (a declared Content-Length) of 8 MiB or more sends
   * the hashing, and the writing on disk, to a worker thread (`off-thread-store.ts`).
   */
  async put(
    body: AsyncIterable<Uint8Array>,
    options: { limit?: number; expectedSize?: number } = {},
  ): Promise<BlobInfo> {
    const id = this.#ids.next('blob');
    let size = 0;
    const count = (chunk: Uint8Array) => {
      size += chunk.byteLength;
      if (options.limit !== undefined && size > options.limit) throw new BlobTooLargeError(options.limit);
    };
    const offThread = (options.expectedSize ?? 0) >= OFF_THREAD_BYTES;
    let digests: { sha1: string; md5: string };
    if (this.#dir) {
      await this.#ensureDir(this.#dir);
      const path = join(this.#dir, id);
      const handle = await open(path, 'w', 0o600);
      this.#dirDirty = true;
      const off = offThread ? new OffThreadBody(handle.fd) : undefined;
      try {
        if (off) {
          const { sha1, md5 } = await feed(body, off, count);
          digests = { sha1, md5 };
        } else {
          const hashes = new Hashes();
          await writeGathered(handle, body, (chunk) => {
            count(chunk);
            hashes.update(chunk);
          });
          digests = hashes.digest();
        }
        await handle.sync();
        await handle.close();
      } catch (error) {
        // The worker must be done with the descriptor before it is closed (its number could be reused).
        await off?.drop();
        await handle.close().catch(() => {});
        await unlink(path).catch(() => {});
        throw error;
      }
    } else if (offThread) {
      const { chunks, sha1, md5 } = await feed(body, new OffThreadBody(undefined), count);
      digests = { sha1, md5 };
      this.#memory.set(id, chunks);
    } else {
      const hashes = new Hashes();
      const packer = new ChunkPacker();
      const chunks: Uint8Array[] = [];
      for await (const chunk of plainChunks(body)) {
        count(chunk);
        hashes.update(chunk);
        const packed = packer.add(chunk);
        if (packed) chunks.push(packed);
      }
      const last = packer.flush();
      if (last) chunks.push(last);
      digests = hashes.digest();
      this.#memory.set(id, chunks);
    }
    return this.#remember({ kind: 'stored', id, size, ...digests });
  }

  /** Stores bytes already in hand (small bodies, seeds). */
  putBytes(bytes: Uint8Array | string): Promise<BlobInfo> {
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    return this.put(new Blob([data]).stream());
  }

  /**
   * Registers a blob of `size` deterministic bytes derived from `seed`; no bytes are stored, so seeding a
   * gigabyte costs only the time to hash it once (or nothing with `hash: false`: digests then come lazily).
   */
  async putGenerated(size: number, seed: string, options: { hash?: boolean } = {}): Promise<BlobInfo> {
    const id = this.#ids.next('blob');
    if (options.hash === false) return this.#remember({ kind: 'generated', id, size, seed });
    const hashes = new Hashes();
    if (size > 0) for (const chunk of generatedChunks(seed, 0, size - 1)) hashes.update(chunk);
    return this.#remember({ kind: 'generated', id, size, seed, ...hashes.digest() });
  }

  /**
   * A blob that is the concatenation of others (a finished multipart upload), without copying bytes. It owns
   * its parts from then on: deleting it deletes them, and they must not be deleted on their own.
   */
  compose(ids: readonly string[]): BlobInfo {
    const parts = ids.map((id) => this.#require(id));
    const size = parts.reduce((sum, part) => sum + part.size, 0);
    return this.#remember({ kind: 'composed', id: this.#ids.next('blob'), size, parts: [...ids] });
  }

  /** How a blob is kept: `stored` bytes, `generated` from a seed, or `composed` of others. */
  kind(id: string): BlobRecord['kind'] | undefined {
    return this.#records.get(id)?.kind;
  }

  stat(id: string): BlobInfo | undefined {
    const record = this.#records.get(id);
    return record ? infoOf(record) : undefined;
  }

  /** A digest of the whole blob, computed by streaming it when not already known. */
  async digest(id: string, algorithm: 'sha1' | 'md5'): Promise<string> {
    const record = this.#require(id);
    const known = record[algorithm];
    if (known) return known;
    const hash: Hash = createHash(algorithm);
    for await (const chunk of this.read(id)) hash.update(chunk);
    const value = hash.digest('hex');
    record[algorithm] = value;
    return value;
  }

  /**
   * The chunks of a blob, or of the inclusive `range` of it, read as they are asked for. With `ring`, chunks
   * read from disk share `ring` buffers: each is overwritten `ring` chunks later, so only a reader that is
   * done with a chunk by then (a sender that waits for the socket to take it) may ask for that.
   */
  chunks(id: string, range?: ByteRange, options: { ring?: number } = {}): AsyncGenerator<Uint8Array> {
    const record = this.#require(id);
    const start = range?.start ?? 0;
    const end = range?.end ?? record.size - 1;
    return this.#chunks(record, start, end, options.ring);
  }

  /** Streams a blob, or the inclusive `range` of it, as it is read. */
  read(id: string, range?: ByteRange): ReadableStream<Uint8Array> {
    return chunkStream(this.chunks(id, range));
  }

  /** Forgets a blob, and the parts of a composed one (their files go at the next commit). */
  async delete(id: string): Promise<void> {
    const record = this.#records.get(id);
    if (!record) return;
    this.#forget(record);
    if (record.kind === 'composed') for (const part of record.parts) await this.delete(part);
  }

  /**
   * A state commit starts: the blobs it references must be durable before it is written. Call it right
   * after taking the snapshot: the deletions made so far are the ones the commit may carry out.
   */
  async prepareCommit(): Promise<void> {
    this.#unlinking = new Set([...this.#unlinking, ...this.#unlinkLater]);
    this.#unlinkLater.clear();
    if (this.#dir && this.#dirDirty) {
      this.#dirDirty = false;
      await syncDir(this.#dir);
    }
  }

  /** The commit is durable: files of blobs it no longer references can go. */
  async committed(): Promise<void> {
    const ids = [...this.#unlinking];
    this.#unlinking.clear();
    if (this.#dir) {
      const dir = this.#dir;
      await Promise.all(ids.map((id) => unlink(join(dir, id)).catch(() => {})));
    }
  }

  /** The commit failed: its deletions wait for the next one. */
  commitFailed(): void {
    for (const id of this.#unlinking) this.#unlinkLater.add(id);
    this.#unlinking.clear();
  }

  /**
   * Startup clean-up (disk mode): removes files no record references (a blob written by a request whose
   * state never got committed) and temporary files, and tightens the mode of old files to 0600.
   * Returns the names removed.
   */
  async sweep(): Promise<string[]> {
    if (!this.#dir) return [];
    const dir = this.#dir;
    await this.#ensureDir(dir);
    const removed: string[] = [];
    for (const name of await readdir(dir)) {
      const record = this.#records.get(name);
      if (record?.kind === 'stored') {
        await chmod(join(dir, name), 0o600).catch(() => {});
        continue;
      }
      await unlink(join(dir, name)).catch(() => {});
      removed.push(name);
    }
    return removed;
  }

  async #ensureDir(dir: string): Promise<void> {
    if (this.#dirReady) return;
    await makeDir(dir);
    await chmod(dir, 0o700);
    this.#dirReady = true;
  }

  /** Every record, for persistence. */
  records(): BlobRecord[] {
    return [...this.#records.values()];
  }

  /** Reloads records saved by {@link BlobStore.records} (disk mode: the files are already there). */
  restore(records: readonly BlobRecord[]): void {
    this.#records.clear();
    for (const record of records) this.#records.set(record.id, record);
  }

  /**
   * Forgets every blob that `inUse` does not name and no composed blob in use is made of (their files go
   * at the next commit), one by one: a composed blob no one uses goes without its parts, which may be used.
   * Returns their ids. For a state loaded from disk, never while requests run: a blob stored by one is in
   * no state until it is done.
   */
  dropUnused(inUse: Iterable<string>): string[] {
    const live = new Set<string>();
    const stack = [...inUse];
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      const record = this.#records.get(id);
      if (!record || live.has(id)) continue;
      live.add(id);
      if (record.kind === 'composed') for (const part of record.parts) stack.push(part);
    }
    const unused = [...this.#records.values()].filter((record) => !live.has(record.id));
    for (const record of unused) this.#forget(record);
    return unused.map((record) => record.id);
  }

  /** Forgets everything (reset). */
  async clear(): Promise<void> {
    const ids = [...this.#records.keys()];
    for (const id of ids) await this.delete(id);
  }

  /** Drops one record and its bytes in memory; a file on disk waits for the next commit. */
  #forget(record: BlobRecord): void {
    this.#records.delete(record.id);
    this.#memory.delete(record.id);
    if (record.kind === 'stored' && this.#dir) this.#unlinkLater.add(record.id);
  }

  #remember(record: BlobRecord): BlobInfo {
    this.#records.set(record.id, record);
    return infoOf(record);
  }

  #require(id: string): BlobRecord {
    const record = this.#records.get(id);
    if (!record) throw new Error(`unknown blob ${id}`);
    return record;
  }

  async *#chunks(record: BlobRecord, start: number, end: number, ring?: number): AsyncGenerator<Uint8Array> {
    if (end < start) return;
    switch (record.kind) {
      case 'generated':
        yield* generatedChunks(record.seed, start, end);
        return;
      case 'composed': {
        let base = 0;
        for (const partId of record.parts) {
          const part = this.#require(partId);
          const partEnd = base + part.size - 1;
          if (partEnd >= start && base <= end) {
            yield* this.#chunks(part, Math.max(start, base) - base, Math.min(end, partEnd) - base, ring);
          }
          base += part.size;
        }
        return;
      }
      case 'stored':
        if (this.#dir && ring) {
          yield* readRing(join(this.#dir, record.id), start, end, ring);
          return;
        }
        if (this.#dir) {
          for await (const chunk of createReadStream(join(this.#dir, record.id), {
            start,
            end,
            highWaterMark: CHUNK,
          })) {
            yield plain(chunk as Buffer);
          }
          return;
        }
        yield* sliceChunks(this.#memory.get(record.id) ?? [], start, end);
    }
  }
}

/** The body's chunks as plain Uint8Arrays (views, no copy): served back later, they look as fetch's do. */
async function* plainChunks(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) yield Buffer.isBuffer(chunk) ? plain(chunk) : chunk;
}

function infoOf(record: BlobRecord): BlobInfo {
  return {
    id: record.id,
    size: record.size,
    ...(record.sha1 === undefined ? {} : { sha1: record.sha1 }),
    ...(record.md5 === undefined ? {} : { md5: record.md5 }),
  };
}

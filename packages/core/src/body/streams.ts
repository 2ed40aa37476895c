/**
 * Web-stream building blocks: adapting Node streams and async iterables, counting
 * bytes, hashing while streaming and re-chunking.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ResponseTooLargeError } from '../errors.js';
import { FILE_CHUNK_SIZE } from './file-stream.js';
import { type BodyLease, leaseSourceOf, offerLeases } from './leases.js';

/** Splits an in-memory buffer into a stream of slices (no copy). */
export function bytesStream(bytes: Uint8Array, chunkSize = FILE_CHUNK_SIZE): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

export type StreamLike = ReadableStream<Uint8Array> | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/** Adapts a web stream, Node readable or async iterable of bytes to a web `ReadableStream`. */
export function toWebStream(input: StreamLike): ReadableStream<Uint8Array> {
  if (input instanceof ReadableStream) return input;
  if (input instanceof Readable) return Readable.toWeb(input) as ReadableStream<Uint8Array>;
  const iterator = (input as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === 'string' ? new TextEncoder().encode(value) : value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

export function isStreamLike(value: unknown): value is StreamLike {
  return (
    value instanceof ReadableStream ||
    value instanceof Readable ||
    (typeof value === 'object' && value !== null && Symbol.asyncIterator in value)
  );
}

export type HashAlgorithm = 'sha1' | 'md5' | 'sha256';

/** Hashes bytes as they pass; `digest()` gives the hex digest once the stream has finished. */
export class HashingStream extends TransformStream<Uint8Array, Uint8Array> {
  readonly #hash: Hash;
  #digest: string | undefined;

  constructor(readonly algorithm: HashAlgorithm) {
    const hash = createHash(algorithm);
    super({
      transform(chunk, controller) {
        hash.update(chunk);
        controller.enqueue(chunk);
      },
    });
    this.#hash = hash;
  }

  /** The hex digest; only valid after the stream has been fully read. */
  digest(): string {
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }
}

/**
 * Re-chunks a stream into pieces of exactly `size` bytes (the last may be shorter). Holds at most one piece
 * in memory; used to cut a stream of unknown length into upload parts, or to deliver fixed-size chunks.
 */
export async function* fixedChunks(
  stream: ReadableStream<Uint8Array>,
  size: number,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      let chunk = value;
      while (chunk.byteLength > 0) {
        const take = Math.min(size - pendingBytes, chunk.byteLength);
        pending.push(chunk.subarray(0, take));
        pendingBytes += take;
        chunk = chunk.subarray(take);
        if (pendingBytes === size) {
          yield concatBytes(pending, pendingBytes);
          pending = [];
          pendingBytes = 0;
        }
      }
    }
    if (pendingBytes > 0) yield concatBytes(pending, pendingBytes);
  } finally {
    reader.releaseLock();
    await stream.cancel().catch(() => {});
  }
}

/**
 * Wraps a stream so its owner can cancel it even while a consumer (fetch, node:http) holds it locked: a
 * request body the server never read to the end (an early error answer, a reset) must still close its file.
 * A source that offers leases (a file) is offered as leases too, so a sender keeps that path.
 */
export function ownedStream(source: ReadableStream<Uint8Array>): {
  readonly stream: ReadableStream<Uint8Array>;
  /** Cancels the source unless it was read to the end; safe to call more than once. */
  release(reason?: unknown): void;
} {
  const leases = source.locked ? undefined : leaseSourceOf(source);
  const reader = source.getReader();
  let finished = false;
  let readingLeases = false;
  /** Why the body was released before its end: every later read fails with it. */
  let released: { readonly reason: unknown } | undefined;
  /** A lease read: given back, and the body failed, when the owner released the body meanwhile. */
  const afterLease = (lease: BodyLease | undefined) => {
    if (released) {
      lease?.release();
      throw released.reason;
    }
    if (!lease) finished = true;
    return lease;
  };
  let outer: ReadableStreamDefaultController<Uint8Array> | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        outer = controller;
      },
      async pull(controller) {
        const next = await reader.read();
        if (finished) return;
        if (next.done) {
          finished = true;
          controller.close();
        } else controller.enqueue(next.value);
      },
      cancel(reason) {
        finished = true;
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  if (leases)
    offerLeases(stream, {
      next() {
        readingLeases = true;
        if (released) return Promise.reject(released.reason);
        return leases.next().then(afterLease);
      },
      cancel(reason) {
        finished = true;
        leases.cancel(reason);
      },
    });
  return {
    stream,
    release(reason) {
      if (finished) return;
      finished = true;
      // The consumer must see a failed body, never a short one that ends cleanly.
      released = { reason: reason ?? new Error('the request body was released before it was sent') };
      try {
        outer?.error(released.reason);
      } catch {}
      if (readingLeases) leases?.cancel(reason);
      else reader.cancel(reason).catch(() => {});
    },
  };
}

export function concatBytes(chunks: readonly Uint8Array[], total?: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total ?? chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Reads a whole stream into memory (for small bodies only); past `limit` bytes it throws {@link ResponseTooLargeError}. */
export async function readAll(
  stream: ReadableStream<Uint8Array>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > limit) {
      await stream.cancel().catch(() => {});
      throw new ResponseTooLargeError('stream', limit);
    }
    chunks.push(chunk);
  }
  return concatBytes(chunks, total);
}

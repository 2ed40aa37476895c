/**
 * Reading a file (or a range of it) as a request body: a web stream, which also offers its chunks as
 * leases, so a sender that reads leases moves each megabyte with a few objects instead of a web stream's
 * per-chunk promises and queues.
 *
 * @module
 */
import { read } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { type BodyLease, lendChunk, lendOnce, offerLeases } from './leases.js';
import { SpareBuffers } from './spares.js';

/**
 * Read size for files: large enough that per-chunk costs vanish (a 512 MiB B2 upload took ~0.3 s less CPU
 * than with 256 KiB, a 500 MiB Mixcloud upload ~0.55 s instead of ~0.85 s), small enough that the chunk each
 * part in flight holds stays a few MiB.
 */
export const FILE_CHUNK_SIZE = 1024 * 1024;
/** Read buffers a file stream keeps for reuse once a sender has given them back. */
const SPARE_BUFFERS = 4;
/** Read buffers of closed file streams of the default size, for the next stream (an upload opens one per part). */
const closedStreamSpares = new SpareBuffers<Uint8Array>(
  FILE_CHUNK_SIZE,
  8,
  () => new Uint8Array(FILE_CHUNK_SIZE),
);

export interface FileStreamOptions {
  /** Bytes per read. Default {@link FILE_CHUNK_SIZE}. */
  readonly chunkSize?: number | undefined;
  /**
   * Read the next chunk while the reader still holds this one. Default true: a file sent alone keeps disk and
   * socket busy at once. A part sent beside others needs no read-ahead (the others keep the link busy), and
   * without it holds one chunk instead of three: a 1 GiB B2 upload with 4 parts in flight then takes ~6 MiB
   * more than a 100 MiB one, not ~15.
   */
  readonly readAhead?: boolean | undefined;
}

/**
 * A pull-based stream of `path`, optionally from byte `start` (inclusive) to `end` (exclusive). It can be
 * read as a web stream or, by a sender that looks for them (`leaseSourceOf`), as leases: one or the other.
 * Either way a chunk's buffer is read into again once its reader gives it back (a lease's `release`, or
 * `returnChunk` for a web chunk), so a file sent whole allocates nothing per chunk.
 */
export function fileStream(
  path: string,
  range: { start?: number; end?: number } = {},
  options: FileStreamOptions = {},
): ReadableStream<Uint8Array> {
  const reader = new FileChunks(path, range, options.chunkSize ?? FILE_CHUNK_SIZE);
  const readAhead = options.readAhead !== false;
  // Both views read through `next`, which reads ahead itself: the web view must not pull on its own (a
  // queue of one would read a chunk the lease reader never sees).
  let ahead: Promise<BodyLease | undefined> | undefined;
  const readNext = (lease: BodyLease | undefined) => {
    ahead = lease && readAhead ? reader.next() : undefined;
    // Its failure is thrown by the next call; meanwhile it is no unhandled rejection.
    ahead?.catch(() => {});
    return lease;
  };
  const next = () => (ahead ?? reader.next()).then(readNext);
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const lease = await next();
        if (cancelled) return;
        if (!lease) controller.close();
        else {
          // A sender that saw the bytes leave gives the buffer back for the next read.
          lendChunk(lease.bytes, lease.release);
          controller.enqueue(lease.bytes);
        }
      },
      cancel: () => {
        cancelled = true;
        return reader.close();
      },
    },
    { highWaterMark: 0 },
  );
  offerLeases(stream, {
    next,
    cancel() {
      void reader.close().catch(() => {});
    },
  });
  return stream;
}

/** The chunks of a file range, read one after the other into reused buffers. */
class FileChunks {
  readonly #path: string;
  readonly #end: number;
  readonly #chunkSize: number;
  readonly #closedSpares: SpareBuffers<Uint8Array> | undefined;
  readonly #spare: Uint8Array[] = [];
  #position: number;
  #handle: FileHandle | undefined;
  /** The read in progress: the file is closed only after it (its descriptor must not be reused meanwhile). */
  #reading: Promise<number> | undefined;
  #closed = false;

  constructor(path: string, range: { start?: number; end?: number }, chunkSize: number) {
    this.#path = path;
    this.#position = range.start ?? 0;
    this.#end = range.end ?? Number.POSITIVE_INFINITY;
    this.#chunkSize = chunkSize;
    this.#closedSpares = chunkSize === FILE_CHUNK_SIZE ? closedStreamSpares : undefined;
  }

  /** The next chunk, lent until released; undefined at the end (the file is then closed) or once closed. */
  async next(): Promise<BodyLease | undefined> {
    // A read ahead that starts after a cancel must not open the file again.
    if (this.#closed) return undefined;
    try {
      if (!this.#handle) {
        const opened = await open(this.#path, 'r');
        // A cancel may arrive while the file is opening.
        if (this.#closed) {
          await opened.close();
          return undefined;
        }
        this.#handle = opened;
      }
      const want = Math.min(this.#chunkSize, this.#end - this.#position);
      if (want <= 0) {
        await this.close();
        return undefined;
      }
      const buffer = this.#spare.pop() ?? this.#closedSpares?.take() ?? new Uint8Array(this.#chunkSize);
      const bytesRead = await this.#read(this.#handle, buffer, want);
      if (bytesRead === 0) {
        await this.close();
        return undefined;
      }
      if (this.#closed) return undefined;
      this.#position += bytesRead;
      return lendOnce(buffer.subarray(0, bytesRead), () => {
        if (this.#spare.length < SPARE_BUFFERS) this.#spare.push(buffer);
      });
    } catch (error) {
      await this.close().catch(() => {});
      throw error;
    }
  }

  /**
   * One read at the current position, through the descriptor's callback API: `FileHandle.read` costs ~2.7
   * KiB of garbage per call against ~1 KiB, and per megabyte sent that garbage is what grows V8's young
   * generation during a long upload.
   */
  #read(handle: FileHandle, buffer: Uint8Array, length: number): Promise<number> {
    const reading = new Promise<number>((resolve, reject) => {
      read(handle.fd, buffer, 0, length, this.#position, (error, bytesRead) => {
        this.#reading = undefined;
        if (error) reject(error);
        else resolve(bytesRead);
      });
    });
    this.#reading = reading;
    return reading;
  }

  /** Closes the file once, whoever gets there first: the end of the data, a read error, or a cancel. */
  async close(): Promise<void> {
    this.#closed = true;
    // Buffers given back so far go to the next stream; one given back later is collected.
    for (const buffer of this.#spare.splice(0)) this.#closedSpares?.give(buffer);
    const handle = this.#handle;
    this.#handle = undefined;
    await this.#reading?.catch(() => {});
    await handle?.close();
  }
}

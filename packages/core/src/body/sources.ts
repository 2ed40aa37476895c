/**
 * Upload bodies as *sources*: something that can be opened (again) as a stream of bytes, whole or by
 * range. A retry re-opens the source, so a body is never re-sent half-consumed; a one-shot stream is
 * marked non-replayable and the client refuses to retry once it has started reading it.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { InvalidInputError, MediaferryError } from '../errors.js';
import { fileStream } from './file-stream.js';
import { bytesStream, isStreamLike, type StreamLike, toWebStream } from './streams.js';

/** A file on disk, read lazily in chunks. Create with {@link fromPath}. */
export interface FileSource {
  readonly kind: 'file';
  readonly path: string;
}

/** A function returning a fresh stream each time it is called: replayable. */
export type StreamFactory = () => StreamLike | Promise<StreamLike>;

/** Everything an upload accepts. Replayable: bytes, strings, Blobs, files, factories. One-shot: streams. */
export type UploadSource =
  | Uint8Array
  | ArrayBuffer
  | string
  | Blob
  | FileSource
  | StreamFactory
  | StreamLike
  | BodySource;

/** Bytes that can be opened as a stream, whole or by byte range. */
export interface BodySource {
  readonly kind: 'body';
  /** Length in bytes, when known up front. */
  readonly size: number | undefined;
  /** Whether `open` may be called more than once. */
  readonly replayable: boolean;
  /** Whether `open(range)` is supported (needed to cut parts out of a file without buffering). */
  readonly rangeable: boolean;
  /** Opens the bytes `[start, end)` (the whole body when omitted). */
  open(range?: { start: number; end: number }): Promise<ReadableStream<Uint8Array>>;
  /** True once a one-shot source has been opened (a replayable source never becomes consumed). */
  readonly consumed: boolean;
}

/** Thrown when a one-shot stream source is opened a second time. */
export class BodyConsumedError extends MediaferryError {
  constructor() {
    super(
      'The request body is a one-shot stream that has already been read; pass a path, Blob, Buffer or stream factory to allow retries',
    );
  }
}

export function fromPath(path: string): FileSource {
  return { kind: 'file', path };
}

function isBodySource(value: unknown): value is BodySource {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'body';
}

function isFileSource(value: unknown): value is FileSource {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'file';
}

function bytesSource(bytes: Uint8Array): BodySource {
  return {
    kind: 'body',
    size: bytes.byteLength,
    replayable: true,
    rangeable: true,
    consumed: false,
    open: async (range) => bytesStream(range ? bytes.subarray(range.start, range.end) : bytes),
  };
}

/**
 * Normalises any {@link UploadSource} into a {@link BodySource}. Files are `stat`ed here so their size is
 * known before any request is sent; `size` may be given for streams whose length the caller knows.
 */
export async function toBodySource(
  source: UploadSource,
  options: { size?: number; field?: string } = {},
): Promise<BodySource> {
  const field = options.field ?? 'body';
  if (isBodySource(source)) return source;
  if (typeof source === 'string') return bytesSource(new TextEncoder().encode(source));
  if (source instanceof Uint8Array) return bytesSource(source);
  if (source instanceof ArrayBuffer) return bytesSource(new Uint8Array(source));
  if (source instanceof Blob) {
    return {
      kind: 'body',
      size: source.size,
      replayable: true,
      rangeable: true,
      consumed: false,
      open: async (range) => (range ? source.slice(range.start, range.end) : source).stream(),
    };
  }
  if (isFileSource(source)) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(source.path);
    } catch (error) {
      throw new InvalidInputError(field, `cannot read file ${source.path}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!info.isFile()) throw new InvalidInputError(field, `${source.path} is not a regular file`);
    const size = info.size;
    return {
      kind: 'body',
      size,
      replayable: true,
      rangeable: true,
      consumed: false,
      // A range is a part of a large upload, sent beside others: no read-ahead (see FileStreamOptions).
      open: async (range) =>
        range
          ? fileStream(source.path, range, { readAhead: false })
          : fileStream(source.path, { start: 0, end: size }),
    };
  }
  if (typeof source === 'function') {
    return {
      kind: 'body',
      size: options.size,
      replayable: true,
      rangeable: false,
      consumed: false,
      open: async (range) => {
        if (range) throw new InvalidInputError(field, 'a stream factory cannot be opened by range');
        return toWebStream(await source());
      },
    };
  }
  if (isStreamLike(source)) return oneShotSource(source, options.size, field);
  throw new InvalidInputError(
    field,
    'must be a Uint8Array, ArrayBuffer, string, Blob, fromPath(…), stream factory or stream',
  );
}

/**
 * A stream that can be read once. Opening it again is allowed as long as no byte was pulled yet (a
 * connection refused before the body was sent can still be retried); after that it throws.
 */
function oneShotSource(stream: StreamLike, size: number | undefined, field: string): BodySource {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let started = false;
  return {
    kind: 'body',
    size,
    replayable: false,
    rangeable: false,
    get consumed() {
      return started;
    },
    open: async (range) => {
      if (range) throw new InvalidInputError(field, 'a one-shot stream cannot be opened by range');
      if (started) throw new BodyConsumedError();
      let pulledHere = false;
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            started = true;
            pulledHere = true;
            reader ??= toWebStream(stream).getReader();
            const { value, done } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          },
          async cancel(reason) {
            // An attempt that never read a byte gives the stream back untouched for the next attempt.
            if (pulledHere) await (reader ?? toWebStream(stream).getReader()).cancel(reason);
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
}

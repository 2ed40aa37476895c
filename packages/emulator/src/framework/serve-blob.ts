import type { Context } from 'hono';
import { chunkStream } from './blob-chunks.js';
import type { BlobStore, ByteRange } from './blobs.js';
import type { BodyCapture } from './capture.js';
import { fail } from './failure.js';

/**
 * Parses a single-range `Range` header against a size. Returns undefined for no/ignorable header, 'invalid'
 * for an unsatisfiable one (answer 416).
 */
export function parseRange(
  header: string | undefined | null,
  size: number,
): ByteRange | 'invalid' | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined; // multi-range or garbage: serve it all
  const [, from, to] = match;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'invalid';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

export interface ServeBlobOptions {
  readonly headers?: Record<string, string>;
  readonly contentType?: string;
  /** Header value to send as ETag. */
  readonly etag?: string;
}

/** Answers a GET (or HEAD) for a stored blob: 200, 206 with `Content-Range`, or 416. */
export function serveBlob(
  c: Context,
  blobs: BlobStore,
  blobId: string,
  options: ServeBlobOptions = {},
): Response {
  const info = blobs.stat(blobId);
  if (!info) fail(404, 'not_found', 'blob not found');
  const range = parseRange(c.req.header('range'), info.size);
  const headers = new Headers(options.headers);
  headers.set('accept-ranges', 'bytes');
  if (options.contentType) headers.set('content-type', options.contentType);
  if (options.etag) headers.set('etag', options.etag);
  if (range === 'invalid') {
    headers.set('content-range', `bytes */${info.size}`);
    fail(
      416,
      'range_not_satisfiable',
      `range not satisfiable for size ${info.size}`,
      Object.fromEntries(headers),
    );
  }
  const status = range ? 206 : 200;
  const length = range ? range.end - range.start + 1 : info.size;
  headers.set('content-length', String(length));
  if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${info.size}`);
  if (c.req.method === 'HEAD') return new Response(null, { status, headers });
  const body = chunkStream(blobs.chunks(blobId, range));
  blobBodies.set(body, { chunks: blobs.chunks(blobId, range, { ring: SEND_RING }) });
  return new Response(body, { status, headers });
}

/** A response body that is a stored blob, which the server may send straight from the store. */
export interface BlobBody {
  /**
   * The blob's chunks for a direct sender, not started: read into {@link SEND_RING} buffers in turn, so the
   * sender must have each chunk on the socket before it asks for the one that reuses its buffer.
   */
  readonly chunks: AsyncGenerator<Uint8Array>;
  /** The journal's capture, noted by whoever sends the body directly. */
  capture?: BodyCapture;
}

/** Buffers a directly sent blob is read into, in turn. */
export const SEND_RING = 4;

const blobBodies = new WeakMap<ReadableStream<Uint8Array>, BlobBody>();

/**
 * The blob behind a response body, while nothing has started reading it and no layer (a fault cutting the
 * body, a capture) has wrapped it; undefined otherwise.
 */
export function blobBodyOf(response: Response): BlobBody | undefined {
  const body = response.body;
  return body && !body.locked ? blobBodies.get(body) : undefined;
}

import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../framework/index.js';
import { BlobTooLargeError, fail, requestChunks } from '../framework/index.js';
import type { B2Ctx } from './auth.js';

export interface StoredBody {
  readonly blobId: string;
  readonly size: number;
  /** What B2 records: hex, or `unverified:<hex>` for `do_not_verify`. */
  readonly contentSha1: string;
  readonly sha1: string;
  readonly md5: string;
}

/**
 * Holds back the last `n` bytes of a body (the SHA-1 suffix of `hex_digits_at_end`). Chunks pass through as
 * views, not copies: only the `n` bytes held at a time are ever copied.
 */
async function* withholdTail(
  source: AsyncIterable<Uint8Array>,
  n: number,
  onTail: (tail: Buffer) => void,
): AsyncGenerator<Uint8Array> {
  let held: Buffer = Buffer.alloc(0);
  for await (const chunk of source) {
    if (held.length + chunk.byteLength <= n) {
      held = Buffer.concat([held, chunk]);
      continue;
    }
    // Everything but the last n bytes of held + chunk goes on: first from held, then from the chunk.
    const release = held.length + chunk.byteLength - n;
    const fromHeld = Math.min(release, held.length);
    if (fromHeld > 0) yield held.subarray(0, fromHeld);
    const fromChunk = release - fromHeld;
    if (fromChunk > 0) yield chunk.subarray(0, fromChunk);
    held = Buffer.concat([held.subarray(fromHeld), chunk.subarray(fromChunk)]);
  }
  onTail(held);
}

/**
 * Streams an upload body into the blob store and checks it as B2 does: Content-Length required and
 * exact, SHA-1 given up front, at the end of the body, or not verified.
 */
export async function storeUploadBody(c: EmulatorContext, ctx: B2Ctx, maxSize: number): Promise<StoredBody> {
  const lengthHeader = c.req.header('content-length');
  if (lengthHeader === undefined || !/^\d+$/.test(lengthHeader))
    fail(400, 'bad_request', 'Content-Length is required (chunked encoding is not supported)');
  const declared = Number(lengthHeader);
  const sha1Header = c.req.header('x-bz-content-sha1');
  if (!sha1Header) fail(400, 'bad_request', 'X-Bz-Content-Sha1 header is required');
  const atEnd = sha1Header === 'hex_digits_at_end';
  const unverified = sha1Header === 'do_not_verify';
  if (!atEnd && !unverified && !/^[0-9a-fA-F]{40}$/.test(sha1Header))
    fail(400, 'bad_request', 'X-Bz-Content-Sha1 must be 40 hex digits, hex_digits_at_end or do_not_verify');
  const size = atEnd ? declared - 40 : declared;
  if (size < 0) fail(400, 'bad_request', 'Content-Length too small for hex_digits_at_end');
  if (size > maxSize) fail(400, 'bad_request', `content length ${size} exceeds the maximum ${maxSize}`);
  let tail: Buffer = Buffer.alloc(0);
  const source = requestChunks(c);
  const stream = atEnd ? withholdTail(source, 40, (t) => (tail = t)) : source;
  const blob = await ctx.blobs.put(stream, { limit: size, expectedSize: size }).catch((error: unknown) => {
    if (error instanceof BlobTooLargeError)
      fail(400, 'bad_request', `more bytes received than Content-Length ${declared}`);
    throw error;
  });
  const reject = (message: string) => refuseStored(ctx, blob.id, 'bad_request', message);
  if (blob.size !== size)
    await reject(
      `Content-Length ${declared} does not match the ${blob.size + (atEnd ? tail.length : 0)} bytes received`,
    );
  const sha1 = blob.sha1 ?? '';
  const md5 = blob.md5 ?? createHash('md5').digest('hex');
  const expected = atEnd ? tail.toString('latin1') : unverified ? undefined : sha1Header.toLowerCase();
  if (expected !== undefined && expected.toLowerCase() !== sha1)
    await reject('Sha1 did not match data received');
  return { blobId: blob.id, size, contentSha1: unverified ? `unverified:${sha1}` : sha1, sha1, md5 };
}

/**
 * Gives back bytes stored for a request that is then refused: a body that fails its checks, or one for a
 * bucket or large file that went away while it streamed in (deleted, finished, cancelled, or the emulator
 * reset), which nothing would reference. Answers 400 `code`.
 */
export async function refuseStored(
  ctx: B2Ctx,
  blobId: string,
  code: string,
  message: string,
): Promise<never> {
  await ctx.blobs.delete(blobId);
  fail(400, code, message);
}

const TYPES: Record<string, string> = {
  txt: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  pdf: 'application/pdf',
  zip: 'application/zip',
  csv: 'text/csv',
};

/** `b2/x-auto`: guessed from the extension, else `application/octet-stream` (recorded: `.txt` → text/plain). */
export function resolveContentType(contentType: string | undefined, fileName: string): string {
  if (!contentType) fail(400, 'bad_request', 'Content-Type is required');
  if (contentType !== 'b2/x-auto') return contentType;
  const extension = fileName.includes('.') ? fileName.split('.').pop()!.toLowerCase() : '';
  return TYPES[extension] ?? 'application/octet-stream';
}

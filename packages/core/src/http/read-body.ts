/**
 * Reading a response body into memory, bounded: bytes are counted as they arrive (after decompression,
 * which fetch performs while streaming), and the body is cancelled the moment it passes the limit, so a
 * gzip bomb or an endless body costs at most the limit.
 *
 * @module
 */
import { ResponseTooLargeError } from '../errors.js';

/** Default cap of JSON and text bodies: 64 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** Reads `body` as UTF-8 text, throwing {@link ResponseTooLargeError} past `limit` bytes. */
export async function readBoundedText(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  what: string,
): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let total = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => {});
        throw new ResponseTooLargeError(what, limit);
      }
      parts.push(decoder.decode(value, { stream: true }));
    }
    parts.push(decoder.decode());
    return parts.join('');
  } finally {
    reader.releaseLock();
  }
}

/**
 * Reading a response body into memory, bounded: bytes are counted as they arrive (after decompression,
 * which fetch performs while streaming), and the body is cancelled the moment it passes the limit, so a
 * gzip bomb or an endless body costs at most the limit.
 *
 * @module
 */
import { ConnectionError, MediaferryError, ResponseTooLargeError } from '../errors.js';
import type { Redactor } from '../redact.js';
import type { Attempt } from './attempt.js';
import { mapTransportError } from './response.js';

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

/** A connection lost while the answer was read: the request reached the server, so only a replayable call may retry. */
export class LostAnswer extends MediaferryError {
  constructor(readonly error: ConnectionError) {
    super(error.message, { cause: error });
  }
}

/**
 * Reads a buffered answer (bounded); a connection lost meanwhile becomes a {@link LostAnswer} so the retry
 * loop can decide on a replay. The attempt is released either way, and its connection closed on failure.
 */
export async function readAnswer(
  attempt: Attempt,
  limit: number,
  what: string,
  userSignal: AbortSignal | undefined,
  redactor: Redactor,
): Promise<string> {
  try {
    return await readBoundedText(attempt.response.body, limit, what);
  } catch (error) {
    // Whatever went wrong, the connection is finished with: close it rather than leave it paused.
    attempt.controller.abort(error);
    const mapped = mapTransportError(
      error,
      attempt.controller.signal,
      userSignal,
      redactor,
      `${what} (reading the body)`,
    );
    if (mapped instanceof ConnectionError) throw new LostAnswer(mapped);
    throw mapped;
  } finally {
    attempt.release();
  }
}

/**
 * What aiob2's handles share: the current core client (a new one after `connect(session)` or `close()`),
 * the download chunk size, and factories of the other handles (a bucket answers files, a file its bucket).
 *
 * @module
 */
import { fixedChunks, InvalidInputError } from '@mediaferry/core';
import type { B2Client } from '../../client.js';
import type { FileRef } from '../../transfer/download.js';
import type { Bucket } from './bucket.js';
import { compat, compatIterate } from './errors.js';
import type { File } from './file.js';

/** What the handles share (the compat `Client` is one). */
export interface Session {
  /** The core client the calls go through. */
  readonly b2: B2Client;
  /** Bytes per chunk of the `…Iterate` downloads. */
  readonly chunkSize: number;
  /** A bucket handle. */
  bucket(bucketId?: string | null): Bucket;
  /** A file handle. */
  file(fileId: string | null): File;
}

/** The whole file in memory, its SHA-1 checked when B2 gave one. */
export function downloadBytes(session: Session, ref: FileRef): Promise<Uint8Array> {
  return compat(
    (async () => {
      const file = await session.b2.files.download(ref);
      const chunks: Uint8Array[] = [];
      for await (const chunk of file.body) chunks.push(chunk);
      return new Uint8Array(Buffer.concat(chunks));
    })(),
  );
}

/** The file as `chunkSize`-byte chunks, streamed; the stream fails at its end if the SHA-1 does not match. */
export async function* downloadChunks(session: Session, ref: FileRef): AsyncGenerator<Uint8Array> {
  yield* compatIterate(
    (async function* () {
      const file = await session.b2.files.download(ref);
      yield* fixedChunks(file.body, session.chunkSize);
    })(),
  );
}

/** The id a handle was made with: required for calls that name it. */
export function required(id: string | null | undefined, field: string): string {
  if (typeof id !== 'string' || id === '')
    throw new InvalidInputError(field, 'this handle has no id (make it with an id, or create it first)');
  return id;
}

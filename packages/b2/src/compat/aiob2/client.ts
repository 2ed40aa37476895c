/**
 * aiob2's `client` (docs/client.md): connect, close, `keys()` and `buckets()` as `(model, handle)` pairs,
 * downloads by name (whole or in chunks), and the `bucket`, `file`, `sourceFile` and `key` handles — all
 * on the core `B2Client`.
 *
 * @module
 */
import { type FetchLike, InvalidInputError } from '@mediaferry/core';
import { B2Client, type B2ClientOptions } from '../../client.js';
import { Bucket } from './bucket.js';
import { compat, compatIterate } from './errors.js';
import { File } from './file.js';
import { BucketModel, KeyModel } from './models.js';
import { downloadBytes, downloadChunks, type Session } from './session.js';
import { Key, SourceFile } from './source-file.js';

/** aiob2 read 25 bytes per loop; a media client reads 64 KiB (aiob2's docs name no default). */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** `b2_list_keys` parameters as B2 names them. */
export interface KeysKwargs {
  /** Keys per request (every page is listed). */
  readonly maxKeyCount?: number;
}

/** `b2_list_buckets` parameters as B2 names them. */
export interface BucketsKwargs {
  readonly bucketId?: string;
  readonly bucketName?: string;
  readonly bucketTypes?: readonly string[];
}

/** aiob2's client. Make one with {@link client} (`client(keyId, applicationKey)`) or `new Client(…)`. */
export class Client implements Session {
  readonly maxCache: number;
  readonly chunkSize: number;
  readonly #options: B2ClientOptions;
  #b2: B2Client;

  /**
   * @param keyId The application key id.
   * @param applicationKey The application key.
   * @param maxCache Idle upload URLs kept (per bucket or large file). Default 100, as aiob2.
   * @param chunkSize Bytes per chunk of `downloadFromNameIterate` and `file().downloadIterate`. Default 64 KiB.
   * @param options Anything else of the core client (`baseUrl`, `fetch`, `timeout`…).
   */
  constructor(
    keyId: string,
    applicationKey: string,
    maxCache = 100,
    chunkSize = DEFAULT_CHUNK_SIZE,
    options: B2ClientOptions = {},
  ) {
    if (!Number.isInteger(chunkSize) || chunkSize < 1)
      throw new InvalidInputError('chunkSize', 'must be a whole number of bytes ≥ 1');
    this.maxCache = maxCache;
    this.chunkSize = chunkSize;
    this.#options = { ...options, keyId, applicationKey, maxUploadUrls: maxCache };
    this.#b2 = new B2Client(this.#options);
  }

  /** The core client these calls go through. */
  get b2(): B2Client {
    return this.#b2;
  }

  /**
   * Authorizes (`InvalidAuthorization` for a wrong key). `session`, aiob2's own aiohttp session, is a `fetch`
   * here: the client then sends everything through it.
   */
  async connect(session?: FetchLike): Promise<void> {
    if (session) {
      await this.#b2.close();
      this.#b2 = new B2Client({ ...this.#options, fetch: session });
    }
    await compat(this.#b2.authorize());
  }

  /** Closes the client; a later `connect()` opens a new one. */
  async close(): Promise<void> {
    await this.#b2.close();
    this.#b2 = new B2Client(this.#options);
  }

  /** Every key as `[KeyModel, Bucket]` (the bucket it is restricted to, if any), across all pages. */
  async *keys(kwargs: KeysKwargs = {}): AsyncGenerator<[KeyModel, Bucket]> {
    const listing = this.#b2.keys.list({ pageSize: kwargs.maxKeyCount });
    for await (const key of compatIterate(listing))
      yield [new KeyModel(key), this.bucket(key.bucketId ?? null)];
  }

  /** Every bucket as `[BucketModel, Bucket]`. */
  async *buckets(kwargs: BucketsKwargs = {}): AsyncGenerator<[BucketModel, Bucket]> {
    for await (const bucket of compatIterate(this.#b2.buckets.list(kwargs)))
      yield [new BucketModel(bucket), this.bucket(bucket.bucketId)];
  }

  /** The whole file in memory. */
  downloadFromName(bucketName: string, fileName: string): Promise<Uint8Array> {
    return downloadBytes(this, { bucketName, fileName });
  }

  /** The file in `chunkSize`-byte chunks, streamed. */
  downloadFromNameIterate(bucketName: string, fileName: string): AsyncGenerator<Uint8Array> {
    return downloadChunks(this, { bucketName, fileName });
  }

  /** A bucket by id; without one, a bucket to `create`. */
  bucket(bucketId?: string | null): Bucket {
    return new Bucket(this, bucketId);
  }

  /** A file to copy from, on the server. */
  sourceFile(sourceFileId: string): SourceFile {
    return new SourceFile(this, sourceFileId);
  }

  /** A file version by id. */
  file(fileId: string | null): File {
    return new File(this, fileId);
  }

  /** Application keys. */
  get key(): Key {
    return new Key(this);
  }
}

/** aiob2's `client(key_id, application_key, max_cache, chunk_size)`. */
export function client(
  keyId: string,
  applicationKey: string,
  maxCache = 100,
  chunkSize = DEFAULT_CHUNK_SIZE,
  options: B2ClientOptions = {},
): Client {
  return new Client(keyId, applicationKey, maxCache, chunkSize, options);
}

import { createHash } from 'node:crypto';
import {
  BaseClient,
  type CallOptions,
  type ClientOptions,
  type Clock,
  fixedChunks,
  IntegrityError,
  InvalidInputError,
  mapConcurrent,
  Paginator,
  type ProgressListener,
  readAll,
  type SavedFile,
  type ServiceProfile,
  type StreamResponse,
  saveRangesToFile,
  saveToFile,
  systemClock,
  type UploadSource,
} from '@mediaferry/core';
import { type B2Token, b2Authorization } from './auth.js';
import { createB2Error, isExpiredToken, parseB2Error } from './errors.js';
import { LargeFile } from './large-file.js';
import {
  type ApplicationKey,
  type Bucket,
  bucketSchema,
  type CreatedApplicationKey,
  cancelledFileSchema,
  createdKeySchema,
  type DeletedFile,
  type DownloadAuthorization,
  deletedFileSchema,
  downloadAuthorizationSchema,
  type FileVersion,
  fileVersionSchema,
  keySchema,
  listBucketsSchema,
  listFilesSchema,
  listKeysSchema,
  listPartsSchema,
  type Part,
  partSchema,
  uploadUrlSchema,
} from './models.js';
import {
  checkBucketName,
  checkFileInfo,
  checkFileName,
  checkPartNumber,
  decodeB2Name,
  encodeB2Name,
  isUrlPathSafe,
} from './names.js';
import { UploadUrlPool } from './upload-pool.js';
import {
  checkUpload,
  openSource,
  type UploadContext,
  type UploadOptions,
  uploadPart,
  uploadSmall,
} from './uploads.js';

export const B2_REALM = 'https://api.backblazeb2.com';

export interface B2ClientOptions extends ClientOptions {
  /** Defaults to `B2_APPLICATION_KEY_ID`. */
  readonly applicationKeyId?: string;
  /** Alias of `applicationKeyId`. */
  readonly keyId?: string;
  /** Defaults to `B2_APPLICATION_KEY`. */
  readonly applicationKey?: string;
  /** Where `b2_authorize_account` goes (an emulator, in tests). Default {@link B2_REALM}. */
  readonly realm?: string;
  /** `v2`, `v3` (default) or `v4`. */
  readonly apiVersion?: 'v2' | 'v3' | 'v4';
  /** Idle upload URLs kept per bucket or large file (aiob2's `max_cache`). Default 8. */
  readonly maxUploadUrls?: number;
  /** Chunk size of {@link B2Client.downloadFromNameIterate} (aiob2's `chunk_size`). Default 64 KiB. */
  readonly downloadChunkSize?: number;
}

const profile: ServiceProfile = {
  name: 'b2',
  userAgent: 'mediaferry-b2/0.1.0',
  parseError: parseB2Error,
  createError: createB2Error,
  isAuthRejection: isExpiredToken,
  // 401 `unauthorized` is a capability problem and 403 a cap: waiting does not help (spec §3.6).
  retryHook: (context) => {
    const error = context.error as { status?: number };
    if (error.status === 401 || error.status === 403)
      return { retry: false, reason: 'B2 does not retry this' };
    return undefined;
  },
};

export interface DownloadOptions extends CallOptions {
  /** Inclusive byte range. */
  readonly range?: { readonly start: number; readonly end?: number };
  /** `b2ContentDisposition` etc.: response header overrides (they need a token, even on public buckets). */
  readonly overrides?: Partial<
    Record<
      | 'b2ContentDisposition'
      | 'b2ContentLanguage'
      | 'b2Expires'
      | 'b2CacheControl'
      | 'b2ContentEncoding'
      | 'b2ContentType',
      string
    >
  >;
  readonly onProgress?: ProgressListener;
}

/** A downloaded file held in memory (aiob2's `DownloadedFile`). */
export interface DownloadedFile {
  readonly data: Uint8Array;
  readonly fileId: string;
  readonly fileName: string;
  readonly contentType: string | undefined;
  readonly contentLength: number;
  readonly contentSha1: string | undefined;
  readonly uploadTimestamp: Date | undefined;
  readonly info: Record<string, string>;
}

export type FileRef =
  | { readonly fileId: string }
  | { readonly bucketName: string; readonly fileName: string };

export interface ListFilesOptions extends CallOptions {
  readonly prefix?: string;
  readonly delimiter?: string;
  readonly startFileName?: string;
  /** Page size, 1-10000. Default 1000. */
  readonly pageSize?: number;
}

/**
 * Backblaze B2 native API client: aiob2's surface (connect, keys, buckets, downloads, bucket/file/key/source
 * handles) on the core transport, plus streaming uploads of any size with parallel parts, upload-URL pooling,
 * B2's retry rules, paginated listings, ranged and verified downloads.
 *
 * @example
 * ```ts
 * await using b2 = new B2Client({ applicationKeyId, applicationKey });
 * const bucket = await b2.getBucketByName('my-media');
 * await b2.uploadFile(bucket.bucketId, 'clips/a.mp4', fromPath('a.mp4'), { onProgress: console.log });
 * for await (const file of b2.listFileNames(bucket.bucketId, { prefix: 'clips/' })) console.log(file.fileName);
 * ```
 */
export class B2Client {
  readonly #http: BaseClient;
  readonly #auth: ReturnType<typeof b2Authorization>;
  readonly #clock: Clock;
  readonly #version: string;
  readonly #chunkSize: number;
  readonly #upload: UploadContext;

  constructor(options: B2ClientOptions = {}) {
    const {
      keyId,
      applicationKeyId = keyId ?? process.env.B2_APPLICATION_KEY_ID,
      applicationKey = process.env.B2_APPLICATION_KEY,
      realm = B2_REALM,
      apiVersion = 'v3',
      maxUploadUrls = 8,
      downloadChunkSize = 64 * 1024,
      ...clientOptions
    } = options;
    if (!applicationKeyId)
      throw new InvalidInputError('applicationKeyId', 'is required (or set B2_APPLICATION_KEY_ID)');
    if (!applicationKey)
      throw new InvalidInputError('applicationKey', 'is required (or set B2_APPLICATION_KEY)');
    if (!/^v[234]$/.test(apiVersion)) throw new InvalidInputError('apiVersion', 'must be v2, v3 or v4');
    if (!Number.isInteger(downloadChunkSize) || downloadChunkSize < 1)
      throw new InvalidInputError('downloadChunkSize', 'must be a positive integer');
    this.#clock = clientOptions.clock ?? systemClock;
    this.#version = apiVersion;
    this.#chunkSize = downloadChunkSize;
    this.#auth = b2Authorization({
      realm,
      apiVersion,
      applicationKeyId,
      applicationKey,
      now: () => this.#clock.now(),
    });
    this.#http = new BaseClient({ baseUrl: realm, ...clientOptions }, profile, this.#auth);
    const pool = new UploadUrlPool(maxUploadUrls, () => this.#clock.now());
    this.#upload = {
      http: this.#http,
      pool,
      clock: this.#clock,
      uploadUrl: (bucketId, signal) => this.getUploadUrl(bucketId, { signal }),
      partUrl: (fileId, signal) => this.getUploadPartUrl(fileId, { signal }),
    };
  }

  /** The current authorization (authorizing first if needed): account id, URLs, part sizes, capabilities. */
  connect(options: CallOptions = {}): Promise<B2Token> {
    return this.#auth.token({ transport: this.#http, clock: this.#clock, signal: options.signal });
  }

  /** Nothing to release (fetch pools connections itself); kept for aiob2 parity and `await using`. */
  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #api<T>(
    name: string,
    body: Record<string, unknown>,
    schema: import('zod').ZodType<T>,
    options: CallOptions = {},
  ): Promise<T> {
    const session = await this.connect(options);
    return this.#http.request({
      ...options,
      method: 'POST',
      path: `${session.apiUrl}/b2api/${this.#version}/${name}`,
      endpoint: name,
      body: { json: Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) },
      schema,
    });
  }

  // ── Buckets ───────────────────────────────────────────────────────────────────────────────────────────

  async createBucket(
    bucketName: string,
    bucketType: 'allPublic' | 'allPrivate',
    options: CallOptions & {
      bucketInfo?: Record<string, string>;
      corsRules?: unknown[];
      lifecycleRules?: unknown[];
    } = {},
  ): Promise<Bucket> {
    checkBucketName(bucketName);
    if (bucketType !== 'allPublic' && bucketType !== 'allPrivate')
      throw new InvalidInputError('bucketType', 'must be allPublic or allPrivate');
    const { bucketInfo, corsRules, lifecycleRules, ...call } = options;
    const { accountId } = await this.connect(call);
    return this.#api(
      'b2_create_bucket',
      { accountId, bucketName, bucketType, bucketInfo, corsRules, lifecycleRules },
      bucketSchema,
      call,
    );
  }

  async listBuckets(
    options: CallOptions & { bucketId?: string; bucketName?: string; bucketTypes?: string[] } = {},
  ): Promise<Bucket[]> {
    const { bucketId, bucketName, bucketTypes, ...call } = options;
    const { accountId } = await this.connect(call);
    return (
      await this.#api(
        'b2_list_buckets',
        { accountId, bucketId, bucketName, bucketTypes },
        listBucketsSchema,
        call,
      )
    ).buckets;
  }

  /** aiob2's `buckets()`: every bucket, as an async iterator. */
  async *buckets(options: CallOptions = {}): AsyncGenerator<Bucket> {
    yield* await this.listBuckets(options);
  }

  async getBucketByName(bucketName: string, options: CallOptions = {}): Promise<Bucket | undefined> {
    return (await this.listBuckets({ ...options, bucketName }))[0];
  }

  async updateBucket(
    bucketId: string,
    changes: {
      bucketType?: 'allPublic' | 'allPrivate';
      bucketInfo?: Record<string, string>;
      corsRules?: unknown[];
      lifecycleRules?: unknown[];
      ifRevisionIs?: number;
    },
    options: CallOptions = {},
  ): Promise<Bucket> {
    const { accountId } = await this.connect(options);
    return this.#api('b2_update_bucket', { accountId, bucketId, ...changes }, bucketSchema, options);
  }

  async deleteBucket(bucketId: string, options: CallOptions = {}): Promise<Bucket> {
    const { accountId } = await this.connect(options);
    return this.#api('b2_delete_bucket', { accountId, bucketId }, bucketSchema, options);
  }

  // ── Listing ───────────────────────────────────────────────────────────────────────────────────────────

  /** Every current file name (newest upload of each), following `nextFileName`. */
  listFileNames(
    bucketId: string,
    options: ListFilesOptions = {},
  ): Paginator<FileVersion, string | undefined> {
    const { prefix, delimiter, startFileName, pageSize = 1000, ...call } = options;
    checkPageSize(pageSize, 10_000);
    return new Paginator<FileVersion, string | undefined>(
      startFileName,
      async (start, signal) => {
        const page = await this.#api(
          'b2_list_file_names',
          { bucketId, prefix, delimiter, startFileName: start, maxFileCount: pageSize },
          listFilesSchema,
          { ...call, signal },
        );
        return { items: page.files, next: page.nextFileName ?? null, raw: page };
      },
      { signal: call.signal },
    );
  }

  /** Every version (uploads, hide markers, unfinished large files), newest first within a name. */
  listFileVersions(
    bucketId: string,
    options: ListFilesOptions & { startFileId?: string } = {},
  ): Paginator<FileVersion, VersionCursor> {
    const { prefix, delimiter, startFileName, startFileId, pageSize = 1000, ...call } = options;
    checkPageSize(pageSize, 10_000);
    if (startFileId !== undefined && startFileName === undefined)
      throw new InvalidInputError('startFileId', 'requires startFileName');
    return new Paginator<FileVersion, VersionCursor>(
      { name: startFileName, id: startFileId },
      async (cursor, signal) => {
        const page = await this.#api(
          'b2_list_file_versions',
          {
            bucketId,
            prefix,
            delimiter,
            startFileName: cursor.name,
            startFileId: cursor.id,
            maxFileCount: pageSize,
          },
          listFilesSchema,
          { ...call, signal },
        );
        return {
          items: page.files,
          next: page.nextFileName ? { name: page.nextFileName, id: page.nextFileId ?? undefined } : null,
          raw: page,
        };
      },
      { signal: call.signal },
    );
  }

  listUnfinishedLargeFiles(
    bucketId: string,
    options: CallOptions & { namePrefix?: string; pageSize?: number } = {},
  ): Paginator<FileVersion, string | undefined> {
    const { namePrefix, pageSize = 100, ...call } = options;
    checkPageSize(pageSize, 100);
    return new Paginator<FileVersion, string | undefined>(
      undefined,
      async (startFileId, signal) => {
        const page = await this.#api(
          'b2_list_unfinished_large_files',
          { bucketId, namePrefix, startFileId, maxFileCount: pageSize },
          listFilesSchema,
          { ...call, signal },
        );
        return { items: page.files, next: page.nextFileId ?? null, raw: page };
      },
      { signal: call.signal },
    );
  }

  listParts(fileId: string, options: CallOptions & { pageSize?: number } = {}): Paginator<Part, number> {
    const { pageSize = 1000, ...call } = options;
    checkPageSize(pageSize, 1000);
    return new Paginator<Part, number>(
      1,
      async (startPartNumber, signal) => {
        const page = await this.#api(
          'b2_list_parts',
          { fileId, startPartNumber, maxPartCount: pageSize },
          listPartsSchema,
          { ...call, signal },
        );
        return { items: page.parts, next: page.nextPartNumber, raw: page };
      },
      { signal: call.signal },
    );
  }

  // ── Files ─────────────────────────────────────────────────────────────────────────────────────────────

  getFileInfo(fileId: string, options: CallOptions = {}): Promise<FileVersion> {
    return this.#api('b2_get_file_info', { fileId }, fileVersionSchema, options);
  }

  async hideFile(bucketId: string, fileName: string, options: CallOptions = {}): Promise<FileVersion> {
    checkFileName(fileName);
    return this.#api('b2_hide_file', { bucketId, fileName }, fileVersionSchema, options);
  }

  /** `b2_delete_file_version` (aiob2's `delete_file`). */
  deleteFileVersion(fileName: string, fileId: string, options: CallOptions = {}): Promise<DeletedFile> {
    return this.#api('b2_delete_file_version', { fileName, fileId }, deletedFileSchema, options);
  }

  /** aiob2's name for {@link deleteFileVersion}. */
  deleteFile(fileName: string, fileId: string, options: CallOptions = {}): Promise<DeletedFile> {
    return this.deleteFileVersion(fileName, fileId, options);
  }

  async getDownloadAuthorization(
    bucketId: string,
    fileNamePrefix: string,
    validDurationInSeconds: number,
    options: DownloadOptions['overrides'] & CallOptions = {},
  ): Promise<DownloadAuthorization> {
    if (
      !Number.isInteger(validDurationInSeconds) ||
      validDurationInSeconds < 1 ||
      validDurationInSeconds > 604_800
    ) {
      throw new InvalidInputError('validDurationInSeconds', 'must be 1-604800 (one week)');
    }
    const { signal, timeout, maxRetries, ...overrides } = options;
    return this.#api(
      'b2_get_download_authorization',
      { bucketId, fileNamePrefix, validDurationInSeconds, ...overrides },
      downloadAuthorizationSchema,
      {
        signal,
        timeout,
        maxRetries,
      },
    );
  }

  /** Server-side copy of a file (or a `range` of it) to a new name, optionally in another bucket. */
  async copyFile(
    sourceFileId: string,
    fileName: string,
    options: CallOptions & {
      destinationBucketId?: string;
      range?: { start: number; end: number };
      contentType?: string;
      fileInfo?: Record<string, string>;
    } = {},
  ): Promise<FileVersion> {
    checkFileName(fileName);
    const { destinationBucketId, range, contentType, fileInfo, ...call } = options;
    checkFileInfo(fileInfo);
    const replace = contentType !== undefined || fileInfo !== undefined;
    if (replace && contentType === undefined)
      throw new InvalidInputError('contentType', 'is required when fileInfo is replaced');
    return this.#api(
      'b2_copy_file',
      {
        sourceFileId,
        fileName,
        destinationBucketId,
        range: range ? `bytes=${range.start}-${range.end}` : undefined,
        metadataDirective: replace ? 'REPLACE' : 'COPY',
        contentType,
        fileInfo,
      },
      fileVersionSchema,
      call,
    );
  }

  async copyPart(
    sourceFileId: string,
    largeFileId: string,
    partNumber: number,
    options: CallOptions & { range?: { start: number; end: number } } = {},
  ): Promise<Part> {
    checkPartNumber(partNumber);
    const { range, ...call } = options;
    return this.#api(
      'b2_copy_part',
      {
        sourceFileId,
        largeFileId,
        partNumber,
        range: range ? `bytes=${range.start}-${range.end}` : undefined,
      },
      partSchema,
      call,
    );
  }

  // ── Keys ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Creates an application key; the answer is the only time B2 reveals its secret, so it is kept. */
  async createKey(
    capabilities: readonly string[],
    keyName: string,
    options: CallOptions & { validDurationInSeconds?: number; bucketId?: string; namePrefix?: string } = {},
  ): Promise<CreatedApplicationKey> {
    if (!Array.isArray(capabilities) || capabilities.length === 0)
      throw new InvalidInputError('capabilities', 'must be a non-empty list');
    if (!/^[A-Za-z0-9-]{1,100}$/.test(keyName))
      throw new InvalidInputError('keyName', 'must be 1-100 letters, digits and "-"');
    const { validDurationInSeconds, bucketId, namePrefix, ...call } = options;
    if (namePrefix !== undefined && bucketId === undefined)
      throw new InvalidInputError('namePrefix', 'requires bucketId');
    const { accountId } = await this.connect(call);
    return this.#api(
      'b2_create_key',
      { accountId, capabilities, keyName, validDurationInSeconds, bucketId, namePrefix },
      createdKeySchema,
      call,
    );
  }

  /** Every key (not the master key), following `nextApplicationKeyId`. */
  listKeys(options: CallOptions & { pageSize?: number } = {}): Paginator<ApplicationKey, string | undefined> {
    const { pageSize = 1000, ...call } = options;
    checkPageSize(pageSize, 10_000);
    return new Paginator<ApplicationKey, string | undefined>(
      undefined,
      async (startApplicationKeyId, signal) => {
        const { accountId } = await this.connect({ ...call, signal });
        const page = await this.#api(
          'b2_list_keys',
          { accountId, startApplicationKeyId, maxKeyCount: pageSize },
          listKeysSchema,
          { ...call, signal },
        );
        return { items: page.keys, next: page.nextApplicationKeyId, raw: page };
      },
      { signal: call.signal },
    );
  }

  /** aiob2's `keys()`. */
  keys(options: CallOptions = {}): AsyncIterable<ApplicationKey> {
    return this.listKeys(options);
  }

  deleteKey(applicationKeyId: string, options: CallOptions = {}): Promise<ApplicationKey> {
    return this.#api('b2_delete_key', { applicationKeyId }, keySchema, options);
  }

  // ── Uploads ───────────────────────────────────────────────────────────────────────────────────────────

  getUploadUrl(
    bucketId: string,
    options: CallOptions = {},
  ): Promise<{ uploadUrl: string; authorizationToken: string }> {
    return this.#api('b2_get_upload_url', { bucketId }, uploadUrlSchema, options);
  }

  getUploadPartUrl(
    fileId: string,
    options: CallOptions = {},
  ): Promise<{ uploadUrl: string; authorizationToken: string }> {
    return this.#api('b2_get_upload_part_url', { fileId }, uploadUrlSchema, options);
  }

  async startLargeFile(
    bucketId: string,
    fileName: string,
    options: CallOptions & { contentType?: string; fileInfo?: Record<string, string> } = {},
  ): Promise<LargeFile> {
    checkFileName(fileName);
    const { contentType = 'b2/x-auto', fileInfo, ...call } = options;
    checkFileInfo(fileInfo);
    const session = await this.connect(call);
    const file = await this.#api(
      'b2_start_large_file',
      { bucketId, fileName, contentType, fileInfo },
      fileVersionSchema,
      call,
    );
    return new LargeFile(
      this.#largeFileApi(),
      file,
      session.recommendedPartSize,
      session.absoluteMinimumPartSize,
    );
  }

  /** aiob2 (Void-ux) name for {@link startLargeFile}. */
  startLargeFileUpload(
    bucketId: string,
    fileName: string,
    options: CallOptions & { contentType?: string; fileInfo?: Record<string, string> } = {},
  ): Promise<LargeFile> {
    return this.startLargeFile(bucketId, fileName, options);
  }

  finishLargeFile(
    fileId: string,
    partSha1Array: readonly string[],
    options: CallOptions = {},
  ): Promise<FileVersion> {
    return this.#api('b2_finish_large_file', { fileId, partSha1Array }, fileVersionSchema, options);
  }

  cancelLargeFile(fileId: string, options: CallOptions = {}) {
    return this.#api('b2_cancel_large_file', { fileId }, cancelledFileSchema, options);
  }

  #largeFileApi() {
    return {
      upload: this.#upload,
      finishLargeFile: (fileId: string, sha1s: readonly string[], options?: CallOptions) =>
        this.finishLargeFile(fileId, sha1s, options),
      cancelLargeFile: (fileId: string, options?: CallOptions) => this.cancelLargeFile(fileId, options),
    };
  }

  /**
   * Uploads any source (path, Blob, bytes, stream) as one file: a single POST up to the part size, a large
   * file with `concurrency` parallel parts beyond it. Bytes stream (memory: about `concurrency` parts for a
   * stream of unknown length, a few chunks for files), SHA-1 is computed on the way and verified by B2, a
   * failed attempt takes a fresh upload URL, and a large file that fails is cancelled (unless `resume`).
   */
  async uploadFile(
    bucketId: string,
    fileName: string,
    source: UploadSource,
    options: UploadOptions = {},
  ): Promise<FileVersion> {
    checkUpload(fileName, options);
    const session = await this.connect(options);
    const partSize = options.partSize ?? session.recommendedPartSize;
    if (partSize < session.absoluteMinimumPartSize) {
      throw new InvalidInputError(
        'partSize',
        `must be at least ${session.absoluteMinimumPartSize} bytes (B2 minimum)`,
      );
    }
    const body = await openSource(source, options.size);
    if (body.size !== undefined && body.size <= partSize)
      return uploadSmall(this.#upload, bucketId, fileName, body, body.size, options);
    if (body.size !== undefined && body.rangeable)
      return this.#uploadLargeFromRanges(bucketId, fileName, body, body.size, partSize, options);
    // Unknown length (or not rangeable): cut the stream into parts as it comes.
    const chunks = fixedChunks(await body.open(), partSize);
    const first = await chunks.next();
    const second = first.done ? first : await chunks.next();
    if (second.done) {
      const bytes = first.done ? new Uint8Array(0) : first.value;
      const whole = await openSource(bytes, bytes.byteLength);
      return uploadSmall(this.#upload, bucketId, fileName, whole, bytes.byteLength, options);
    }
    async function* all(): AsyncGenerator<Uint8Array> {
      yield first.value as Uint8Array;
      yield second.value as Uint8Array;
      yield* chunks;
    }
    return this.#uploadLarge(bucketId, fileName, body.size, options, (large, signal, onBytes) =>
      mapConcurrent(
        all(),
        options.concurrency ?? 4,
        async (bytes, index, partSignal) =>
          large.adopt(
            await uploadPart(
              this.#upload,
              large.id,
              index + 1,
              async () => new Blob([bytes]).stream(),
              bytes.byteLength,
              { signal: partSignal, replayable: true, onBytes },
            ),
          ),
        { signal },
      ),
    );
  }

  async #uploadLargeFromRanges(
    bucketId: string,
    fileName: string,
    body: Awaited<ReturnType<typeof openSource>>,
    size: number,
    partSize: number,
    options: UploadOptions,
  ) {
    const count = Math.ceil(size / partSize);
    if (count > 10_000)
      throw new InvalidInputError('partSize', `too small for ${size} bytes (at most 10000 parts)`);
    const ranges = Array.from({ length: count }, (_, i) => ({
      partNumber: i + 1,
      start: i * partSize,
      end: Math.min(size, (i + 1) * partSize),
    }));
    return this.#uploadLarge(bucketId, fileName, size, options, async (large, signal, onBytes, reusable) => {
      const todo = [];
      for (const range of ranges) {
        const existing = reusable.get(range.partNumber);
        if (
          existing &&
          existing.contentLength === range.end - range.start &&
          existing.contentSha1 === (await sha1Of(body, range))
        ) {
          large.adopt(existing);
          onBytes(existing.contentLength);
        } else todo.push(range);
      }
      await mapConcurrent(
        todo,
        options.concurrency ?? 4,
        async (range, _i, partSignal) =>
          large.adopt(
            await uploadPart(
              this.#upload,
              large.id,
              range.partNumber,
              () => body.open({ start: range.start, end: range.end }),
              range.end - range.start,
              {
                signal: partSignal,
                replayable: body.replayable,
                onBytes,
              },
            ),
          ),
        { signal },
      );
    });
  }

  async #uploadLarge(
    bucketId: string,
    fileName: string,
    size: number | undefined,
    options: UploadOptions,
    uploadParts: (
      large: LargeFile,
      signal: AbortSignal | undefined,
      onBytes: (n: number) => void,
      reusable: Map<number, Part>,
    ) => Promise<unknown>,
  ): Promise<FileVersion> {
    const { signal } = options;
    let large: LargeFile | undefined;
    const reusable = new Map<number, Part>();
    if (options.resume) {
      const unfinished = (
        await this.listUnfinishedLargeFiles(bucketId, { namePrefix: fileName, signal }).toArray({
          limit: 10_000,
        })
      ).filter((f) => f.fileName === fileName);
      const latest = unfinished.at(-1);
      if (latest?.fileId) {
        const session = await this.connect(options);
        large = new LargeFile(
          this.#largeFileApi(),
          latest,
          session.recommendedPartSize,
          session.absoluteMinimumPartSize,
        );
        for (const part of await this.listParts(latest.fileId, { signal }).toArray({ limit: 10_000 }))
          reusable.set(part.partNumber, part);
      }
    }
    large ??= await this.startLargeFile(bucketId, fileName, {
      ...(options.contentType ? { contentType: options.contentType } : {}),
      ...(options.info ? { fileInfo: { ...options.info } } : {}),
      ...(signal ? { signal } : {}),
    });
    let loaded = 0;
    const onBytes = (n: number) => {
      loaded += n;
      options.onProgress?.({ loaded, total: size });
    };
    try {
      await uploadParts(large, signal, onBytes, reusable);
      return await large.finish(signal ? { signal } : {});
    } catch (error) {
      // Leave the parts for a later `resume`, or clean up so nothing half-made lingers (and costs storage).
      if (!options.resume) await large.cancel().catch(() => {});
      throw error;
    }
  }

  // ── Downloads ─────────────────────────────────────────────────────────────────────────────────────────

  /** Opens a download as a stream: by file id, or by bucket and file name. */
  async download(ref: FileRef, options: DownloadOptions = {}): Promise<StreamResponse> {
    const { range, overrides, onProgress, ...call } = options;
    if (
      range &&
      (!Number.isInteger(range.start) ||
        range.start < 0 ||
        (range.end !== undefined && range.end < range.start))
    ) {
      throw new InvalidInputError('range', 'must be {start ≥ 0, end ≥ start}');
    }
    const session = await this.connect(call);
    const query: Record<string, string> = { ...(overrides ?? {}) };
    let path: string;
    // `.`, `..` and empty segments would be rewritten by URL parsing (`%2E` too; `%2F` is not allowed):
    // such a name is a different file in a URL path, so it is fetched by id.
    if (!('fileId' in ref) && !isUrlPathSafe(ref.fileName))
      ref = { fileId: await this.#fileIdOf(ref.bucketName, ref.fileName, call) };
    if ('fileId' in ref) {
      path = `${session.downloadUrl}/b2api/${this.#version}/b2_download_file_by_id`;
      query.fileId = ref.fileId;
    } else {
      checkFileName(ref.fileName);
      path = `${session.downloadUrl}/file/${encodeURIComponent(ref.bucketName)}/${encodeB2Name(ref.fileName)}`;
    }
    return this.#http.stream({
      ...call,
      path,
      query,
      endpoint: 'fileId' in ref ? 'b2_download_file_by_id' : 'download_file_by_name',
      ...(range ? { headers: { range: `bytes=${range.start}-${range.end ?? ''}` } } : {}),
      okStatus: (status) => status === 200 || status === 206,
      ...(onProgress ? { onDownloadProgress: onProgress } : {}),
    });
  }

  /** The id of the current version of a file, by bucket and exact name. */
  async #fileIdOf(bucketName: string, fileName: string, options: CallOptions): Promise<string> {
    checkFileName(fileName);
    const bucket = await this.getBucketByName(bucketName, options);
    const [file] = bucket
      ? await this.listFileNames(bucket.bucketId, {
          ...options,
          prefix: fileName,
          startFileName: fileName,
          pageSize: 1,
        }).toArray({ limit: 1 })
      : [];
    if (!file?.fileId || file.fileName !== fileName)
      throw createB2Error({
        service: 'b2',
        status: 404,
        headers: new Headers(),
        code: 'not_found',
        message: `file not present: ${fileName}`,
        request: { method: 'GET', url: `b2://${bucketName}/${fileName}`, endpoint: 'download_file_by_name' },
      });
    return file.fileId;
  }

  async #downloadWhole(ref: FileRef, options: DownloadOptions): Promise<DownloadedFile> {
    const response = await this.download(ref, options);
    const data = await readAll(response.body);
    const headers = response.headers;
    const sha1 = headers.get('x-bz-content-sha1') ?? undefined;
    if (!options.range && sha1 && /^[0-9a-f]{40}$/.test(sha1)) {
      const actual = createHash('sha1').update(data).digest('hex');
      if (actual !== sha1)
        throw new IntegrityError(headers.get('x-bz-file-name') ?? 'download', 'sha1', sha1, actual);
    }
    const info: Record<string, string> = {};
    headers.forEach((value, name) => {
      if (name.startsWith('x-bz-info-')) info[name.slice(10)] = decodeB2Name(value);
    });
    const timestamp = headers.get('x-bz-upload-timestamp');
    return {
      data,
      fileId: headers.get('x-bz-file-id') ?? '',
      fileName: decodeB2Name(headers.get('x-bz-file-name') ?? ''),
      contentType: headers.get('content-type') ?? undefined,
      contentLength: data.byteLength,
      contentSha1: sha1,
      uploadTimestamp: timestamp ? new Date(Number(timestamp)) : undefined,
      info,
    };
  }

  /** The whole file in memory, SHA-1 checked (aiob2's `download_file_by_id`). Prefer {@link saveFile} for big files. */
  downloadFileById(fileId: string, options: DownloadOptions = {}): Promise<DownloadedFile> {
    return this.#downloadWhole({ fileId }, options);
  }

  downloadFileByName(
    fileName: string,
    bucketName: string,
    options: DownloadOptions = {},
  ): Promise<DownloadedFile> {
    return this.#downloadWhole({ bucketName, fileName }, options);
  }

  /** aiob2 (WardPearce) `download_from_name`: the bytes. */
  async downloadFromName(
    bucketName: string,
    fileName: string,
    options: DownloadOptions = {},
  ): Promise<Uint8Array> {
    return (await this.#downloadWhole({ bucketName, fileName }, options)).data;
  }

  /** aiob2 `download_from_name_iterate`: the bytes in `downloadChunkSize` chunks, streamed. */
  async *downloadFromNameIterate(
    bucketName: string,
    fileName: string,
    options: DownloadOptions & { chunkSize?: number } = {},
  ): AsyncGenerator<Uint8Array> {
    const { chunkSize = this.#chunkSize, ...rest } = options;
    const response = await this.download({ bucketName, fileName }, rest);
    yield* fixedChunks(response.body, chunkSize);
  }

  /**
   * Streams a file to disk: a temporary name renamed into place only when complete and its SHA-1 verified
   * (B2's whole-file SHA-1, or `large_file_sha1` when the uploader recorded it); a cut body resumes by Range.
   */
  async saveFile(
    ref: FileRef,
    destination: string,
    options: CallOptions & { onProgress?: ProgressListener; concurrency?: number; partSize?: number } = {},
  ): Promise<SavedFile> {
    const { onProgress, concurrency = 1, partSize = 16 * 1024 * 1024, ...call } = options;
    const { sha1: expected, size } = await this.#describe(ref, call);
    const integrity = expected ? { algorithm: 'sha1' as const, expected } : undefined;
    if (concurrency > 1 && size > partSize) {
      // One connection is often the bottleneck for a big file: fetch ranges in parallel instead.
      return saveRangesToFile(
        (range, signal) => this.download(ref, { ...call, signal, range }),
        destination,
        {
          size,
          partSize,
          concurrency,
          signal: call.signal,
          onProgress,
          integrity,
        },
      );
    }
    return saveToFile(
      async (range, signal) =>
        this.download(ref, {
          ...call,
          signal: signal ?? call.signal,
          ...(range ? { range: { start: range.start } } : {}),
        }),
      destination,
      { signal: call.signal, onProgress, ...(integrity ? { integrity } : { hash: 'sha1' as const }) },
    );
  }

  /** Size and expected SHA-1 of a file (B2's, or `large_file_sha1` when the uploader recorded it). */
  async #describe(ref: FileRef, options: CallOptions): Promise<{ sha1: string | undefined; size: number }> {
    let sha1: string | null | undefined;
    let largeSha1: string | undefined;
    let size: number;
    if ('fileId' in ref) {
      const file = await this.getFileInfo(ref.fileId, options);
      sha1 = file.contentSha1;
      largeSha1 = file.fileInfo.large_file_sha1;
      size = file.contentLength;
    } else {
      const head = await this.download(ref, { ...options, range: { start: 0, end: 0 } });
      await head.body.cancel();
      sha1 = head.headers.get('x-bz-content-sha1');
      largeSha1 = head.headers.get('x-bz-info-large_file_sha1') ?? undefined;
      size = Number(/\/(\d+)$/.exec(head.headers.get('content-range') ?? '')?.[1] ?? head.contentLength ?? 0);
    }
    const plain = sha1?.replace(/^unverified:/, '');
    if (plain && /^[0-9a-f]{40}$/.test(plain)) return { sha1: plain, size };
    return { sha1: largeSha1 && /^[0-9a-f]{40}$/.test(largeSha1) ? largeSha1 : undefined, size };
  }

  // ── aiob2 handles ─────────────────────────────────────────────────────────────────────────────────────

  /** aiob2's `bucket(bucket_id)`: operations on one bucket (or, without an id, `create`). */
  bucket(bucketId = '') {
    return {
      id: bucketId,
      /** aiob2's `bucket().create(...)`: creates a bucket (the handle's id is not used). */
      create: (
        name: string,
        type: 'allPublic' | 'allPrivate',
        options?: Parameters<B2Client['createBucket']>[2],
      ) => this.createBucket(name, type, options),
      update: (changes: Parameters<B2Client['updateBucket']>[1], options?: CallOptions) =>
        this.updateBucket(bucketId, changes, options),
      delete: (options?: CallOptions) => this.deleteBucket(bucketId, options),
      upload: {
        get: (options?: CallOptions) => this.getUploadUrl(bucketId, options),
        file: (fileName: string, path: string, options?: UploadOptions) =>
          this.uploadFile(bucketId, fileName, { kind: 'file', path }, options),
        data: (data: Uint8Array | string, fileName: string, options?: UploadOptions) =>
          this.uploadFile(bucketId, fileName, data, options),
      },
      files: {
        hide: (fileName: string, options?: CallOptions) => this.hideFile(bucketId, fileName, options),
        names: (options?: ListFilesOptions) => this.listFileNames(bucketId, options),
        versions: (options?: ListFilesOptions) => this.listFileVersions(bucketId, options),
        unfinishedLargeFiles: (options?: CallOptions) => this.listUnfinishedLargeFiles(bucketId, options),
        downloadAuthorization: (
          fileNamePrefix: string,
          validDurationInSeconds: number,
          options?: CallOptions,
        ) => this.getDownloadAuthorization(bucketId, fileNamePrefix, validDurationInSeconds, options),
      },
    };
  }

  /** aiob2's `bucket()` without an id: creates one. */
  newBucket() {
    return {
      create: (
        name: string,
        type: 'allPublic' | 'allPrivate',
        options?: Parameters<B2Client['createBucket']>[2],
      ) => this.createBucket(name, type, options),
    };
  }

  /** aiob2's `file(file_id)`: operations on one file version. */
  file(fileId: string) {
    return {
      id: fileId,
      info: (options?: CallOptions) => this.getFileInfo(fileId, options),
      delete: (fileName: string, options?: CallOptions) => this.deleteFileVersion(fileName, fileId, options),
      download: async (options?: DownloadOptions) => (await this.downloadFileById(fileId, options)).data,
      downloadIterate: async function* (
        this: B2Client,
        options: DownloadOptions & { chunkSize?: number } = {},
      ) {
        const { chunkSize = this.#chunkSize, ...rest } = options;
        yield* fixedChunks((await this.download({ fileId }, rest)).body, chunkSize);
      }.bind(this),
      save: (destination: string, options?: CallOptions & { onProgress?: ProgressListener }) =>
        this.saveFile({ fileId }, destination, options),
      parts: {
        list: (options?: CallOptions) => this.listParts(fileId, options),
        finish: (partSha1Array: readonly string[], options?: CallOptions) =>
          this.finishLargeFile(fileId, partSha1Array, options),
        cancel: (options?: CallOptions) => this.cancelLargeFile(fileId, options),
        upload: {
          get: (options?: CallOptions) => this.getUploadPartUrl(fileId, options),
          data: (data: Uint8Array, partNumber: number, options: CallOptions = {}) => {
            checkPartNumber(partNumber);
            return uploadPart(
              this.#upload,
              fileId,
              partNumber,
              async () => new Blob([data]).stream(),
              data.byteLength,
              { signal: options.signal, replayable: true },
            );
          },
        },
      },
    };
  }

  /** aiob2's `source_file(id)`: server-side copies from one file. */
  sourceFile(sourceFileId: string) {
    return {
      copy: {
        file: (fileName: string, options?: Parameters<B2Client['copyFile']>[2]) =>
          this.copyFile(sourceFileId, fileName, options),
        part: (largeFileId: string, partNumber: number, options?: Parameters<B2Client['copyPart']>[3]) =>
          this.copyPart(sourceFileId, largeFileId, partNumber, options),
      },
    };
  }

  /** aiob2's `key`: application keys. */
  get key() {
    return {
      create: (
        capabilities: readonly string[],
        keyName: string,
        options?: Parameters<B2Client['createKey']>[2],
      ) => this.createKey(capabilities, keyName, options),
      delete: (applicationKeyId: string, options?: CallOptions) => this.deleteKey(applicationKeyId, options),
      list: (options?: CallOptions) => this.listKeys(options),
    };
  }
}

/** Where a version listing resumes: `startFileName` + `startFileId`. */
export interface VersionCursor {
  readonly name: string | undefined;
  readonly id: string | undefined;
}

function checkPageSize(pageSize: number, max: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max)
    throw new InvalidInputError('pageSize', `must be 1-${max}`);
}

async function sha1Of(
  body: Awaited<ReturnType<typeof openSource>>,
  range: { start: number; end: number },
): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of await body.open(range)) hash.update(chunk);
  return hash.digest('hex');
}

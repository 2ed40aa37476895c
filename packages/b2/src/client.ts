import {
  BaseClient,
  type CallOptions,
  type ClientOptions,
  type Clock,
  fixedChunks,
  InvalidInputError,
  type ListingOptions,
  Paginator,
  type SavedFile,
  type ServiceProfile,
  type StreamResponse,
  systemClock,
  TO_ARRAY_HARD_LIMIT,
  type UploadSource,
} from '@mediaferry/core';
import { type B2Token, b2Authorization } from './auth.js';
import {
  type DownloadContext,
  type DownloadedFile,
  type DownloadOptions,
  downloadWhole,
  type FileRef,
  openDownload,
  type SaveFileOptions,
  saveFile,
} from './downloads.js';
import { b2ErrorInSuccess, createB2Error, isExpiredToken, parseB2Error } from './errors.js';
import { LargeFile } from './large-file.js';
import { type LargeUploadApi, uploadLargeFromChunks, uploadLargeFromRanges } from './large-upload.js';
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
import { checkBucketName, checkFileInfo, checkFileName, checkPartNumber } from './names.js';
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

/** Calls that change nothing on the server: safe to send again when their answer was lost. */
const READ_CALLS = new Set([
  'b2_list_buckets',
  'b2_list_file_names',
  'b2_list_file_versions',
  'b2_list_unfinished_large_files',
  'b2_list_parts',
  'b2_list_keys',
  'b2_get_file_info',
  'b2_get_upload_url',
  'b2_get_upload_part_url',
  'b2_get_download_authorization',
]);

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
  successBodyError: b2ErrorInSuccess,
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

export interface ListFilesOptions extends CallOptions, ListingOptions {
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
      signal: options.signal,
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      method: 'POST',
      path: `${session.apiUrl}/b2api/${this.#version}/${name}`,
      endpoint: name,
      credentials: 'required',
      // Reads may be replayed when their answer is lost on the way (B2 sends them all as POST).
      idempotent: READ_CALLS.has(name),
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
      listing(call),
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
      listing(call),
    );
  }

  listUnfinishedLargeFiles(
    bucketId: string,
    options: CallOptions & ListingOptions & { namePrefix?: string; pageSize?: number } = {},
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
      listing(call),
    );
  }

  listParts(
    fileId: string,
    options: CallOptions & ListingOptions & { pageSize?: number } = {},
  ): Paginator<Part, number> {
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
      listing(call),
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
  listKeys(
    options: CallOptions & ListingOptions & { pageSize?: number } = {},
  ): Paginator<ApplicationKey, string | undefined> {
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
      listing(call),
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
      return uploadLargeFromRanges(
        this.#largeUploadApi(),
        bucketId,
        fileName,
        body,
        body.size,
        partSize,
        options,
      );
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
    return uploadLargeFromChunks(this.#largeUploadApi(), bucketId, fileName, all(), options);
  }

  #largeUploadApi(): LargeUploadApi {
    return {
      ...this.#largeFileApi(),
      startLargeFile: (bucketId, fileName, options) =>
        this.startLargeFile(bucketId, fileName, {
          ...(options.contentType ? { contentType: options.contentType } : {}),
          ...(options.info ? { fileInfo: { ...options.info } } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      adoptLargeFile: async (file, call) => {
        const session = await this.connect(call);
        return new LargeFile(
          this.#largeFileApi(),
          file,
          session.recommendedPartSize,
          session.absoluteMinimumPartSize,
        );
      },
      listUnfinished: (bucketId, fileName, call) =>
        this.listUnfinishedLargeFiles(bucketId, { ...call, namePrefix: fileName }).toArray({
          limit: TO_ARRAY_HARD_LIMIT,
        }),
      listParts: (fileId, call) => this.listParts(fileId, call).toArray({ limit: 10_000 }),
    };
  }

  // ── Downloads ─────────────────────────────────────────────────────────────────────────────────────────

  #downloads(): DownloadContext {
    return {
      http: this.#http,
      version: this.#version,
      connect: (call) => this.connect(call),
      getFileInfo: (fileId, call) => this.getFileInfo(fileId, call),
      findFile: async (bucketName, fileName, call) => {
        const bucket = await this.getBucketByName(bucketName, call);
        if (!bucket) return undefined;
        const listing = this.listFileNames(bucket.bucketId, {
          ...call,
          startFileName: fileName,
          pageSize: 1,
        });
        return (await listing.toArray({ limit: 1 }))[0];
      },
    };
  }

  /** Opens a download as a stream: by file id, or by bucket and file name. */
  download(ref: FileRef, options: DownloadOptions = {}): Promise<StreamResponse> {
    return openDownload(this.#downloads(), ref, options);
  }

  /** The whole file in memory, SHA-1 checked (aiob2's `download_file_by_id`). Prefer {@link saveFile} for big files. */
  downloadFileById(fileId: string, options: DownloadOptions = {}): Promise<DownloadedFile> {
    return downloadWhole(this.#downloads(), { fileId }, options);
  }

  downloadFileByName(
    fileName: string,
    bucketName: string,
    options: DownloadOptions = {},
  ): Promise<DownloadedFile> {
    return downloadWhole(this.#downloads(), { bucketName, fileName }, options);
  }

  /** aiob2 (WardPearce) `download_from_name`: the bytes. */
  async downloadFromName(
    bucketName: string,
    fileName: string,
    options: DownloadOptions = {},
  ): Promise<Uint8Array> {
    return (await downloadWhole(this.#downloads(), { bucketName, fileName }, options)).data;
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
   * Streams a file to disk: a temporary name renamed into place only when complete (size always, SHA-1 when
   * known: B2's, or `large_file_sha1`); a cut body resumes by Range with `If-Range`, on the same version.
   */
  saveFile(ref: FileRef, destination: string, options: SaveFileOptions = {}): Promise<SavedFile> {
    return saveFile(this.#downloads(), ref, destination, options);
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
      save: (destination: string, options?: SaveFileOptions) =>
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

/** The paginator guards and signal of a listing call. */
function listing(call: CallOptions & ListingOptions) {
  return { signal: call.signal, maxPages: call.maxPages, maxItems: call.maxItems };
}

function checkPageSize(pageSize: number, max: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max)
    throw new InvalidInputError('pageSize', `must be 1-${max}`);
}

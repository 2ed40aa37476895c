/**
 * aiob2's `Bucket` (docs/bucket.md, bucket_upload.md, bucket_files.md): create and delete, uploads of a
 * local file or of bytes, listings as `(FileModel, File)` pairs, hide, download authorization.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { fromPath, InvalidInputError, type UploadSource } from '@mediaferry/core';
import type { Retention } from '../../file-lock.js';
import type { UploadPlan } from '../../transfer/upload.js';
import { compat, compatIterate, NoSuchFile } from './errors.js';
import type { File } from './file.js';
import { BucketModel, type BucketType, FileModel, GetDowloadAuthModel, GetUploadUrlModel } from './models.js';
import { required, type Session } from './session.js';

/** `b2_create_bucket` extras aiob2 passes through: `bucketInfo`, `corsRules`, `lifecycleRules`. */
export interface CreateBucketKwargs {
  readonly bucketInfo?: Readonly<Record<string, string>>;
  readonly corsRules?: readonly unknown[];
  readonly lifecycleRules?: readonly unknown[];
}

/**
 * Upload headers aiob2 passes through, as `X-Bz-Info-author` or aiob2's `X__Bz__Info__author` (`__` is `-`):
 * `X-Bz-Info-*`, `X-Bz-Server-Side-Encryption: AES256`, `X-Bz-File-Legal-Hold`,
 * `X-Bz-File-Retention-Mode` with `X-Bz-File-Retention-Retain-Until-Timestamp`.
 */
export type UploadKwargs = Readonly<Record<string, string | number>>;

/** Listing parameters as B2 names them: `prefix`, `delimiter`, `startFileName`, `startFileId`, `maxFileCount`. */
export interface ListKwargs {
  readonly prefix?: string;
  readonly delimiter?: string;
  readonly startFileName?: string;
  readonly startFileId?: string;
  /** Files per request (every page is listed). */
  readonly maxFileCount?: number;
  /** `unfinishedLargeFiles` only. */
  readonly namePrefix?: string;
}

/** Response header overrides a download authorization may require (`b2ContentDisposition`…). */
export type DownloadAuthorizationKwargs = Readonly<Record<`b2${string}`, string>>;

/** Turns aiob2's header kwargs into upload settings; a header this client cannot send is refused. */
function uploadSettings(kwargs: UploadKwargs): Partial<UploadPlan> {
  const info: Record<string, string> = {};
  let sse: UploadPlan['serverSideEncryption'];
  let legalHold: UploadPlan['legalHold'];
  let mode: string | undefined;
  let until: number | undefined;
  for (const [raw, value] of Object.entries(kwargs)) {
    const name = raw.replace(/__/g, '-').toLowerCase();
    const text = String(value);
    if (name.startsWith('x-bz-info-')) info[raw.replace(/__/g, '-').slice(10)] = text;
    else if (name === 'x-bz-server-side-encryption' && text === 'AES256') sse = { mode: 'SSE-B2' };
    else if (name === 'x-bz-file-legal-hold' && (text === 'on' || text === 'off')) legalHold = text;
    else if (name === 'x-bz-file-retention-mode') mode = text;
    else if (name === 'x-bz-file-retention-retain-until-timestamp') until = Number(text);
    else throw new InvalidInputError(`kwargs.${raw}`, 'is not an upload header this client can send');
  }
  const fileRetention =
    mode !== undefined ? ({ mode, retainUntilTimestamp: until ?? Number.NaN } as Retention) : undefined;
  return {
    ...(Object.keys(info).length > 0 ? { info } : {}),
    ...(sse ? { serverSideEncryption: sse } : {}),
    ...(legalHold ? { legalHold } : {}),
    ...(fileRetention ? { fileRetention } : {}),
  };
}

/** `bucket.upload`: upload URLs and uploads into the bucket. */
export class BucketUpload {
  readonly #bucket: Bucket;
  readonly #session: Session;

  constructor(bucket: Bucket, session: Session) {
    this.#bucket = bucket;
    this.#session = session;
  }

  /** A new upload URL of the bucket. */
  async get(): Promise<GetUploadUrlModel> {
    const bucketId = required(this.#bucket.bucketId, 'bucketId');
    return new GetUploadUrlModel(await compat(this.#session.b2.raw.getUploadUrl({ bucketId })));
  }

  /** Uploads a local file (streamed, any size: a large file in parts beyond the part size). */
  async file(
    fileName: string,
    pathway: string,
    contentType = 'b2/x-auto',
    kwargs: UploadKwargs = {},
  ): Promise<[FileModel, File]> {
    const found = await stat(pathway).catch(() => undefined);
    if (!found?.isFile()) throw new NoSuchFile(pathway);
    return this.#upload(fileName, fromPath(pathway), contentType, kwargs);
  }

  /** Uploads bytes. */
  async data(
    data: Uint8Array,
    fileName: string,
    contentType = 'b2/x-auto',
    kwargs: UploadKwargs = {},
  ): Promise<[FileModel, File]> {
    if (!(data instanceof Uint8Array)) throw new InvalidInputError('data', 'must be bytes (a Uint8Array)');
    return this.#upload(fileName, data, contentType, kwargs);
  }

  async #upload(
    fileName: string,
    source: UploadSource,
    contentType: string,
    kwargs: UploadKwargs,
  ): Promise<[FileModel, File]> {
    const bucketId = required(this.#bucket.bucketId, 'bucketId');
    const settings = uploadSettings(kwargs);
    const upload = this.#session.b2.files.upload({ bucketId, fileName, source, contentType, ...settings });
    const file = await compat(upload.done());
    return [new FileModel(file), this.#session.file(file.fileId)];
  }
}

/** `bucket.files`: the bucket's files. */
export class BucketFiles {
  readonly #bucket: Bucket;
  readonly #session: Session;

  constructor(bucket: Bucket, session: Session) {
    this.#bucket = bucket;
    this.#session = session;
  }

  /** Hides a name: listings and downloads by name skip it. */
  async hide(fileName: string): Promise<[FileModel, File]> {
    const bucketId = required(this.#bucket.bucketId, 'bucketId');
    const file = await compat(this.#session.b2.files.hide({ bucketId, fileName }));
    return [new FileModel(file), this.#session.file(file.fileId)];
  }

  /** Every version (uploads, hide markers, unfinished large files), across all pages. */
  async *versions(kwargs: ListKwargs = {}): AsyncGenerator<[FileModel, File]> {
    const bucketId = required(this.#bucket.bucketId, 'bucketId');
    const { maxFileCount, ...rest } = kwargs;
    const listing = this.#session.b2.files.listVersions({ ...rest, bucketId, pageSize: maxFileCount });
    for await (const file of compatIterate(listing))
      yield [new FileModel(file), this.#session.file(file.fileId)];
  }

  /** The current version of every name, across all pages. */
  async *names(kwargs: ListKwargs = {}): AsyncGenerator<[FileModel, File]> {
    const bucketId = required(this.#bucket.bucketId, 'bucketId');
    const { maxFileCount, startFileId: _id, ...rest } = kwargs;
    const listing = this.#session.b2.files.list({ ...rest, bucketId, pageSize: maxFileCount });
    for await (const file of compatIterate(listing))
      yield [new FileModel(file), this.#session.file(file.fileId)];
  }

  /** Unfinished large files, oldest first, across all pages. */
  async *unfinishedLargeFiles(kwargs: ListKwargs = {}): AsyncGenerator<[FileModel, File]> {
    const bucketId = required(this.#bucket.bucketId, 'bucketId');
    const { maxFileCount, namePrefix } = kwargs;
    const listing = this.#session.b2.largeFiles.listUnfinished({
      bucketId,
      namePrefix,
      pageSize: maxFileCount,
    });
    for await (const file of compatIterate(listing))
      yield [new FileModel(file), this.#session.file(file.fileId)];
  }

  /** A token that lets others download names under `fileNamePrefix` for a while. */
  async downloadAuthorization(
    fileNamePrefix: string,
    validDurationInSeconds: number,
    kwargs: DownloadAuthorizationKwargs = {},
  ): Promise<GetDowloadAuthModel> {
    const bucketId = required(this.#bucket.bucketId, 'bucketId');
    const auth = await compat(
      this.#session.b2.files.getDownloadAuthorization({
        ...kwargs,
        bucketId,
        fileNamePrefix,
        validDurationInSeconds,
      }),
    );
    return new GetDowloadAuthModel(auth);
  }
}

/** A bucket by id, or (without one) a bucket to `create`. */
export class Bucket {
  /** Set by {@link Bucket.create}. */
  bucketId: string | undefined;
  readonly upload: BucketUpload;
  readonly files: BucketFiles;
  readonly #session: Session;

  constructor(session: Session, bucketId?: string | null) {
    this.#session = session;
    this.bucketId = bucketId ?? undefined;
    this.upload = new BucketUpload(this, session);
    this.files = new BucketFiles(this, session);
  }

  /** Creates a bucket and makes this handle its handle (sets `bucketId`). */
  async create(name: string, type: BucketType, kwargs: CreateBucketKwargs = {}): Promise<BucketModel> {
    const bucket = await compat(
      this.#session.b2.buckets.create({ ...kwargs, bucketName: name, bucketType: type }),
    );
    this.bucketId = bucket.bucketId;
    return new BucketModel(bucket);
  }

  /** Deletes this (empty) bucket. */
  async delete(): Promise<BucketModel> {
    const bucketId = required(this.bucketId, 'bucketId');
    return new BucketModel(await compat(this.#session.b2.buckets.delete(bucketId)));
  }
}

/**
 * `b2.files`: list, inspect, upload, download, copy, hide, delete and lock file versions. Uploads, downloads
 * to a file and copies are transfers (`done()`, `abort()`, progress events); everything else answers an
 * `APIPromise`.
 *
 * @module
 */
import {
  APIPromise,
  type CallOptions,
  type Paginator,
  type ProgressListener,
  type Transfer,
  type TransferOptions,
} from '@mediaferry/core';
import type { CustomerKey } from '../encryption.js';
import { FileNotHiddenError } from '../errors.js';
import type {
  DeletedFile,
  DownloadAuthorization,
  FileVersion,
  LegalHoldResult,
  RetentionResult,
} from '../models.js';
import { fileNames, fileVersions, type PageOptions, type VersionCursor } from '../paging.js';
import type * as P from '../raw/params.js';
import type { Upload } from '../transfer/context.js';
import { type CopyPlan, runCopy } from '../transfer/copy.js';
import {
  type DownloadedFile,
  type DownloadToFileSettings,
  type FileRef,
  openDownload,
  runDownloadToFile,
  type SavedB2File,
  verifiedFile,
} from '../transfer/download.js';
import { type FileHead, headOf } from '../transfer/file-head.js';
import { runUpload, type UploadPlan } from '../transfer/upload.js';
import { type BucketRef, bucketIdOf, type ResourceContext, startTransfer, withoutBucket } from './context.js';

/** A listing of file names or versions. */
export type ListFilesParams = BucketRef &
  PageOptions & {
    readonly prefix?: string | undefined;
    /** `/` lists one folder level: deeper names come back as `folder` entries. */
    readonly delimiter?: string | undefined;
    readonly startFileName?: string | undefined;
  };

/** An upload: where, what and how (see {@link UploadPlan}). */
export type UploadParams = BucketRef & UploadPlan & { readonly onProgress?: ProgressListener | undefined };

/** A download to a stream: a range, header overrides, the key of an SSE-C file. */
export type DownloadParams = Omit<P.RawDownloadParams, 'method'>;

/** `b2.files`. */
export class Files {
  readonly #context: ResourceContext;

  /** @internal */
  constructor(context: ResourceContext) {
    this.#context = context;
  }

  /** The current version of every name (uploads only, newest of each), in name order. */
  list(params: ListFilesParams, options: CallOptions = {}): Paginator<FileVersion, string | undefined> {
    return fileNames(this.#context.raw, { ...params, bucketId: this.#bucketId(params, options) }, options);
  }

  /** Every version (uploads, hide markers, unfinished large files): by name, newest first within a name. */
  listVersions(
    params: ListFilesParams & { readonly startFileId?: string | undefined },
    options: CallOptions = {},
  ): Paginator<FileVersion, VersionCursor> {
    return fileVersions(this.#context.raw, { ...params, bucketId: this.#bucketId(params, options) }, options);
  }

  #bucketId(ref: BucketRef, options: CallOptions): () => Promise<string> {
    return () => bucketIdOf(this.#context, ref, options);
  }

  /** A file version by id (`b2_get_file_info`). */
  get(fileId: string, options: CallOptions = {}): APIPromise<FileVersion> {
    return this.#context.raw.getFileInfo({ fileId }, options);
  }

  /** What B2 says of a file without its bytes (a HEAD request): size, SHA-1, info, locks, encryption. */
  head(
    ref: FileRef,
    params: { readonly serverSideEncryption?: CustomerKey | undefined } = {},
    options: CallOptions = {},
  ): APIPromise<FileHead> {
    return openDownload(this.#context, ref, { ...params, method: 'HEAD' }, options).map(headOf);
  }

  /**
   * Uploads any source as one file: one POST up to the part size, a large file in parallel parts beyond
   * it. `done()` resolves with the new version once B2 has verified the SHA-1 of every byte.
   */
  upload(params: UploadParams, options: TransferOptions = {}): Upload<FileVersion> {
    return startTransfer(
      this.#context,
      async ({ signal, progress }) => {
        const bucketId = await bucketIdOf(this.#context, params, { ...options, signal });
        const { onProgress: _onProgress, ...plan } = withoutBucket(params);
        return runUpload(this.#context, bucketId, plan, { ...options, signal }, progress);
      },
      options,
      params.onProgress,
    );
  }

  /** Opens a file (whole, or a range) as a stream whose bytes are checked against the file's SHA-1. */
  download(
    ref: FileRef,
    params: DownloadParams = {},
    options: TransferOptions = {},
  ): APIPromise<DownloadedFile> {
    return openDownload(this.#context, ref, params, options).map(verifiedFile);
  }

  /**
   * Saves a file to `destination`: a temporary file beside it, renamed into place only when complete and
   * verified; a cut body resumes by range, on the same version. Resolves with the path, size, SHA-1 and the
   * version saved (its upload time and file infos, such as `src_last_modified_millis`).
   */
  downloadToFile(
    ref: FileRef,
    destination: string,
    params: DownloadToFileSettings & { readonly onProgress?: ProgressListener | undefined } = {},
    options: TransferOptions = {},
  ): Transfer<SavedB2File> {
    return startTransfer(
      this.#context,
      ({ signal, progress }) =>
        runDownloadToFile(this.#context, ref, destination, params, { ...options, signal }, progress),
      options,
      params.onProgress,
    );
  }

  /**
   * Copies a file on the server (no byte passes through the client): one `b2_copy_file` up to the part
   * size, parallel `b2_copy_part`s of a large file beyond it.
   */
  copy(
    params: CopyPlan & { readonly onProgress?: ProgressListener | undefined },
    options: CallOptions = {},
  ): Transfer<FileVersion> {
    return startTransfer(
      this.#context,
      ({ signal, progress }) => {
        const { onProgress: _onProgress, ...plan } = params;
        return runCopy(this.#context, plan, { ...options, signal }, progress);
      },
      options,
      params.onProgress,
    );
  }

  /** Hides a name: listings and downloads by name skip it; its versions stay. */
  hide(
    params: BucketRef & { readonly fileName: string },
    options: CallOptions = {},
  ): APIPromise<FileVersion> {
    return new APIPromise(
      (async () => {
        const bucketId = await bucketIdOf(this.#context, params, options);
        return this.#context.raw.hideFile({ bucketId, fileName: params.fileName }, options).withResponse();
      })(),
    );
  }

  /**
   * Unhides a name by deleting the hide marker on top of it (b2sdk's `unhide_file`); `FileNotHiddenError`
   * when its newest version is not one.
   */
  unhide(
    params: BucketRef & { readonly fileName: string; readonly bypassGovernance?: boolean | undefined },
    options: CallOptions = {},
  ): APIPromise<DeletedFile> {
    return new APIPromise(
      (async () => {
        const { fileName } = params;
        const listing = fileVersions(
          this.#context.raw,
          {
            bucketId: this.#bucketId(params, options),
            prefix: fileName,
            startFileName: fileName,
            pageSize: 10,
          },
          options,
        );
        const newest = (await listing.firstPage()).items.find((file) => file.fileName === fileName);
        if (newest?.action !== 'hide' || !newest.fileId) throw new FileNotHiddenError(fileName);
        const { bypassGovernance } = params;
        const marker = { fileId: newest.fileId, fileName, bypassGovernance };
        return this.#context.raw.deleteFileVersion(marker, options).withResponse();
      })(),
    );
  }

  /** Deletes one version (`bypassGovernance` for one under governance retention). */
  delete(params: P.DeleteFileVersionParams, options: CallOptions = {}): APIPromise<DeletedFile> {
    return this.#context.raw.deleteFileVersion(params, options);
  }

  /** A token that lets others download names under a prefix of a private bucket, for a while. */
  getDownloadAuthorization(
    params: BucketRef & Omit<P.GetDownloadAuthorizationParams, 'bucketId'>,
    options: CallOptions = {},
  ): APIPromise<DownloadAuthorization> {
    return new APIPromise(
      (async () => {
        const bucketId = await bucketIdOf(this.#context, params, options);
        const request = { ...withoutBucket(params), bucketId };
        return this.#context.raw.getDownloadAuthorization(request, options).withResponse();
      })(),
    );
  }

  /** Sets, extends, shortens or removes a version's retention (the last two need `bypassGovernance`). */
  updateRetention(
    params: P.UpdateFileRetentionParams,
    options: CallOptions = {},
  ): APIPromise<RetentionResult> {
    return this.#context.raw.updateFileRetention(params, options);
  }

  /** Puts a legal hold on a version (`'on'`) or lifts it (`'off'`). */
  updateLegalHold(
    params: P.UpdateFileLegalHoldParams,
    options: CallOptions = {},
  ): APIPromise<LegalHoldResult> {
    return this.#context.raw.updateFileLegalHold(params, options);
  }
}

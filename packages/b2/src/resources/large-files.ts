/**
 * `b2.largeFiles`: large files part by part, for callers who plan their own parts (`files.upload` and
 * `files.copy` plan them for you). A part upload takes a fresh part URL on failure like any upload.
 *
 * @module
 */
import {
  APIPromise,
  type CallOptions,
  InvalidInputError,
  type Paginator,
  type ProgressListener,
  type TransferOptions,
  type UploadSource,
} from '@mediaferry/core';
import { type CustomerKey, checkCustomerKey } from '../encryption.js';
import type { CancelledLargeFile, FileVersion, Part } from '../models.js';
import { checkPartNumber } from '../names.js';
import { type PageOptions, parts, unfinishedLargeFiles } from '../paging.js';
import type { CopyPartParams, StartLargeFileParams } from '../raw/params.js';
import { uploadPartWithFreshUrls } from '../transfer/parts.js';
import { openSource } from '../transfer/upload.js';
import { type BucketRef, bucketIdOf, type ResourceContext, withoutBucket } from './context.js';

/** One part to upload. */
export interface UploadPartParams {
  readonly fileId: string;
  readonly partNumber: number;
  /** The bytes: a path (a string is always a path), bytes, a Blob, a stream factory or a stream. */
  readonly source: UploadSource;
  /** Size in bytes, when the source cannot tell (a stream). */
  readonly size?: number | undefined;
  /** The key of an SSE-C large file. */
  readonly serverSideEncryption?: CustomerKey | undefined;
  /** Bytes sent: monotonic across retries, never above the size. */
  readonly onProgress?: ProgressListener | undefined;
}

/** `b2.largeFiles`. */
export class LargeFiles {
  readonly #context: ResourceContext;

  /** @internal */
  constructor(context: ResourceContext) {
    this.#context = context;
  }

  /** Starts a large file; upload (or copy) its parts, then `finish` it. */
  start(
    params: BucketRef & Omit<StartLargeFileParams, 'bucketId'>,
    options: CallOptions = {},
  ): APIPromise<FileVersion> {
    return new APIPromise(
      (async () => {
        const bucketId = await bucketIdOf(this.#context, params, options);
        return this.#context.raw
          .startLargeFile({ ...withoutBucket(params), bucketId }, options)
          .withResponse();
      })(),
    );
  }

  /** Uploads one part (its SHA-1 computed on the way), on a fresh part URL per attempt. */
  uploadPart(params: UploadPartParams, options: TransferOptions = {}): APIPromise<Part> {
    return new APIPromise(
      (async () => {
        checkPartNumber(params.partNumber);
        checkCustomerKey(params.serverSideEncryption, 'serverSideEncryption');
        const source = await openSource(params.source, params.size);
        const size = source.size;
        if (size === undefined) throw new InvalidInputError('size', 'is required for a stream');
        let sent = 0;
        return uploadPartWithFreshUrls(
          this.#context,
          params.fileId,
          params.partNumber,
          () => source.open(),
          size,
          {
            ...options,
            replayable: source.replayable,
            customerKey: params.serverSideEncryption,
            onBytes: (n) => {
              sent += n;
              params.onProgress?.({ loaded: sent, total: size });
            },
          },
        );
      })(),
    );
  }

  /** Copies a range of another file into one part, on the server. */
  copyPart(params: CopyPartParams, options: CallOptions = {}): APIPromise<Part> {
    return this.#context.raw.copyPart(params, options);
  }

  /** The parts uploaded so far, by part number. */
  listParts(
    params: PageOptions & { readonly fileId: string },
    options: CallOptions = {},
  ): Paginator<Part, number> {
    return parts(this.#context.raw, params, options);
  }

  /** Finishes the file from the SHA-1s of its parts 1..N, in order. */
  finish(
    params: { readonly fileId: string; readonly partSha1Array: readonly string[] },
    options: CallOptions = {},
  ): APIPromise<FileVersion> {
    const answer = this.#context.raw.finishLargeFile(params, options);
    return answer.map((file) => {
      this.#context.pool.drop(`file:${params.fileId}`);
      return file;
    });
  }

  /** Cancels the file; B2 deletes its parts. */
  cancel(fileId: string, options: CallOptions = {}): APIPromise<CancelledLargeFile> {
    return this.#context.raw.cancelLargeFile({ fileId }, options).map((cancelled) => {
      this.#context.pool.drop(`file:${fileId}`);
      return cancelled;
    });
  }

  /** Unfinished large files of a bucket, oldest first. */
  listUnfinished(
    params: BucketRef & PageOptions & { readonly namePrefix?: string | undefined },
    options: CallOptions = {},
  ): Paginator<FileVersion, string | undefined> {
    const bucketId = () => bucketIdOf(this.#context, params, options);
    return unfinishedLargeFiles(this.#context.raw, { ...params, bucketId }, options);
  }
}

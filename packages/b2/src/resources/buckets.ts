/**
 * `b2.buckets`: list, get, create, update, delete. Object Lock (`fileLockEnabled`, `defaultRetention`) and
 * default encryption (`defaultServerSideEncryption`) are bucket settings.
 *
 * @module
 */
import { APIPromise, type CallOptions, Paginator } from '@mediaferry/core';
import type { Bucket } from '../models.js';
import type { CreateBucketParams, ListBucketsParams, UpdateBucketParams } from '../raw/params.js';
import { findBucket, type ResourceContext } from './context.js';

/** `b2.buckets`. */
export class Buckets {
  readonly #context: ResourceContext;

  /** @internal */
  constructor(context: ResourceContext) {
    this.#context = context;
  }

  /** The buckets of the account (B2 answers them in one page, sorted by name), optionally filtered. */
  list(params: ListBucketsParams = {}, options: CallOptions = {}): Paginator<Bucket, undefined> {
    return new Paginator<Bucket, undefined>(
      undefined,
      async (_cursor, signal) => {
        const page = await this.#context.raw.listBuckets(params, { ...options, signal });
        return { items: page.buckets, next: null, raw: page };
      },
      { signal: options.signal },
    );
  }

  /** One bucket by name or id; `NoSuchBucketError` (a `NotFoundError`) when there is none. */
  get(
    ref: { readonly bucketName: string } | { readonly bucketId: string },
    options: CallOptions = {},
  ): APIPromise<Bucket> {
    return new APIPromise(findBucket(this.#context, ref, options));
  }

  /** Creates a bucket (`fileLockEnabled` turns Object Lock on for good). */
  create(params: CreateBucketParams, options: CallOptions = {}): APIPromise<Bucket> {
    return this.#context.raw.createBucket(params, options).map((bucket) => {
      this.#context.bucketIds.set(bucket.bucketName, bucket.bucketId);
      return bucket;
    });
  }

  /** Changes the given settings (each replaces the old value); `ifRevisionIs` guards against a lost update. */
  update(params: UpdateBucketParams, options: CallOptions = {}): APIPromise<Bucket> {
    return this.#context.raw.updateBucket(params, options);
  }

  /** Deletes an empty bucket; answers it as it was. */
  delete(bucketId: string, options: CallOptions = {}): APIPromise<Bucket> {
    return this.#context.raw.deleteBucket({ bucketId }, options).map((bucket) => {
      this.#context.bucketIds.delete(bucket.bucketName);
      return bucket;
    });
  }
}

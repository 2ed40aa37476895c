/**
 * What the resources share: the transfer manager's context, bucket names resolved to ids (cached per
 * client), and transfers bound to the client's lifetime.
 *
 * @module
 */
import {
  anySignal,
  type CallOptions,
  InvalidInputError,
  type ProgressListener,
  Transfer,
  type TransferContext,
  type WithResponse,
} from '@mediaferry/core';
import { checkId } from '../checks.js';
import { NoSuchBucketError } from '../errors.js';
import type { Bucket } from '../models.js';
import type { ManagerContext } from '../transfer/context.js';

/** A bucket by id, or by name (looked up once per client). */
export type BucketRef = { readonly bucketId: string } | { readonly bucketName: string };

export interface ResourceContext extends ManagerContext {
  /** Bucket ids by name, shared by every client made with `withOptions`. */
  readonly bucketIds: Map<string, string>;
}

/** The bucket id of a reference: as given, or looked up by name (`b2_list_buckets`), then remembered. */
export async function bucketIdOf(
  context: ResourceContext,
  ref: BucketRef,
  options: CallOptions,
): Promise<string> {
  if (typeof ref !== 'object' || ref === null)
    throw new InvalidInputError('bucketId', 'give bucketId or bucketName');
  if ('bucketId' in ref && ref.bucketId !== undefined) {
    checkId(ref.bucketId, 'bucketId');
    return ref.bucketId;
  }
  if (!('bucketName' in ref) || typeof ref.bucketName !== 'string' || ref.bucketName === '')
    throw new InvalidInputError('bucketId', 'give bucketId or bucketName');
  return (
    context.bucketIds.get(ref.bucketName) ??
    (await findBucket(context, { bucketName: ref.bucketName }, options)).data.bucketId
  );
}

/** One bucket by name or id (`b2_list_buckets` filtered); `NoSuchBucketError`, a 404, when there is none. */
export async function findBucket(
  context: ResourceContext,
  ref: { readonly bucketName: string } | { readonly bucketId: string },
  options: CallOptions,
): Promise<WithResponse<Bucket>> {
  const query = 'bucketId' in ref ? { bucketId: ref.bucketId } : { bucketName: ref.bucketName };
  const { data, response, requestId } = await context.raw.listBuckets(query, options).withResponse();
  const bucket = data.buckets.find((b) =>
    'bucketId' in ref ? b.bucketId === ref.bucketId : b.bucketName === ref.bucketName,
  );
  if (!bucket)
    throw new NoSuchBucketError({
      service: 'b2',
      status: 404,
      code: 'not_found',
      message: `no bucket ${'bucketId' in ref ? ref.bucketId : ref.bucketName} in this account`,
      headers: response.headers,
      requestId,
      request: { method: 'POST', url: response.url, endpoint: 'b2_list_buckets' },
    });
  context.bucketIds.set(bucket.bucketName, bucket.bucketId);
  return { data: bucket, response, requestId };
}

/** The parameters without their bucket reference (replaced by the resolved `bucketId`). */
export function withoutBucket<T extends BucketRef>(params: T): Omit<T, 'bucketId' | 'bucketName'> {
  const {
    bucketId: _id,
    bucketName: _name,
    ...rest
  } = params as T & { bucketId?: unknown; bucketName?: unknown };
  return rest;
}

/** A transfer that also stops when the client is closed. */
export function startTransfer<R>(
  context: ResourceContext,
  work: (transfer: TransferContext) => Promise<R>,
  options: CallOptions,
  onProgress: ProgressListener | undefined,
): Transfer<R> {
  return new Transfer(work, { signal: anySignal(context.lifetime, options.signal), onProgress });
}

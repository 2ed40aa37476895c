/**
 * The raw account-wide endpoints: authorization, buckets and application keys.
 *
 * @module
 */
import { type APIPromise, basicAuthorization, type CallOptions, InvalidInputError } from '@mediaferry/core';
import { checkCapabilities, checkDuration, checkId, checkKeyName, checkPageSize } from '../checks.js';
import { checkBucketEncryption, encryptionJson } from '../encryption.js';
import { bucketRetentionJson, checkBucketRetention } from '../file-lock.js';
import {
  type ApplicationKey,
  type Authorization,
  authorizeSchema,
  type Bucket,
  type BucketList,
  bucketSchema,
  type CreatedApplicationKey,
  createdKeySchema,
  type KeyListPage,
  keySchema,
  listBucketsSchema,
  listKeysSchema,
} from '../models.js';
import { checkBucketName, checkFileInfo } from '../names.js';
import { callLimits, RawCalls } from './call.js';
import type * as P from './params.js';

function checkWritableType(type: string | undefined, required: boolean): void {
  if (type === undefined && !required) return;
  if (type !== 'allPublic' && type !== 'allPrivate')
    throw new InvalidInputError('bucketType', 'must be "allPublic" or "allPrivate"');
}

/** Account-wide endpoints of the raw API. */
export abstract class RawAccountApi extends RawCalls {
  /** `b2_authorize_account`: a new account token (the client's own authorization is separate and cached). */
  authorizeAccount(options: CallOptions = {}): APIPromise<Authorization> {
    const { http, apiVersion, credentials } = this.context;
    return http.call({
      ...callLimits(options),
      path: `${http.baseUrl}/b2api/${apiVersion}/b2_authorize_account`,
      endpoint: 'b2_authorize_account',
      auth: false,
      headers: {
        ...options.headers,
        authorization: basicAuthorization(credentials.keyId, credentials.applicationKey),
      },
      schema: authorizeSchema,
    });
  }

  /** `b2_create_bucket`. */
  createBucket(params: P.CreateBucketParams, options: CallOptions = {}): APIPromise<Bucket> {
    const { defaultServerSideEncryption: sse, ...rest } = params;
    const body = () => ({ ...rest, defaultServerSideEncryption: encryptionJson(sse) });
    const check = () => {
      checkBucketName(params.bucketName);
      checkWritableType(params.bucketType, true);
      checkFileInfo(params.bucketInfo, 'bucketInfo');
      checkBucketEncryption(sse, 'defaultServerSideEncryption');
    };
    return this.json('b2_create_bucket', body, bucketSchema, options, check, true);
  }

  /** `b2_list_buckets`. */
  listBuckets(params: P.ListBucketsParams = {}, options: CallOptions = {}): APIPromise<BucketList> {
    return this.json('b2_list_buckets', { ...params }, listBucketsSchema, options, () => {}, true);
  }

  /** `b2_update_bucket`. */
  updateBucket(params: P.UpdateBucketParams, options: CallOptions = {}): APIPromise<Bucket> {
    const { defaultServerSideEncryption: sse, defaultRetention, ...rest } = params;
    const body = () => ({
      ...rest,
      defaultServerSideEncryption: encryptionJson(sse),
      defaultRetention: bucketRetentionJson(defaultRetention),
    });
    const check = () => {
      checkId(params.bucketId, 'bucketId');
      checkWritableType(params.bucketType, false);
      checkFileInfo(params.bucketInfo, 'bucketInfo');
      checkBucketEncryption(sse, 'defaultServerSideEncryption');
      checkBucketRetention(defaultRetention);
      if (params.fileLockEnabled !== undefined && params.fileLockEnabled !== true)
        throw new InvalidInputError('fileLockEnabled', 'can only be turned on (true)');
      if (params.ifRevisionIs !== undefined && !Number.isSafeInteger(params.ifRevisionIs))
        throw new InvalidInputError('ifRevisionIs', 'must be a whole number');
    };
    return this.json('b2_update_bucket', body, bucketSchema, options, check, true);
  }

  /** `b2_delete_bucket`. */
  deleteBucket(params: { readonly bucketId: string }, options: CallOptions = {}): APIPromise<Bucket> {
    const check = () => checkId(params.bucketId, 'bucketId');
    return this.json('b2_delete_bucket', { bucketId: params.bucketId }, bucketSchema, options, check, true);
  }

  /** `b2_create_key`: the answer holds the secret, once. */
  createKey(params: P.CreateKeyParams, options: CallOptions = {}): APIPromise<CreatedApplicationKey> {
    const check = () => {
      checkCapabilities(params.capabilities);
      checkKeyName(params.keyName);
      checkDuration(params.validDurationInSeconds, 'validDurationInSeconds', 86_400_000);
      if (params.namePrefix !== undefined && params.bucketId === undefined && params.bucketIds === undefined)
        throw new InvalidInputError('namePrefix', 'requires bucketId (or bucketIds)');
    };
    return this.json('b2_create_key', { ...params }, createdKeySchema, options, check, true);
  }

  /** `b2_list_keys`: one page. */
  listKeys(params: P.ListKeysParams = {}, options: CallOptions = {}): APIPromise<KeyListPage> {
    const check = () => checkPageSize(params.maxKeyCount, 10_000, 'maxKeyCount');
    return this.json('b2_list_keys', { ...params }, listKeysSchema, options, check, true);
  }

  /** `b2_delete_key`. */
  deleteKey(
    params: { readonly applicationKeyId: string },
    options: CallOptions = {},
  ): APIPromise<ApplicationKey> {
    const check = () => checkId(params.applicationKeyId, 'applicationKeyId');
    return this.json(
      'b2_delete_key',
      { applicationKeyId: params.applicationKeyId },
      keySchema,
      options,
      check,
    );
  }
}

/** The B2 object shapes (spec §3.4), as the key that reads them may see them. */
import { keyCan } from './auth.js';
import { NO_SSE } from './encryption.js';
import { bucketLockJson, fileLockJson } from './file-lock.js';
import type { B2Bucket, B2FileVersion, B2Key, B2Part, B2State } from './model.js';

export function bucketJson(
  state: B2State,
  bucket: B2Bucket,
  key: B2Key | undefined,
): Record<string, unknown> {
  return {
    accountId: state.accountId,
    bucketId: bucket.bucketId,
    bucketInfo: bucket.bucketInfo,
    bucketName: bucket.bucketName,
    bucketType: bucket.bucketType,
    corsRules: bucket.corsRules,
    defaultServerSideEncryption: keyCan(key, 'readBucketEncryption')
      ? { isClientAuthorizedToRead: true, value: bucket.defaultServerSideEncryption }
      : { isClientAuthorizedToRead: false, value: null },
    fileLockConfiguration: bucketLockJson(bucket, key),
    lifecycleRules: bucket.lifecycleRules,
    options: ['s3'],
    revision: bucket.revision,
  };
}

export function fileJson(
  state: B2State,
  file: B2FileVersion,
  key: B2Key | undefined,
  action: string = file.action,
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    accountId: state.accountId,
    action,
    bucketId: file.bucketId,
    contentLength: file.contentLength,
    contentMd5: file.contentMd5,
    contentSha1: file.contentSha1,
    contentType: file.contentType,
    fileId: file.fileId,
    fileInfo: file.fileInfo,
    fileName: file.fileName,
    uploadTimestamp: file.uploadTimestamp,
  };
  // The recorded hide marker carries no retention, legal hold or encryption blocks.
  if (file.action === 'hide') return base;
  // `serverSideEncryption` is `{algorithm, mode}` only: an SSE-C key (or its MD5) never appears in JSON.
  const { algorithm, mode } = file.serverSideEncryption ?? NO_SSE;
  return { ...base, ...fileLockJson(file, key), serverSideEncryption: { algorithm, mode } };
}

export function folderJson(state: B2State, bucketId: string, fileName: string): Record<string, unknown> {
  return {
    accountId: state.accountId,
    action: 'folder',
    bucketId,
    contentLength: 0,
    contentMd5: null,
    contentSha1: null,
    contentType: null,
    fileId: null,
    fileInfo: {},
    fileName,
    uploadTimestamp: 0,
  };
}

export function partJson(fileId: string, part: B2Part): Record<string, unknown> {
  const { algorithm, mode } = part.serverSideEncryption ?? NO_SSE;
  return {
    contentLength: part.contentLength,
    contentMd5: part.contentMd5,
    contentSha1: part.contentSha1,
    fileId,
    partNumber: part.partNumber,
    serverSideEncryption: { algorithm, mode },
    uploadTimestamp: part.uploadTimestamp,
  };
}

/**
 * Parameters of the native endpoints, named as B2 names them. Encryption and Object Lock settings take the
 * typed forms of `encryption.ts` and `file-lock.ts`; dates are `Date` or epoch milliseconds.
 *
 * @module
 */
import type { BodySource, ProgressListener } from '@mediaferry/core';
import type { ByteRange } from '../checks.js';
import type { BucketEncryption, CustomerKey, ServerSideEncryption } from '../encryption.js';
import type { BucketRetention, LegalHold, Retention, RetentionUpdate } from '../file-lock.js';

/** The bucket types a caller may set. */
export type WritableBucketType = 'allPublic' | 'allPrivate';

/** `b2_create_bucket`. */
export interface CreateBucketParams {
  readonly bucketName: string;
  readonly bucketType: WritableBucketType;
  readonly bucketInfo?: Readonly<Record<string, string>> | undefined;
  readonly corsRules?: readonly unknown[] | undefined;
  readonly lifecycleRules?: readonly unknown[] | undefined;
  /** Turns on Object Lock for the bucket (it can never be turned off). */
  readonly fileLockEnabled?: boolean | undefined;
  readonly defaultServerSideEncryption?: BucketEncryption | undefined;
}

/** `b2_list_buckets` filters. */
export interface ListBucketsParams {
  readonly bucketId?: string | undefined;
  readonly bucketName?: string | undefined;
  readonly bucketTypes?: readonly string[] | undefined;
}

/** `b2_update_bucket`: each field given replaces the old value. */
export interface UpdateBucketParams {
  readonly bucketId: string;
  readonly bucketType?: WritableBucketType | undefined;
  readonly bucketInfo?: Readonly<Record<string, string>> | undefined;
  readonly corsRules?: readonly unknown[] | undefined;
  readonly lifecycleRules?: readonly unknown[] | undefined;
  /** Only `true`: Object Lock can be turned on, never off. */
  readonly fileLockEnabled?: true | undefined;
  readonly defaultRetention?: BucketRetention | undefined;
  readonly defaultServerSideEncryption?: BucketEncryption | undefined;
  /** The update applies only if the bucket is still at this revision (409 otherwise). */
  readonly ifRevisionIs?: number | undefined;
}

/** `b2_list_file_names`. */
export interface ListFileNamesParams {
  readonly bucketId: string;
  readonly startFileName?: string | undefined;
  readonly maxFileCount?: number | undefined;
  readonly prefix?: string | undefined;
  readonly delimiter?: string | undefined;
}

/** `b2_list_file_versions`. */
export interface ListFileVersionsParams extends ListFileNamesParams {
  /** Needs `startFileName`. */
  readonly startFileId?: string | undefined;
}

/** `b2_delete_file_version`. */
export interface DeleteFileVersionParams {
  readonly fileName: string;
  readonly fileId: string;
  /** Deletes a version under governance retention (needs the `bypassGovernance` capability). */
  readonly bypassGovernance?: boolean | undefined;
}

/** `b2_update_file_retention`. */
export interface UpdateFileRetentionParams {
  readonly fileName: string;
  readonly fileId: string;
  readonly fileRetention: RetentionUpdate;
  /** Needed to shorten or remove a governance retention. */
  readonly bypassGovernance?: boolean | undefined;
}

/** `b2_update_file_legal_hold`. */
export interface UpdateFileLegalHoldParams {
  readonly fileName: string;
  readonly fileId: string;
  readonly legalHold: LegalHold;
}

/** Response header overrides of a download (they need a token, even on a public bucket). */
export interface DownloadOverrides {
  readonly b2ContentDisposition?: string | undefined;
  readonly b2ContentLanguage?: string | undefined;
  readonly b2Expires?: string | undefined;
  readonly b2CacheControl?: string | undefined;
  readonly b2ContentEncoding?: string | undefined;
  readonly b2ContentType?: string | undefined;
}

export interface GetDownloadAuthorizationParams extends DownloadOverrides {
  readonly bucketId: string;
  readonly fileNamePrefix: string;
  /** 1-604800 (one week). */
  readonly validDurationInSeconds: number;
}

/** Metadata and settings of a new file version (small upload, large file start, copy with REPLACE). */
export interface NewFileSettings {
  readonly fileRetention?: Retention | undefined;
  readonly legalHold?: LegalHold | undefined;
  readonly serverSideEncryption?: ServerSideEncryption | undefined;
}

export interface UploadFileParams extends NewFileSettings {
  /** From `b2_get_upload_url`. */
  readonly uploadUrl: string;
  readonly authorizationToken: string;
  readonly fileName: string;
  /** Default `b2/x-auto` (B2 guesses from the extension). */
  readonly contentType?: string | undefined;
  /** 40 hex digits, `hex_digits_at_end` (the body ends with them) or `do_not_verify`. */
  readonly contentSha1: string;
  /** `X-Bz-Info-*` (at most 10). */
  readonly fileInfo?: Readonly<Record<string, string>> | undefined;
  /** The bytes, exactly `contentLength` of them (40 more with `hex_digits_at_end`). */
  readonly body: BodySource;
  readonly contentLength: number;
  readonly onProgress?: ProgressListener | undefined;
}

/** `b2_upload_part` to a part URL. */
export interface RawUploadPartParams {
  /** From `b2_get_upload_part_url`. */
  readonly uploadUrl: string;
  readonly authorizationToken: string;
  readonly partNumber: number;
  readonly contentSha1: string;
  readonly body: BodySource;
  readonly contentLength: number;
  /** The key of an SSE-C large file: every part repeats it. */
  readonly serverSideEncryption?: CustomerKey | undefined;
  readonly onProgress?: ProgressListener | undefined;
}

export interface StartLargeFileParams extends NewFileSettings {
  readonly bucketId: string;
  readonly fileName: string;
  /** Default `b2/x-auto`. */
  readonly contentType?: string | undefined;
  readonly fileInfo?: Readonly<Record<string, string>> | undefined;
}

/** `b2_list_parts`. */
export interface ListPartsParams {
  readonly fileId: string;
  readonly startPartNumber?: number | undefined;
  readonly maxPartCount?: number | undefined;
}

/** `b2_list_unfinished_large_files`. */
export interface ListUnfinishedLargeFilesParams {
  readonly bucketId: string;
  readonly namePrefix?: string | undefined;
  readonly startFileId?: string | undefined;
  readonly maxFileCount?: number | undefined;
}

export interface CopyFileParams extends NewFileSettings {
  readonly sourceFileId: string;
  readonly fileName: string;
  readonly destinationBucketId?: string | undefined;
  readonly range?: ByteRange | undefined;
  /** With `fileInfo`, replaces the source's metadata (`metadataDirective: REPLACE`); else it is copied. */
  readonly contentType?: string | undefined;
  readonly fileInfo?: Readonly<Record<string, string>> | undefined;
  /** The key of an SSE-C source. */
  readonly sourceServerSideEncryption?: CustomerKey | undefined;
}

/** `b2_copy_part`. */
export interface CopyPartParams {
  readonly sourceFileId: string;
  readonly largeFileId: string;
  readonly partNumber: number;
  readonly range?: ByteRange | undefined;
  readonly sourceServerSideEncryption?: CustomerKey | undefined;
  /** The key of an SSE-C large file. */
  readonly destinationServerSideEncryption?: CustomerKey | undefined;
}

/** `b2_create_key`. */
export interface CreateKeyParams {
  readonly capabilities: readonly string[];
  readonly keyName: string;
  /** 1-86400000 seconds (under 1000 days). */
  readonly validDurationInSeconds?: number | undefined;
  /** Restricts the key to one bucket (v2/v3). */
  readonly bucketId?: string | undefined;
  /** Restricts the key to several buckets (v4). */
  readonly bucketIds?: readonly string[] | undefined;
  /** Needs a bucket restriction. */
  readonly namePrefix?: string | undefined;
}

/** `b2_list_keys`. */
export interface ListKeysParams {
  readonly maxKeyCount?: number | undefined;
  readonly startApplicationKeyId?: string | undefined;
}

/** A download: a range, response header overrides, the key of an SSE-C file, HEAD for headers only. */
export interface RawDownloadParams extends DownloadOverrides {
  readonly range?: ByteRange | undefined;
  /** With `range`: served only if the file still has this validator (else the whole file). */
  readonly ifRange?: string | undefined;
  readonly serverSideEncryption?: CustomerKey | undefined;
  /** `HEAD`: the headers only. Default `GET`. */
  readonly method?: 'GET' | 'HEAD' | undefined;
  readonly onProgress?: ProgressListener | undefined;
}

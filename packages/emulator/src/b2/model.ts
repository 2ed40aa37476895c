/** The B2 emulator's state (spec b2.md §3.4 shapes), plain JSON so it persists as is. */

export const ALL_CAPABILITIES = [
  'listKeys',
  'writeKeys',
  'deleteKeys',
  'listAllBucketNames',
  'listBuckets',
  'writeBuckets',
  'deleteBuckets',
  'readBuckets',
  'listFiles',
  'readFiles',
  'shareFiles',
  'writeFiles',
  'deleteFiles',
  'readBucketEncryption',
  'writeBucketEncryption',
  'bypassGovernance',
  'readBucketRetentions',
  'writeBucketRetentions',
  'readFileRetentions',
  'writeFileRetentions',
  'readFileLegalHolds',
  'writeFileLegalHolds',
] as const;

/** Capabilities a bucket-restricted key may carry (§3.3.9). */
export const BUCKET_CAPABILITIES = new Set([
  'listBuckets',
  'listAllBucketNames',
  'readBuckets',
  'readBucketEncryption',
  'writeBucketEncryption',
  'readBucketRetentions',
  'writeBucketRetentions',
  'listFiles',
  'readFiles',
  'shareFiles',
  'writeFiles',
  'deleteFiles',
  'readFileRetentions',
  'writeFileRetentions',
  'readFileLegalHolds',
  'writeFileLegalHolds',
  'bypassGovernance',
]);

/** An application key: its secret, capabilities and restrictions (`master` for the account's own key). */
export interface B2Key {
  applicationKeyId: string;
  applicationKey: string;
  keyName: string;
  capabilities: string[];
  bucketIds: string[] | null;
  namePrefix: string | null;
  expirationTimestamp: number | null;
  master: boolean;
}

/** What B2 shows of a file's or a bucket's encryption: `{algorithm: null, mode: null}` when there is none. */
export interface B2Encryption {
  algorithm: 'AES256' | null;
  mode: 'SSE-B2' | 'SSE-C' | null;
}

/** An Object Lock retention mode. */
export type RetentionMode = 'governance' | 'compliance';

/** A file's Object Lock retention; `mode: null` when it has none. */
export interface B2FileRetention {
  mode: RetentionMode | null;
  retainUntilTimestamp: number | null;
}

/** A bucket's default retention, applied to every new file version that asks for none. */
export interface B2BucketRetention {
  mode: RetentionMode | null;
  period: { duration: number; unit: 'days' | 'years' } | null;
}

/** A bucket as the emulator keeps it (the fields B2 returns for it, plus its revision). */
export interface B2Bucket {
  bucketId: string;
  bucketName: string;
  bucketType: string;
  bucketInfo: Record<string, string>;
  corsRules: unknown[];
  lifecycleRules: unknown[];
  defaultServerSideEncryption: B2Encryption;
  fileLockEnabled: boolean;
  /** Absent in states saved before File Lock was emulated: read as no default retention. */
  defaultRetention?: B2BucketRetention;
  revision: number;
}

/** One version of a file: an upload, a hide marker or an unfinished large file. */
export interface B2FileVersion {
  fileId: string;
  bucketId: string;
  fileName: string;
  action: 'upload' | 'hide' | 'start';
  contentLength: number;
  contentSha1: string;
  contentMd5: string | null;
  contentType: string;
  fileInfo: Record<string, string>;
  uploadTimestamp: number;
  /**
   * Upload order within this emulator: every new version (upload, copy, hide, large-file start) takes a higher
   * number, never reused, across restarts and resets. Absent in states saved before it existed (oldest).
   */
  seq?: number;
  /** Absent for hide markers and unfinished large files. */
  blobId: string | null;
  serverSideEncryption: B2Encryption;
  /** SSE-C only: the base64 MD5 of the customer key, which B2 reveals; the key itself is never kept. */
  customerKeyMd5?: string | null;
  /** Object Lock retention (absent: none). */
  fileRetention?: B2FileRetention | null;
  /** Object Lock legal hold (absent: never set). */
  legalHold?: 'on' | 'off' | null;
}

/** One uploaded part of an unfinished large file. */
export interface B2Part {
  partNumber: number;
  contentLength: number;
  contentSha1: string;
  contentMd5: string;
  uploadTimestamp: number;
  blobId: string;
  /** The large file's encryption, as each part reports it (absent in older states: none). */
  serverSideEncryption?: B2Encryption;
}

/** What an issued token may do: the key it came from, frozen at issue time. */
export interface B2Token {
  keyId: string;
  expires: number;
}

/**
 * A token from `b2_get_upload_url` / `b2_get_upload_part_url`, bound to the key that asked for it. Kept in
 * memory, not in {@link B2State} (see `uploads.ts`).
 */
export interface B2UploadToken {
  keyId: string;
  expires: number;
  /** Small-file uploads: the bucket; part uploads: the large file. */
  bucketId?: string;
  largeFileId?: string;
}

/** A token from `b2_get_download_authorization`: a bucket, a name prefix and the response headers it may override. */
export interface B2DownloadAuth {
  bucketId: string;
  fileNamePrefix: string;
  expires: number;
  overrides: Record<string, string>;
}

/** The B2 emulator's state: keys, issued tokens, buckets, file versions and large-file parts. */
export interface B2State {
  accountId: string;
  keys: Record<string, B2Key>;
  tokens: Record<string, B2Token>;
  downloadAuths: Record<string, B2DownloadAuth>;
  buckets: Record<string, B2Bucket>;
  files: Record<string, B2FileVersion>;
  /** Parts of unfinished large files, by file id then part number. */
  parts: Record<string, Record<string, B2Part>>;
}

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

export interface B2Bucket {
  bucketId: string;
  bucketName: string;
  bucketType: string;
  bucketInfo: Record<string, string>;
  corsRules: unknown[];
  lifecycleRules: unknown[];
  defaultServerSideEncryption: { algorithm: string | null; mode: string | null };
  fileLockEnabled: boolean;
  revision: number;
}

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
  /** Absent for hide markers and unfinished large files. */
  blobId: string | null;
  serverSideEncryption: { algorithm: string | null; mode: string | null };
}

export interface B2Part {
  partNumber: number;
  contentLength: number;
  contentSha1: string;
  contentMd5: string;
  uploadTimestamp: number;
  blobId: string;
}

/** What an issued token may do: the key it came from, frozen at issue time. */
export interface B2Token {
  keyId: string;
  expires: number;
}

export interface B2UploadToken {
  keyId: string;
  expires: number;
  /** Small-file uploads: the bucket; part uploads: the large file. */
  bucketId?: string;
  largeFileId?: string;
}

export interface B2DownloadAuth {
  bucketId: string;
  fileNamePrefix: string;
  expires: number;
  overrides: Record<string, string>;
}

export interface B2State {
  accountId: string;
  keys: Record<string, B2Key>;
  tokens: Record<string, B2Token>;
  uploadTokens: Record<string, B2UploadToken>;
  downloadAuths: Record<string, B2DownloadAuth>;
  buckets: Record<string, B2Bucket>;
  files: Record<string, B2FileVersion>;
  /** Parts of unfinished large files, by file id then part number. */
  parts: Record<string, Record<string, B2Part>>;
}

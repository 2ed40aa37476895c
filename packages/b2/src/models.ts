/**
 * B2 wire models (spec §3.4): zod loose objects, timestamps as `Date`, open enums. What B2 returns is kept
 * (unknown fields pass); what a result declares it has is proven, or the call throws
 * `ResponseValidationError`.
 *
 * @module
 */
import { epochMillis, openEnum } from '@mediaferry/core';
import { z } from 'zod';

/** An absolute http(s) URL: where B2 sends the client next. */
const httpUrl = z.url({ protocol: /^https?$/ });
/** A token that will travel in a header: printable ASCII, no spaces. */
const headerToken = z.string().regex(/^[\x21-\x7e]+$/, 'not a usable token');

/** Bucket types B2 names (`bucketType` is an open enum: newer ones pass too). */
export const BUCKET_TYPES = ['allPublic', 'allPrivate', 'restricted', 'snapshot', 'shared'] as const;
/** What a file version is: an unfinished large file, an upload, a hide marker, a folder of a listing, a copy. */
export const FILE_ACTIONS = ['start', 'upload', 'hide', 'folder', 'copy'] as const;
/** Object Lock retention modes. */
export const RETENTION_MODES = ['governance', 'compliance'] as const;
/** Server-side encryption modes. */
export const ENCRYPTION_MODES = ['SSE-B2', 'SSE-C'] as const;

/** A setting B2 shows only to keys allowed to read it (`value` is null otherwise). */
function readable<T extends z.ZodType>(value: T) {
  return z.looseObject({ isClientAuthorizedToRead: z.boolean(), value: value.nullable() });
}

/** The encryption of a stored file or part: `{mode: null}` when none. */
export const encryptionSchema = z.looseObject({
  algorithm: z.string().nullish(),
  mode: openEnum(ENCRYPTION_MODES).nullish(),
});
/** The encryption of a stored file or part. */
export type EncryptionSetting = z.infer<typeof encryptionSchema>;

/** A file's retention: a mode and the time it holds until, or both null. */
export const retentionSchema = z.looseObject({
  mode: openEnum(RETENTION_MODES).nullable(),
  retainUntilTimestamp: epochMillis.nullable(),
});
/** A file's retention as B2 answers it (times as `Date`). */
export type RetentionSetting = z.infer<typeof retentionSchema>;

/** A bucket's default retention: a mode and a period counted from each upload. */
export const bucketRetentionSchema = z.looseObject({
  mode: openEnum(RETENTION_MODES).nullable(),
  period: z
    .looseObject({ duration: z.number().int(), unit: openEnum(['days', 'years'] as const) })
    .nullable(),
});

/** The schema of a bucket (spec §3.4). */
export const bucketSchema = z.looseObject({
  accountId: z.string(),
  bucketId: z.string(),
  bucketName: z.string(),
  bucketType: openEnum(BUCKET_TYPES),
  bucketInfo: z.record(z.string(), z.string()).default({}),
  corsRules: z.array(z.unknown()).default([]),
  lifecycleRules: z.array(z.unknown()).default([]),
  revision: z.number().int(),
  options: z.array(z.string()).default([]),
  /** Absent from older API versions; `value` null when the key may not read it. */
  defaultServerSideEncryption: readable(encryptionSchema).optional(),
  fileLockConfiguration: readable(
    z.looseObject({ defaultRetention: bucketRetentionSchema, isFileLockEnabled: z.boolean() }),
  ).optional(),
});
/** A bucket: name, id, type, info, rules, revision, default encryption, File Lock settings. */
export type Bucket = z.infer<typeof bucketSchema>;

/** The schema of a file version (spec §3.4). */
export const fileVersionSchema = z.looseObject({
  accountId: z.string().nullish(),
  action: openEnum(FILE_ACTIONS),
  bucketId: z.string(),
  contentLength: z.number(),
  contentSha1: z.string().nullable(),
  contentMd5: z.string().nullish(),
  contentType: z.string().nullable(),
  /** Null for a folder entry of a delimited listing. */
  fileId: z.string().nullable(),
  fileInfo: z.record(z.string(), z.string()).default({}),
  fileName: z.string(),
  uploadTimestamp: epochMillis,
  /** Absent on hide markers and folders. */
  serverSideEncryption: encryptionSchema.optional(),
  fileRetention: readable(retentionSchema).optional(),
  legalHold: readable(openEnum(['on', 'off'] as const)).optional(),
});
/** A file version: an upload, a copy, a hide marker, an unfinished large file or a folder entry. */
export type FileVersion = z.infer<typeof fileVersionSchema>;

/** The schema of a part of a large file. */
export const partSchema = z.looseObject({
  fileId: z.string(),
  partNumber: z.number().int(),
  contentLength: z.number(),
  contentSha1: z.string(),
  contentMd5: z.string().nullish(),
  uploadTimestamp: epochMillis,
  serverSideEncryption: encryptionSchema.optional(),
});
/** A part of a large file. */
export type Part = z.infer<typeof partSchema>;

/** The schema of an application key (without its secret). */
export const keySchema = z.looseObject({
  accountId: z.string(),
  applicationKeyId: z.string(),
  keyName: z.string(),
  capabilities: z.array(z.string()),
  bucketId: z.string().nullish(),
  bucketIds: z.array(z.string()).nullish(),
  namePrefix: z.string().nullable(),
  expirationTimestamp: epochMillis.nullable(),
  options: z.array(z.string()).default([]),
});
/** An application key as listed (its secret is never listed). */
export type ApplicationKey = z.infer<typeof keySchema>;

/** `b2_create_key` answers once with the secret: keep it. */
export const createdKeySchema = keySchema.extend({ applicationKey: z.string() });
/** A key just created, with its secret `applicationKey`. */
export type CreatedApplicationKey = z.infer<typeof createdKeySchema>;

/** The schema of a page of file names, versions or unfinished large files. */
export const listFilesSchema = z.looseObject({
  files: z.array(fileVersionSchema),
  nextFileName: z.string().nullable(),
  nextFileId: z.string().nullish(),
});
/** A page of files and the cursor of the next one. */
export type FileListPage = z.infer<typeof listFilesSchema>;
/** The schema of a page of parts. */
export const listPartsSchema = z.looseObject({
  parts: z.array(partSchema),
  nextPartNumber: z.number().nullable(),
});
/** A page of parts and the next part number. */
export type PartListPage = z.infer<typeof listPartsSchema>;
/** The schema of a page of keys. */
export const listKeysSchema = z.looseObject({
  keys: z.array(keySchema),
  nextApplicationKeyId: z.string().nullable(),
});
/** A page of keys and the id the next one starts at. */
export type KeyListPage = z.infer<typeof listKeysSchema>;
/** The schema of `b2_list_buckets`' answer. */
export const listBucketsSchema = z.looseObject({ buckets: z.array(bucketSchema) });
/** The buckets (B2 answers them in one page). */
export type BucketList = z.infer<typeof listBucketsSchema>;

/** Where one upload may go: a URL and its own token (spec §3.7). */
export const uploadUrlSchema = z.looseObject({
  uploadUrl: httpUrl,
  authorizationToken: headerToken,
  bucketId: z.string().optional(),
  fileId: z.string().optional(),
});
/** An upload URL and its token. */
export type UploadUrl = z.infer<typeof uploadUrlSchema>;

/** The schema of `b2_get_download_authorization`' answer. */
export const downloadAuthorizationSchema = z.looseObject({
  bucketId: z.string(),
  fileNamePrefix: z.string(),
  authorizationToken: z.string(),
});
/** A token that lets others download names under a prefix. */
export type DownloadAuthorization = z.infer<typeof downloadAuthorizationSchema>;

/** The schema of `b2_delete_file_version`' answer. */
export const deletedFileSchema = z.looseObject({ fileId: z.string(), fileName: z.string() });
/** The id and name of a deleted version. */
export type DeletedFile = z.infer<typeof deletedFileSchema>;

/** The schema of `b2_cancel_large_file`' answer. */
export const cancelledFileSchema = z.looseObject({
  fileId: z.string(),
  fileName: z.string(),
  bucketId: z.string(),
  accountId: z.string().nullish(),
});
/** A cancelled large file. */
export type CancelledLargeFile = z.infer<typeof cancelledFileSchema>;

/** The schema of `b2_update_file_legal_hold`' answer. */
export const legalHoldResultSchema = z.looseObject({
  fileId: z.string(),
  fileName: z.string(),
  legalHold: openEnum(['on', 'off'] as const).nullable(),
});
/** A version and its legal hold now. */
export type LegalHoldResult = z.infer<typeof legalHoldResultSchema>;

/** The schema of `b2_update_file_retention`' answer. */
export const retentionResultSchema = z.looseObject({
  fileId: z.string(),
  fileName: z.string(),
  fileRetention: retentionSchema,
});
/** A version and its retention now. */
export type RetentionResult = z.infer<typeof retentionResultSchema>;

/** The authorize answer, whatever the API version (v1/v2 flat, v3 `apiInfo.storageApi`, v4 `allowed.buckets`). */
export interface Authorization {
  readonly accountId: string;
  /** The account token. Secret: never log it. */
  readonly token: string;
  readonly apiUrl: string;
  readonly downloadUrl: string;
  readonly recommendedPartSize: number;
  readonly absoluteMinimumPartSize: number;
  readonly capabilities: readonly string[];
  readonly bucketIds: readonly string[] | null;
  readonly namePrefix: string | null;
}

const storage = z.looseObject({
  apiUrl: httpUrl,
  downloadUrl: httpUrl,
  recommendedPartSize: z.number().int().positive(),
  absoluteMinimumPartSize: z.number().int().positive(),
  capabilities: z.array(z.string()).optional(),
  bucketId: z.string().nullish(),
  namePrefix: z.string().nullish(),
  allowed: z
    .looseObject({
      buckets: z.array(z.looseObject({ id: z.string() })).nullish(),
      bucketId: z.string().nullish(),
      capabilities: z.array(z.string()),
      namePrefix: z.string().nullish(),
    })
    .optional(),
});

const account = z.looseObject({ accountId: z.string(), authorizationToken: headerToken });

/** v3/v4 nest the storage API under `apiInfo`; v1/v2 put it at the top level. Either must be complete. */
export const authorizeSchema = z
  .union([
    account.extend({ apiInfo: z.looseObject({ storageApi: storage }) }),
    account.and(storage).transform((flat) => ({ ...flat, apiInfo: { storageApi: flat } })),
  ])
  .transform((raw): Authorization => {
    const api = raw.apiInfo.storageApi;
    const allowed = api.allowed;
    const buckets =
      allowed?.buckets?.map((b) => b.id) ??
      (allowed?.bucketId ? [allowed.bucketId] : api.bucketId ? [api.bucketId] : null);
    return {
      accountId: raw.accountId,
      token: raw.authorizationToken,
      apiUrl: api.apiUrl,
      downloadUrl: api.downloadUrl,
      recommendedPartSize: api.recommendedPartSize,
      absoluteMinimumPartSize: api.absoluteMinimumPartSize,
      capabilities: allowed?.capabilities ?? api.capabilities ?? [],
      bucketIds: buckets,
      namePrefix: allowed?.namePrefix ?? api.namePrefix ?? null,
    };
  });

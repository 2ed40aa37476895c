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

export const BUCKET_TYPES = ['allPublic', 'allPrivate', 'restricted', 'snapshot', 'shared'] as const;
export const FILE_ACTIONS = ['start', 'upload', 'hide', 'folder', 'copy'] as const;
export const RETENTION_MODES = ['governance', 'compliance'] as const;
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
export type EncryptionSetting = z.infer<typeof encryptionSchema>;

/** A file's retention: a mode and the time it holds until, or both null. */
export const retentionSchema = z.looseObject({
  mode: openEnum(RETENTION_MODES).nullable(),
  retainUntilTimestamp: epochMillis.nullable(),
});
export type RetentionSetting = z.infer<typeof retentionSchema>;

/** A bucket's default retention: a mode and a period counted from each upload. */
export const bucketRetentionSchema = z.looseObject({
  mode: openEnum(RETENTION_MODES).nullable(),
  period: z
    .looseObject({ duration: z.number().int(), unit: openEnum(['days', 'years'] as const) })
    .nullable(),
});

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
export type Bucket = z.infer<typeof bucketSchema>;

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
export type FileVersion = z.infer<typeof fileVersionSchema>;

export const partSchema = z.looseObject({
  fileId: z.string(),
  partNumber: z.number().int(),
  contentLength: z.number(),
  contentSha1: z.string(),
  contentMd5: z.string().nullish(),
  uploadTimestamp: epochMillis,
  serverSideEncryption: encryptionSchema.optional(),
});
export type Part = z.infer<typeof partSchema>;

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
export type ApplicationKey = z.infer<typeof keySchema>;

/** `b2_create_key` answers once with the secret: keep it. */
export const createdKeySchema = keySchema.extend({ applicationKey: z.string() });
export type CreatedApplicationKey = z.infer<typeof createdKeySchema>;

export const listFilesSchema = z.looseObject({
  files: z.array(fileVersionSchema),
  nextFileName: z.string().nullable(),
  nextFileId: z.string().nullish(),
});
export type FileListPage = z.infer<typeof listFilesSchema>;
export const listPartsSchema = z.looseObject({
  parts: z.array(partSchema),
  nextPartNumber: z.number().nullable(),
});
export type PartListPage = z.infer<typeof listPartsSchema>;
export const listKeysSchema = z.looseObject({
  keys: z.array(keySchema),
  nextApplicationKeyId: z.string().nullable(),
});
export type KeyListPage = z.infer<typeof listKeysSchema>;
export const listBucketsSchema = z.looseObject({ buckets: z.array(bucketSchema) });
export type BucketList = z.infer<typeof listBucketsSchema>;

/** Where one upload may go: a URL and its own token (spec §3.7). */
export const uploadUrlSchema = z.looseObject({
  uploadUrl: httpUrl,
  authorizationToken: headerToken,
  bucketId: z.string().optional(),
  fileId: z.string().optional(),
});
export type UploadUrl = z.infer<typeof uploadUrlSchema>;

export const downloadAuthorizationSchema = z.looseObject({
  bucketId: z.string(),
  fileNamePrefix: z.string(),
  authorizationToken: z.string(),
});
export type DownloadAuthorization = z.infer<typeof downloadAuthorizationSchema>;

export const deletedFileSchema = z.looseObject({ fileId: z.string(), fileName: z.string() });
export type DeletedFile = z.infer<typeof deletedFileSchema>;

export const cancelledFileSchema = z.looseObject({
  fileId: z.string(),
  fileName: z.string(),
  bucketId: z.string(),
  accountId: z.string().nullish(),
});
export type CancelledLargeFile = z.infer<typeof cancelledFileSchema>;

export const legalHoldResultSchema = z.looseObject({
  fileId: z.string(),
  fileName: z.string(),
  legalHold: openEnum(['on', 'off'] as const).nullable(),
});
export type LegalHoldResult = z.infer<typeof legalHoldResultSchema>;

export const retentionResultSchema = z.looseObject({
  fileId: z.string(),
  fileName: z.string(),
  fileRetention: retentionSchema,
});
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

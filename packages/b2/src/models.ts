/** B2 wire models (spec §3.4): zod loose objects, timestamps as `Date`, open enums. */
import { epochMillis, openEnum } from '@mediaferry/core';
import { z } from 'zod';

/** An absolute http(s) URL: where B2 sends the client next. */
const httpUrl = z.url({ protocol: /^https?$/ });
/** A token that will travel in a header: printable ASCII, no spaces. */
const headerToken = z.string().regex(/^[\x21-\x7e]+$/, 'not a usable token');

export const BUCKET_TYPES = ['allPublic', 'allPrivate', 'restricted', 'snapshot', 'shared'] as const;
export const FILE_ACTIONS = ['start', 'upload', 'hide', 'folder', 'copy'] as const;

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
});
export type FileVersion = z.infer<typeof fileVersionSchema>;

export const partSchema = z.looseObject({
  fileId: z.string(),
  partNumber: z.number().int(),
  contentLength: z.number(),
  contentSha1: z.string(),
  contentMd5: z.string().nullish(),
  uploadTimestamp: epochMillis,
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
export const listPartsSchema = z.looseObject({
  parts: z.array(partSchema),
  nextPartNumber: z.number().nullable(),
});
export const listKeysSchema = z.looseObject({
  keys: z.array(keySchema),
  nextApplicationKeyId: z.string().nullable(),
});
export const listBucketsSchema = z.looseObject({ buckets: z.array(bucketSchema) });
export const uploadUrlSchema = z.looseObject({ uploadUrl: httpUrl, authorizationToken: headerToken });
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
});

/** The authorize answer, whatever the API version (v1/v2 flat, v3 `apiInfo.storageApi`, v4 `allowed.buckets`). */
export interface Authorization {
  readonly accountId: string;
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

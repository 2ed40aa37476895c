/**
 * aiob2's models (`aiob2/bucket/models.py`, `file`, `key`, `source_file`): plain classes whose attributes
 * are aiob2's, camelCased, built from the validated answers of the core client.
 *
 * @module
 */
import type {
  ApplicationKey,
  Bucket,
  CancelledLargeFile,
  CreatedApplicationKey,
  DeletedFile,
  DownloadAuthorization,
  FileVersion,
  Part,
  UploadUrl,
} from '../../models.js';

/** aiob2's bucket types. */
export const BucketTypes = { public: 'allPublic', private: 'allPrivate' } as const;
/** `allPublic` or `allPrivate`. */
export type BucketType = (typeof BucketTypes)[keyof typeof BucketTypes];

/** A bucket (aiob2's `BucketModel`). */
export class BucketModel {
  readonly accountId: string;
  readonly bucketId: string;
  readonly bucketName: string;
  /** As B2 says (`allPublic`, `allPrivate`, or a newer type such as `snapshot`). */
  readonly bucketType: string;
  readonly bucketInfo: Readonly<Record<string, string>>;
  readonly corsRules: readonly unknown[];
  readonly lifecycleRules: readonly unknown[];
  readonly revision: number;
  readonly options: readonly string[];

  constructor(data: Bucket) {
    this.accountId = data.accountId;
    this.bucketId = data.bucketId;
    this.bucketName = data.bucketName;
    this.bucketType = data.bucketType;
    this.bucketInfo = data.bucketInfo;
    this.corsRules = data.corsRules;
    this.lifecycleRules = data.lifecycleRules;
    this.revision = data.revision;
    this.options = data.options;
  }
}

/** A file version (aiob2's `FileModel`). */
export class FileModel {
  readonly accountId: string | null;
  readonly action: string;
  readonly bucketId: string;
  readonly contentLength: number;
  readonly contentSha1: string | null;
  readonly contentMd5: string | null;
  readonly contentType: string | null;
  /** Null for a folder entry of a delimited listing. */
  readonly fileId: string | null;
  readonly fileInfo: Readonly<Record<string, string>>;
  readonly fileName: string;
  /** The upload time. */
  readonly timestamp: Date;

  constructor(data: FileVersion) {
    this.accountId = data.accountId ?? null;
    this.action = data.action;
    this.bucketId = data.bucketId;
    this.contentLength = data.contentLength;
    this.contentSha1 = data.contentSha1;
    this.contentMd5 = data.contentMd5 ?? null;
    this.contentType = data.contentType;
    this.fileId = data.fileId;
    this.fileInfo = data.fileInfo;
    this.fileName = data.fileName;
    this.timestamp = data.uploadTimestamp;
  }
}

/** A deleted version (aiob2's `FileDeleteModel`). */
export class FileDeleteModel {
  readonly fileId: string;
  readonly fileName: string;

  constructor(data: DeletedFile) {
    this.fileId = data.fileId;
    this.fileName = data.fileName;
  }
}

/** A part of a large file (aiob2's `PartModel`). */
export class PartModel {
  readonly fileId: string;
  readonly partNumber: number;
  readonly contentLength: number;
  readonly contentSha1: string;
  readonly contentMd5: string | null;
  readonly timestamp: Date;

  constructor(data: Part) {
    this.fileId = data.fileId;
    this.partNumber = data.partNumber;
    this.contentLength = data.contentLength;
    this.contentSha1 = data.contentSha1;
    this.contentMd5 = data.contentMd5 ?? null;
    this.timestamp = data.uploadTimestamp;
  }
}

/** What `parts.upload.cancel` answers. */
export class PartDeleteModel {
  readonly fileId: string;
  readonly accountId: string | null;
  readonly bucketId: string;
  readonly fileName: string;

  constructor(data: CancelledLargeFile) {
    this.fileId = data.fileId;
    this.accountId = data.accountId ?? null;
    this.bucketId = data.bucketId;
    this.fileName = data.fileName;
  }
}

/** An upload URL: of a bucket (`bucketId`) or of a large file's parts (`fileId`). */
export class GetUploadUrlModel {
  readonly bucketId: string | null;
  readonly fileId: string | null;
  readonly uploadUrl: string;
  readonly authorizationToken: string;

  constructor(data: UploadUrl) {
    this.bucketId = data.bucketId ?? null;
    this.fileId = data.fileId ?? null;
    this.uploadUrl = data.uploadUrl;
    this.authorizationToken = data.authorizationToken;
  }
}

/** aiob2's name, typo included; {@link GetDownloadAuthModel} is the same class. */
export class GetDowloadAuthModel {
  readonly bucketId: string;
  readonly fileNamePrefix: string;
  readonly authorizationToken: string;

  constructor(data: DownloadAuthorization) {
    this.bucketId = data.bucketId;
    this.fileNamePrefix = data.fileNamePrefix;
    this.authorizationToken = data.authorizationToken;
  }
}
export { GetDowloadAuthModel as GetDownloadAuthModel };

/** An application key (aiob2's `KeyModel`). */
export class KeyModel {
  readonly keyName: string;
  readonly applicationKeyId: string;
  readonly capabilities: readonly string[];
  readonly accountId: string;
  /** When the key expires, or `false` when it does not. */
  readonly expires: Date | false;
  readonly bucketId: string | null;
  readonly namePrefix: string | null;
  readonly options: readonly string[];
  /** The secret, on the answer of `key.create` only (aiob2 dropped it; B2 never shows it again). */
  readonly applicationKey: string | undefined;

  constructor(data: ApplicationKey | CreatedApplicationKey) {
    this.keyName = data.keyName;
    this.applicationKeyId = data.applicationKeyId;
    this.capabilities = data.capabilities;
    this.accountId = data.accountId;
    this.expires = data.expirationTimestamp ?? false;
    this.bucketId = data.bucketId ?? data.bucketIds?.[0] ?? null;
    this.namePrefix = data.namePrefix;
    this.options = data.options;
    this.applicationKey = typeof data.applicationKey === 'string' ? data.applicationKey : undefined;
  }
}

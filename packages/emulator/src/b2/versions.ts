import type { B2Ctx } from './auth.js';
import type { B2Bucket, B2FileVersion } from './model.js';
import { newFileId } from './wire.js';

/** What differs between file versions; the rest (id, bucket, time, default encryption) is filled in. */
export type VersionFields = Pick<
  B2FileVersion,
  | 'fileName'
  | 'action'
  | 'contentLength'
  | 'contentSha1'
  | 'contentMd5'
  | 'contentType'
  | 'fileInfo'
  | 'blobId'
> &
  Partial<Pick<B2FileVersion, 'serverSideEncryption'>>;

/** Creates and stores a file version of a bucket. */
export function recordVersion(ctx: B2Ctx, bucket: B2Bucket, fields: VersionFields): B2FileVersion {
  const now = ctx.clock.now();
  const file: B2FileVersion = {
    serverSideEncryption: bucket.defaultServerSideEncryption,
    ...fields,
    fileId: newFileId(bucket.bucketId, fields.action === 'start', now, ctx.ids.hex(26)),
    bucketId: bucket.bucketId,
    // File versions on real B2 carry second granularity.
    uploadTimestamp: Math.floor(now / 1000) * 1000,
  };
  ctx.state.files[file.fileId] = file;
  return file;
}

import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail, parseRange } from '../framework/index.js';
import { type B2Ctx, requireAuth } from './auth.js';
import { refuseStored } from './body.js';
import { findBucket } from './buckets.js';
import { checkCustomerKey, encryptionFor, encryptionFromJson } from './encryption.js';
import { admitLock, lockFromJson } from './file-lock.js';
import { fileJson, partJson } from './json.js';
import { fileInfo } from './large-files.js';
import type { B2FileVersion } from './model.js';
import { apiCall } from './routes.js';
import { recordVersion } from './versions.js';
import { b2Json, checkFileName, fields, int, str } from './wire.js';

/** Server-side copies (spec §3.3.7): `b2_copy_file` and `b2_copy_part`. */
export function copyRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  /**
   * The source of a copy, readable by the key; an SSE-C source needs its key in `sourceServerSideEncryption`
   * (b2sdk reads the 403 of a wrong key as `SSECKeyError`).
   */
  const source = (c: EmulatorContext, body: Record<string, unknown>) => {
    const sourceFileId = str(body, 'sourceFileId', true);
    const file = ctx.state.files[sourceFileId];
    if (file?.action !== 'upload' || !file.blobId)
      fail(400, 'file_not_present', `source file not present: ${sourceFileId}`);
    requireAuth(c, ctx, 'readFiles', { bucketId: file.bucketId, name: file.fileName });
    const sourceKey = encryptionFromJson(body.sourceServerSideEncryption, 'sourceServerSideEncryption');
    checkCustomerKey(file, sourceKey?.customerKeyMd5 ?? undefined);
    return file;
  };
  const rangeOf = (file: B2FileVersion, text: string | undefined) => {
    if (text === undefined) return undefined;
    const range = parseRange(text, file.contentLength);
    if (range === 'invalid' || range === undefined)
      fail(416, 'range_not_satisfiable', `invalid range ${text} for a file of ${file.contentLength} bytes`);
    return range;
  };
  /** Copies bytes of a blob range into a new stored blob (real copies are independent objects). */
  const copyBytes = async (file: B2FileVersion, range: { start: number; end: number } | undefined) =>
    ctx.blobs.put(ctx.blobs.read(file.blobId!, range), {
      expectedSize: range ? range.end - range.start + 1 : file.contentLength,
    });

  apiCall(app, ctx, 'b2_copy_file', async (c) => {
    const body = await fields(c);
    const src = source(c, body);
    const bucket = findBucket(ctx, str(body, 'destinationBucketId') ?? src.bucketId);
    const fileName = str(body, 'fileName', true);
    const key = requireAuth(c, ctx, 'writeFiles', { bucketId: bucket.bucketId, name: fileName });
    checkFileName(fileName, ctx.options.rejectBackslash);
    const directive = str(body, 'metadataDirective') ?? 'COPY';
    if (directive !== 'COPY' && directive !== 'REPLACE')
      fail(400, 'bad_request', 'metadataDirective must be COPY or REPLACE');
    if (directive === 'COPY' && (body.contentType !== undefined || body.fileInfo !== undefined)) {
      fail(400, 'bad_request', 'contentType and fileInfo are only allowed with metadataDirective REPLACE');
    }
    if (directive === 'REPLACE' && body.contentType === undefined)
      fail(400, 'bad_request', 'metadataDirective REPLACE requires contentType');
    if (src.contentLength > 5_000_000_000)
      fail(400, 'source_too_large', `Copy source too big: ${src.contentLength}`);
    // The copy is a new version: the destination's encryption (else the bucket default) and lock apply.
    const destination = encryptionFromJson(
      body.destinationServerSideEncryption,
      'destinationServerSideEncryption',
    );
    const encryption = encryptionFor(bucket, destination);
    const lock = admitLock(bucket, key, lockFromJson(body, ctx.clock.now()));
    const range = rangeOf(src, str(body, 'range'));
    // Checked before the bytes are copied: a copy refused after it would leave them behind.
    const contentType = directive === 'REPLACE' ? str(body, 'contentType', true) : src.contentType;
    const info = directive === 'REPLACE' ? fileInfo(body.fileInfo) : { ...src.fileInfo };
    const blob = await copyBytes(src, range);
    if (!ctx.state.buckets[bucket.bucketId])
      await refuseStored(ctx, blob.id, 'bad_bucket_id', `Bucket ${bucket.bucketId} does not exist`);
    const file = recordVersion(ctx, bucket, {
      fileName,
      action: 'upload',
      contentLength: blob.size,
      contentSha1: blob.sha1 ?? 'none',
      contentMd5: blob.md5 ?? null,
      contentType,
      fileInfo: info,
      blobId: blob.id,
      ...encryption,
      ...lock,
    });
    return b2Json(fileJson(ctx.state, file, key, 'copy'));
  });

  apiCall(app, ctx, 'b2_copy_part', async (c) => {
    const body = await fields(c);
    const src = source(c, body);
    const largeFileId = str(body, 'largeFileId', true);
    const large = ctx.state.files[largeFileId];
    if (large?.action !== 'start') fail(400, 'bad_request', `Invalid fileId: ${largeFileId}`);
    requireAuth(c, ctx, 'writeFiles', { bucketId: large.bucketId });
    // A part of an SSE-C large file is encrypted with the large file's key, which the call must repeat.
    const destination = encryptionFromJson(
      body.destinationServerSideEncryption,
      'destinationServerSideEncryption',
    );
    if (large.serverSideEncryption.mode === 'SSE-C')
      checkCustomerKey(large, destination?.customerKeyMd5 ?? undefined);
    const partNumber = int(body, 'partNumber', 0, 1, 10_000);
    const blob = await copyBytes(src, rangeOf(src, str(body, 'range')));
    if (ctx.state.files[largeFileId] !== large || large.action !== 'start')
      await refuseStored(ctx, blob.id, 'bad_request', `Invalid fileId: ${largeFileId}`);
    ctx.state.parts[largeFileId] ??= {};
    const parts = ctx.state.parts[largeFileId];
    const previous = parts[partNumber];
    const part = {
      partNumber,
      contentLength: blob.size,
      contentSha1: blob.sha1 ?? '',
      contentMd5: blob.md5 ?? '',
      uploadTimestamp: ctx.clock.now(),
      blobId: blob.id,
      serverSideEncryption: large.serverSideEncryption,
    };
    parts[partNumber] = part;
    if (previous) await ctx.blobs.delete(previous.blobId);
    return b2Json(partJson(largeFileId, part));
  });
}

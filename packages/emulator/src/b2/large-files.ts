import type { EmulatorApp } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { type B2Ctx, requireAuth } from './auth.js';
import { resolveContentType } from './body.js';
import { findBucket } from './buckets.js';
import { encryptionFor, encryptionFromJson } from './encryption.js';
import { admitLock, lockFromJson } from './file-lock.js';
import { fileJson, partJson } from './json.js';
import type { B2FileVersion } from './model.js';
import { apiCall } from './routes.js';
import { newerFirst, recordVersion } from './versions.js';
import { b2Json, checkFileName, fields, int, str } from './wire.js';

function fileInfo(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(400, 'bad_request', 'fileInfo must be an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 10) fail(400, 'bad_request', 'too many fileInfo entries (max 10)');
  for (const [, v] of entries)
    if (typeof v !== 'string') fail(400, 'bad_request', 'fileInfo values must be strings');
  return Object.fromEntries(entries.map(([k, v]) => [k.toLowerCase(), v as string]));
}

export { fileInfo };

function unfinished(ctx: B2Ctx, fileId: string | undefined): B2FileVersion {
  const file = fileId === undefined ? undefined : ctx.state.files[fileId];
  if (file?.action !== 'start') fail(400, 'bad_request', `Invalid fileId: ${fileId ?? ''}`);
  return file;
}

export function largeFileRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  apiCall(app, ctx, 'b2_start_large_file', async (c) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const fileName = str(body, 'fileName', true);
    const key = requireAuth(c, ctx, 'writeFiles', { bucketId: bucket.bucketId, name: fileName });
    checkFileName(fileName, ctx.options.rejectBackslash);
    const file = recordVersion(ctx, bucket, {
      fileName,
      action: 'start',
      contentLength: 0,
      contentSha1: 'none',
      contentMd5: null,
      contentType: resolveContentType(str(body, 'contentType', true), fileName),
      fileInfo: fileInfo(body.fileInfo),
      blobId: null,
      ...encryptionFor(bucket, encryptionFromJson(body.serverSideEncryption, 'serverSideEncryption')),
      ...admitLock(bucket, key, lockFromJson(body, ctx.clock.now())),
    });
    ctx.state.parts[file.fileId] = {};
    return b2Json(fileJson(ctx.state, file, key));
  });

  apiCall(app, ctx, 'b2_finish_large_file', async (c) => {
    const body = await fields(c);
    const file = unfinished(ctx, str(body, 'fileId', true));
    const key = requireAuth(c, ctx, 'writeFiles', { bucketId: file.bucketId });
    const sha1s = body.partSha1Array;
    if (!Array.isArray(sha1s)) fail(400, 'bad_request', 'partSha1Array is required');
    const parts = ctx.state.parts[file.fileId] ?? {};
    const numbers = Object.keys(parts)
      .map(Number)
      .sort((a, b) => a - b);
    if (numbers.length < 2) fail(400, 'bad_request', 'large files must have at least 2 parts');
    if (numbers.some((n, i) => n !== i + 1))
      fail(400, 'bad_request', `missing part ${numbers.findIndex((n, i) => n !== i + 1) + 1}`);
    if (
      sha1s.length !== numbers.length ||
      numbers.some((n, i) => parts[n]!.contentSha1.replace('unverified:', '') !== sha1s[i])
    ) {
      fail(400, 'bad_request', 'partSha1Array does not match the uploaded parts');
    }
    const ordered = numbers.map((n) => parts[n]!);
    const small = ordered.slice(0, -1).find((p) => p.contentLength < ctx.options.absoluteMinimumPartSize);
    if (small)
      fail(
        400,
        'bad_request',
        `part ${small.partNumber} is smaller than the minimum part size ${ctx.options.absoluteMinimumPartSize}`,
      );
    const blob = ctx.blobs.compose(ordered.map((p) => p.blobId));
    file.action = 'upload';
    file.blobId = blob.id;
    file.contentLength = blob.size;
    delete ctx.state.parts[file.fileId];
    return b2Json(fileJson(ctx.state, file, key));
  });

  apiCall(app, ctx, 'b2_cancel_large_file', async (c) => {
    const body = await fields(c);
    const file = unfinished(ctx, str(body, 'fileId', true));
    requireAuth(c, ctx, 'writeFiles', { bucketId: file.bucketId });
    // Out of the state first: a part that lands meanwhile then finds no large file to join.
    const parts = Object.values(ctx.state.parts[file.fileId] ?? {});
    delete ctx.state.parts[file.fileId];
    delete ctx.state.files[file.fileId];
    for (const part of parts) await ctx.blobs.delete(part.blobId);
    return b2Json({
      accountId: ctx.state.accountId,
      bucketId: file.bucketId,
      fileId: file.fileId,
      fileName: file.fileName,
    });
  });

  apiCall(app, ctx, 'b2_list_parts', async (c) => {
    const body = await fields(c);
    const file = unfinished(ctx, str(body, 'fileId', true));
    requireAuth(c, ctx, 'writeFiles', { bucketId: file.bucketId });
    const start = int(body, 'startPartNumber', 1, 1, 10_000);
    const max = int(body, 'maxPartCount', 100, 1, 1000);
    const parts = Object.values(ctx.state.parts[file.fileId] ?? {})
      .filter((p) => p.partNumber >= start)
      .sort((a, b) => a.partNumber - b.partNumber);
    return b2Json({
      nextPartNumber: parts[max]?.partNumber ?? null,
      parts: parts.slice(0, max).map((p) => partJson(file.fileId, p)),
    });
  });

  apiCall(app, ctx, 'b2_list_unfinished_large_files', async (c) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const prefix = str(body, 'namePrefix') ?? '';
    const key = requireAuth(c, ctx, 'listFiles', { bucketId: bucket.bucketId, name: prefix });
    const startId = str(body, 'startFileId');
    const max = int(body, 'maxFileCount', 100, 1, 100);
    // Oldest first (recorded), in start order even within one second.
    const files = Object.values(ctx.state.files)
      .filter((f) => f.bucketId === bucket.bucketId && f.action === 'start' && f.fileName.startsWith(prefix))
      .sort((a, b) => newerFirst(b, a));
    const from =
      startId === undefined
        ? 0
        : Math.max(
            0,
            files.findIndex((f) => f.fileId === startId),
          );
    const page = files.slice(from, from + max);
    return b2Json({
      files: page.map((f) => fileJson(ctx.state, f, key)),
      nextFileId: files[from + max]?.fileId ?? null,
      nextFileName: null,
    });
  });
}

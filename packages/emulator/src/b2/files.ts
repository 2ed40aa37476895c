import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail, parseRange } from '../framework/index.js';
import { type B2Ctx, requireAuth } from './auth.js';
import { findBucket } from './buckets.js';
import { fileInfo } from './large-files.js';
import type { B2FileVersion } from './model.js';
import { apiCall } from './routes.js';
import { recordVersion } from './versions.js';
import {
  b2Json,
  checkFileName,
  compareNames,
  fields,
  fileJson,
  folderJson,
  int,
  newFileId,
  partJson,
  str,
} from './wire.js';

const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** Versions of a bucket in listing order: name (UTF-8 bytes), then newest first. */
function versionsOf(ctx: B2Ctx, bucketId: string): B2FileVersion[] {
  return Object.values(ctx.state.files)
    .filter((f) => f.bucketId === bucketId)
    .sort(
      (a, b) =>
        compareNames(a.fileName, b.fileName) ||
        b.uploadTimestamp - a.uploadTimestamp ||
        (a.fileId < b.fileId ? 1 : -1),
    );
}

/** The newest version of a name, if it is a live upload (what listing names and download by name see). */
export function liveVersion(ctx: B2Ctx, bucketId: string, fileName: string): B2FileVersion | undefined {
  const newest = versionsOf(ctx, bucketId).find((f) => f.fileName === fileName && f.action !== 'start');
  return newest?.action === 'upload' ? newest : undefined;
}

/** Collapses names under `prefix` that contain `delimiter` after it into one folder entry. */
function folderOf(name: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = name.indexOf(delimiter, prefix.length);
  return at < 0 ? undefined : name.slice(0, at + delimiter.length);
}

export function fileRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  const list = (all: boolean) => async (c: EmulatorContext) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const prefix = str(body, 'prefix') ?? '';
    requireAuth(c, ctx, 'listFiles', { bucketId: bucket.bucketId, name: prefix });
    const delimiter = str(body, 'delimiter');
    const startName = str(body, 'startFileName');
    const startId = str(body, 'startFileId');
    if (startId !== undefined && startName === undefined)
      fail(400, 'bad_request', 'startFileId requires startFileName');
    const requested = int(body, 'maxFileCount', 100, 0, 10_000);
    const max = requested === 0 ? 100 : requested;
    let candidates = versionsOf(ctx, bucket.bucketId).filter((f) => f.fileName.startsWith(prefix));
    if (!all) {
      const seen = new Set<string>();
      candidates = candidates.filter((f) => {
        if (f.action === 'start' || seen.has(f.fileName)) return false;
        seen.add(f.fileName);
        return f.action === 'upload';
      });
    }
    if (startName !== undefined) {
      candidates = candidates.filter((f) => compareNames(f.fileName, startName) >= 0);
      if (startId !== undefined) {
        const at = candidates.findIndex((f) => f.fileName === startName && f.fileId === startId);
        if (at >= 0) candidates = candidates.slice(at);
      }
    }
    const out: Record<string, unknown>[] = [];
    let next: B2FileVersion | undefined;
    let nextFolder: string | undefined;
    const folders = new Set<string>();
    for (const file of candidates) {
      const folder = folderOf(file.fileName, prefix, delimiter);
      if (folder !== undefined && folders.has(folder)) continue;
      if (out.length === max) {
        next = file;
        nextFolder = folder;
        break;
      }
      if (folder !== undefined) {
        folders.add(folder);
        out.push(folderJson(ctx.state, bucket.bucketId, folder));
      } else out.push(fileJson(ctx.state, file));
    }
    // For a folder, the next name is the first one past everything inside it.
    const nextFileName = next
      ? nextFolder !== undefined
        ? `${nextFolder.slice(0, -1)}${String.fromCodePoint(delimiter!.codePointAt(0)! + 1)}`
        : next.fileName
      : null;
    return b2Json(
      all
        ? { files: out, nextFileId: next && nextFolder === undefined ? next.fileId : null, nextFileName }
        : { files: out, nextFileName },
    );
  };
  apiCall(app, ctx, 'b2_list_file_names', list(false));
  apiCall(app, ctx, 'b2_list_file_versions', list(true));

  apiCall(app, ctx, 'b2_get_file_info', async (c) => {
    const body = await fields(c);
    const fileId = str(body, 'fileId', true);
    if (!fileId.startsWith('4_z')) fail(400, 'bad_request', `Invalid fileId: ${fileId}`);
    const file = ctx.state.files[fileId];
    if (!file || file.action === 'start') fail(404, 'not_found', `file not present: ${fileId}`);
    requireAuth(c, ctx, 'readFiles', { bucketId: file.bucketId, name: file.fileName });
    return b2Json(fileJson(ctx.state, file));
  });

  apiCall(app, ctx, 'b2_hide_file', async (c) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const fileName = str(body, 'fileName', true);
    requireAuth(c, ctx, 'writeFiles', { bucketId: bucket.bucketId, name: fileName });
    checkFileName(fileName, ctx.options.rejectBackslash);
    if (ctx.options.strictHide) {
      const newest = versionsOf(ctx, bucket.bucketId).find(
        (f) => f.fileName === fileName && f.action !== 'start',
      );
      if (!newest) fail(400, 'no_such_file', `File not present: ${fileName}`);
      if (newest.action === 'hide') fail(400, 'already_hidden', `File already hidden: ${fileName}`);
    }
    const now = ctx.clock.now();
    const marker: B2FileVersion = {
      fileId: newFileId(bucket.bucketId, false, now, ctx.ids.hex(26)),
      bucketId: bucket.bucketId,
      fileName,
      action: 'hide',
      contentLength: 0,
      contentSha1: EMPTY_SHA1,
      contentMd5: EMPTY_MD5,
      contentType: 'application/x-bz-hide-marker',
      fileInfo: {},
      // A hide marker is always newer than what it hides, even within the same virtual millisecond.
      uploadTimestamp: Math.max(
        now,
        ...Object.values(ctx.state.files)
          .filter((f) => f.fileName === fileName)
          .map((f) => f.uploadTimestamp + 1),
      ),
      blobId: null,
      serverSideEncryption: { algorithm: null, mode: null },
    };
    ctx.state.files[marker.fileId] = marker;
    return b2Json(fileJson(ctx.state, marker));
  });

  apiCall(app, ctx, 'b2_delete_file_version', async (c) => {
    const body = await fields(c);
    const fileId = str(body, 'fileId', true);
    const fileName = str(body, 'fileName', true);
    const file = ctx.state.files[fileId];
    if (!file || file.fileName !== fileName)
      fail(400, 'file_not_present', `File not present: ${fileName} ${fileId}`);
    requireAuth(c, ctx, 'deleteFiles', { bucketId: file.bucketId, name: file.fileName });
    if (file.blobId) await ctx.blobs.delete(file.blobId);
    for (const part of Object.values(ctx.state.parts[fileId] ?? {})) await ctx.blobs.delete(part.blobId);
    delete ctx.state.parts[fileId];
    delete ctx.state.files[fileId];
    return b2Json({ fileId, fileName });
  });

  const source = (sourceFileId: string | undefined) => {
    const file = sourceFileId === undefined ? undefined : ctx.state.files[sourceFileId];
    if (file?.action !== 'upload' || !file.blobId)
      fail(400, 'file_not_present', `source file not present: ${sourceFileId ?? ''}`);
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
    ctx.blobs.put(ctx.blobs.read(file.blobId!, range));

  apiCall(app, ctx, 'b2_copy_file', async (c) => {
    const body = await fields(c);
    const src = source(str(body, 'sourceFileId', true));
    requireAuth(c, ctx, 'readFiles', { bucketId: src.bucketId, name: src.fileName });
    const bucket = findBucket(ctx, str(body, 'destinationBucketId') ?? src.bucketId);
    const fileName = str(body, 'fileName', true);
    requireAuth(c, ctx, 'writeFiles', { bucketId: bucket.bucketId, name: fileName });
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
    const blob = await copyBytes(src, rangeOf(src, str(body, 'range')));
    const file = recordVersion(ctx, bucket, {
      fileName,
      action: 'upload',
      contentLength: blob.size,
      contentSha1: blob.sha1 ?? 'none',
      contentMd5: blob.md5 ?? null,
      contentType: directive === 'REPLACE' ? (str(body, 'contentType', true) as string) : src.contentType,
      fileInfo: directive === 'REPLACE' ? fileInfo(body.fileInfo) : { ...src.fileInfo },
      blobId: blob.id,
    });
    return b2Json(fileJson(ctx.state, file, 'copy'));
  });

  apiCall(app, ctx, 'b2_copy_part', async (c) => {
    const body = await fields(c);
    const src = source(str(body, 'sourceFileId', true));
    requireAuth(c, ctx, 'readFiles', { bucketId: src.bucketId, name: src.fileName });
    const largeFileId = str(body, 'largeFileId', true);
    const large = ctx.state.files[largeFileId];
    if (large?.action !== 'start') fail(400, 'bad_request', `Invalid fileId: ${largeFileId}`);
    requireAuth(c, ctx, 'writeFiles', { bucketId: large.bucketId });
    const partNumber = int(body, 'partNumber', 0, 1, 10_000);
    const blob = await copyBytes(src, rangeOf(src, str(body, 'range')));
    ctx.state.parts[largeFileId] ??= {};
    const parts = ctx.state.parts[largeFileId];
    if (parts[partNumber]) await ctx.blobs.delete(parts[partNumber]!.blobId);
    const part = {
      partNumber,
      contentLength: blob.size,
      contentSha1: blob.sha1 ?? '',
      contentMd5: blob.md5 ?? '',
      uploadTimestamp: ctx.clock.now(),
      blobId: blob.id,
    };
    parts[partNumber] = part;
    return b2Json(partJson(largeFileId, part));
  });
}

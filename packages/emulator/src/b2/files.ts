import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { type B2Ctx, requireAuth } from './auth.js';
import { findBucket } from './buckets.js';
import { assertDeletable } from './file-lock.js';
import { fileJson, folderJson } from './json.js';
import type { B2FileVersion } from './model.js';
import { apiCall } from './routes.js';
import { newestVersion, recordVersion, versionsOf } from './versions.js';
import { b2Json, checkFileName, compareNames, fields, int, str } from './wire.js';

const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

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
    const key = requireAuth(c, ctx, 'listFiles', { bucketId: bucket.bucketId, name: prefix });
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
      } else out.push(fileJson(ctx.state, file, key));
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
    const key = requireAuth(c, ctx, 'readFiles', { bucketId: file.bucketId, name: file.fileName });
    return b2Json(fileJson(ctx.state, file, key));
  });

  apiCall(app, ctx, 'b2_hide_file', async (c) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const fileName = str(body, 'fileName', true);
    const key = requireAuth(c, ctx, 'writeFiles', { bucketId: bucket.bucketId, name: fileName });
    checkFileName(fileName, ctx.options.rejectBackslash);
    if (ctx.options.strictHide) {
      const newest = newestVersion(ctx, bucket.bucketId, fileName);
      if (!newest) fail(400, 'no_such_file', `File not present: ${fileName}`);
      if (newest.action === 'hide') fail(400, 'already_hidden', `File already hidden: ${fileName}`);
    }
    // The marker takes the next place in the upload order, so it hides what came before it even when both
    // carry the same (whole-second) upload timestamp.
    const marker = recordVersion(ctx, bucket, {
      fileName,
      action: 'hide',
      contentLength: 0,
      contentSha1: EMPTY_SHA1,
      contentMd5: EMPTY_MD5,
      contentType: 'application/x-bz-hide-marker',
      fileInfo: {},
      blobId: null,
    });
    return b2Json(fileJson(ctx.state, marker, key));
  });

  apiCall(app, ctx, 'b2_delete_file_version', async (c) => {
    const body = await fields(c);
    const fileId = str(body, 'fileId', true);
    const fileName = str(body, 'fileName', true);
    const file = ctx.state.files[fileId];
    if (!file || file.fileName !== fileName)
      fail(400, 'file_not_present', `File not present: ${fileName} ${fileId}`);
    const key = requireAuth(c, ctx, 'deleteFiles', { bucketId: file.bucketId, name: file.fileName });
    // Deleting an unfinished large file is cancelling it (B2 docs): nothing stored is locked yet.
    if (file.action !== 'start') assertDeletable(file, key, body.bypassGovernance === true, ctx.clock.now());
    // Out of the state first: a part that lands meanwhile then finds no large file to join.
    const parts = Object.values(ctx.state.parts[fileId] ?? {});
    delete ctx.state.parts[fileId];
    delete ctx.state.files[fileId];
    if (file.blobId) await ctx.blobs.delete(file.blobId);
    for (const part of parts) await ctx.blobs.delete(part.blobId);
    return b2Json({ fileId, fileName });
  });
}

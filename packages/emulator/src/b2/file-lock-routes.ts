import type { EmulatorApp } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { authorizeKey, type B2Ctx, requireAuth } from './auth.js';
import { findBucket } from './buckets.js';
import { activeRetention, missingFileLock, retentionValue } from './file-lock.js';
import type { B2FileRetention, B2FileVersion } from './model.js';
import { apiCall } from './routes.js';
import { b2Json, fields, str } from './wire.js';

/** The version a lock update names: id and name must agree, its bucket must have File Lock. */
function lockTarget(ctx: B2Ctx, body: Record<string, unknown>): B2FileVersion {
  const fileId = str(body, 'fileId', true);
  const fileName = str(body, 'fileName', true);
  const file = ctx.state.files[fileId];
  if (!file || file.fileName !== fileName)
    fail(400, 'file_not_present', `File not present: ${fileName} ${fileId}`);
  return file;
}

/** Checked after the capability and the bucket (a hide marker in a plain bucket is `bucket_missing_file_lock`). */
function requireUpload(file: B2FileVersion): void {
  if (file.action !== 'upload')
    fail(
      400,
      'bad_request',
      `${file.fileId} is a ${file.action === 'hide' ? 'hide marker' : 'unfinished large file'}`,
    );
}

/**
 * Whether a retention change weakens the one in force: compliance may only be extended (never shortened,
 * removed or turned into governance); governance may be shortened or removed only with `bypassGovernance`.
 */
function checkRetentionChange(
  current: B2FileRetention | undefined,
  next: B2FileRetention,
  bypass: boolean,
): void {
  if (!current) return;
  const shorter =
    next.mode === null || (next.retainUntilTimestamp ?? 0) < (current.retainUntilTimestamp ?? 0);
  if (current.mode === 'compliance' && (next.mode !== 'compliance' || shorter))
    fail(403, 'access_denied', 'a compliance mode retention can only be extended');
  if (current.mode === 'governance' && shorter && !bypass)
    fail(403, 'access_denied', 'shortening or removing a governance mode retention needs bypassGovernance');
}

export function fileLockRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  apiCall(app, ctx, 'b2_update_file_legal_hold', async (c) => {
    const body = await fields(c);
    const file = lockTarget(ctx, body);
    requireAuth(c, ctx, 'writeFileLegalHolds', { bucketId: file.bucketId, name: file.fileName });
    if (!findBucket(ctx, file.bucketId).fileLockEnabled) missingFileLock();
    requireUpload(file);
    const legalHold = body.legalHold;
    if (legalHold !== 'on' && legalHold !== 'off')
      fail(400, 'bad_request', 'legalHold must be "on" or "off"');
    file.legalHold = legalHold;
    return b2Json({ fileId: file.fileId, fileName: file.fileName, legalHold });
  });

  apiCall(app, ctx, 'b2_update_file_retention', async (c) => {
    const body = await fields(c);
    const file = lockTarget(ctx, body);
    const key = requireAuth(c, ctx, 'writeFileRetentions', { bucketId: file.bucketId, name: file.fileName });
    if (!findBucket(ctx, file.bucketId).fileLockEnabled) missingFileLock();
    requireUpload(file);
    const requested = body.fileRetention;
    if (!requested || typeof requested !== 'object' || Array.isArray(requested))
      fail(400, 'bad_request', 'fileRetention must be an object {mode, retainUntilTimestamp}');
    const { mode, retainUntilTimestamp } = requested as Record<string, unknown>;
    const now = ctx.clock.now();
    const next = retentionValue(mode, retainUntilTimestamp, now, 'fileRetention');
    const bypass = body.bypassGovernance === true;
    if (bypass) authorizeKey(key, 'bypassGovernance');
    checkRetentionChange(activeRetention(file, now), next, bypass);
    file.fileRetention = next;
    return b2Json({ fileId: file.fileId, fileName: file.fileName, fileRetention: next });
  });
}

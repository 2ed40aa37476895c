import type { EmulatorApp } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { authorizeKey, type B2Ctx, requireAuth } from './auth.js';
import { bucketDefaultEncryption } from './encryption.js';
import { bucketRetentionValue, missingFileLock } from './file-lock.js';
import { bucketJson } from './json.js';
import type { B2Bucket, B2Key } from './model.js';
import { apiCall } from './routes.js';
import { b2Json, fields, str } from './wire.js';

const BUCKET_TYPES = new Set(['allPublic', 'allPrivate']);

function checkAccount(ctx: B2Ctx, body: Record<string, unknown>): void {
  if (str(body, 'accountId', true) !== ctx.state.accountId)
    fail(401, 'unauthorized', 'accountId does not match the authorized account');
}

function bucketInfo(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(400, 'bad_request', 'bucketInfo must be an object');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 10) fail(400, 'bad_request', 'too many bucketInfo keys (max 10)');
  for (const [key, v] of entries) {
    if (!/^[A-Za-z0-9_-]+$/.test(key) || typeof v !== 'string')
      fail(400, 'bad_request', `invalid bucketInfo entry ${key}`);
  }
  return value as Record<string, string>;
}

export function findBucket(ctx: B2Ctx, bucketId: string | undefined): B2Bucket {
  const bucket = bucketId === undefined ? undefined : ctx.state.buckets[bucketId];
  if (!bucket) fail(400, 'bad_bucket_id', `Bucket ${bucketId ?? ''} does not exist`);
  return bucket;
}

/**
 * The encryption and Object Lock settings of a create or update: each needs its write capability; File Lock
 * can be turned on (never off: `file_lock_conflict`, as b2sdk knows it) and a default retention needs it.
 */
function applyProtection(bucket: B2Bucket, body: Record<string, unknown>, key: B2Key): void {
  if (body.defaultServerSideEncryption !== undefined) {
    authorizeKey(key, 'writeBucketEncryption');
    bucket.defaultServerSideEncryption = bucketDefaultEncryption(body.defaultServerSideEncryption);
  }
  if (body.fileLockEnabled !== undefined) {
    if (typeof body.fileLockEnabled !== 'boolean')
      fail(400, 'bad_request', 'fileLockEnabled must be a boolean');
    if (body.fileLockEnabled) authorizeKey(key, 'writeBucketRetentions');
    if (!body.fileLockEnabled && bucket.fileLockEnabled)
      fail(
        400,
        'file_lock_conflict',
        'fileLockEnabled value of false is not allowed when bucket is already file lock enabled.',
      );
    bucket.fileLockEnabled ||= body.fileLockEnabled;
  }
  if (body.defaultRetention !== undefined) {
    authorizeKey(key, 'writeBucketRetentions');
    const retention = bucketRetentionValue(body.defaultRetention);
    if (retention.mode !== null && !bucket.fileLockEnabled) missingFileLock();
    bucket.defaultRetention = retention;
  }
}

export function bucketRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  apiCall(app, ctx, 'b2_create_bucket', async (c) => {
    const key = requireAuth(c, ctx, 'writeBuckets');
    const body = await fields(c);
    checkAccount(ctx, body);
    const name = str(body, 'bucketName', true);
    const max = ctx.options.bucketNameMaxLength;
    if (
      name.length < 6 ||
      name.length > max ||
      !/^[A-Za-z0-9-]+$/.test(name) ||
      name.toLowerCase().startsWith('b2-')
    ) {
      fail(
        400,
        'bad_request',
        `Invalid bucket name: ${name} (6-${max} letters, digits and "-", not starting with "b2-")`,
      );
    }
    const type = str(body, 'bucketType', true);
    if (!BUCKET_TYPES.has(type)) fail(400, 'bad_request', `Invalid bucketType: ${type}`);
    if (Object.values(ctx.state.buckets).some((b) => b.bucketName === name))
      fail(400, 'duplicate_bucket_name', 'Bucket name is already in use.');
    if (Object.keys(ctx.state.buckets).length >= ctx.options.maxBuckets)
      fail(400, 'too_many_buckets', 'Too many buckets');
    const bucket: B2Bucket = {
      bucketId: ctx.ids.hex(24),
      bucketName: name,
      bucketType: type,
      bucketInfo: bucketInfo(body.bucketInfo),
      corsRules: Array.isArray(body.corsRules) ? body.corsRules : [],
      lifecycleRules: Array.isArray(body.lifecycleRules) ? body.lifecycleRules : [],
      defaultServerSideEncryption: { algorithm: null, mode: null },
      fileLockEnabled: false,
      defaultRetention: { mode: null, period: null },
      revision: 2,
    };
    // B2 sets a default retention through b2_update_bucket only.
    applyProtection(bucket, { ...body, defaultRetention: undefined }, key);
    ctx.state.buckets[bucket.bucketId] = bucket;
    return b2Json(bucketJson(ctx.state, bucket, key));
  });

  apiCall(app, ctx, 'b2_list_buckets', async (c) => {
    const body = await fields(c);
    const bucketId = str(body, 'bucketId');
    const bucketName = str(body, 'bucketName');
    const key = requireAuth(c, ctx, 'listBuckets');
    checkAccount(ctx, body);
    if (key.bucketIds && bucketId === undefined && bucketName === undefined) {
      fail(401, 'unauthorized', 'a bucket-restricted key must name its bucket (bucketId or bucketName)');
    }
    const types = Array.isArray(body.bucketTypes) ? (body.bucketTypes as string[]) : undefined;
    if (types?.includes('all') && types.length > 1)
      fail(400, 'bad_request', 'bucketTypes "all" cannot be combined with other types');
    const buckets = Object.values(ctx.state.buckets)
      .filter((b) => bucketId === undefined || b.bucketId === bucketId)
      .filter((b) => bucketName === undefined || b.bucketName === bucketName)
      .filter((b) => !key.bucketIds || key.bucketIds.includes(b.bucketId))
      .filter((b) => !types || types.includes('all') || types.includes(b.bucketType))
      .sort((a, b) => (a.bucketName < b.bucketName ? -1 : 1));
    return b2Json({ buckets: buckets.map((b) => bucketJson(ctx.state, b, key)) });
  });

  apiCall(app, ctx, 'b2_update_bucket', async (c) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const key = requireAuth(c, ctx, 'writeBuckets', { bucketId: bucket.bucketId });
    checkAccount(ctx, body);
    if (body.ifRevisionIs !== undefined && body.ifRevisionIs !== bucket.revision)
      fail(409, 'conflict', 'simultaneous updates to bucket');
    const type = str(body, 'bucketType');
    if (type !== undefined && !BUCKET_TYPES.has(type))
      fail(400, 'bad_request', `Invalid bucketType: ${type}`);
    // All or nothing: the update is built on a copy, which replaces the bucket once every field is valid.
    const updated: B2Bucket = structuredClone(bucket);
    if (type !== undefined) updated.bucketType = type;
    if (body.bucketInfo !== undefined) updated.bucketInfo = bucketInfo(body.bucketInfo);
    if (Array.isArray(body.corsRules)) updated.corsRules = body.corsRules;
    if (Array.isArray(body.lifecycleRules)) updated.lifecycleRules = body.lifecycleRules;
    applyProtection(updated, body, key);
    updated.revision += 1;
    ctx.state.buckets[bucket.bucketId] = updated;
    return b2Json(bucketJson(ctx.state, updated, key));
  });

  apiCall(app, ctx, 'b2_delete_bucket', async (c) => {
    const body = await fields(c);
    const bucketId = str(body, 'bucketId', true);
    const key = requireAuth(c, ctx, 'deleteBuckets', { bucketId });
    checkAccount(ctx, body);
    const bucket = findBucket(ctx, bucketId);
    // Real code unverified (spec §3.3.2); the TS simulator's name is used.
    if (Object.values(ctx.state.files).some((f) => f.bucketId === bucketId)) {
      fail(400, 'cannot_delete_non_empty_bucket', 'Cannot delete non-empty bucket');
    }
    delete ctx.state.buckets[bucketId];
    return b2Json(bucketJson(ctx.state, bucket, key));
  });
}

import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { type B2Ctx, requireAuth, testMode } from './auth.js';
import { refuseStored, resolveContentType, storeUploadBody } from './body.js';
import { findBucket } from './buckets.js';
import {
  checkCustomerKey,
  customerKeyFromHeaders,
  encryptionFor,
  encryptionFromHeaders,
} from './encryption.js';
import { admitLock, lockFromHeaders } from './file-lock.js';
import { fileJson, partJson } from './json.js';
import type { B2State, B2UploadToken } from './model.js';
import { apiCall } from './routes.js';
import { forgetExpiredTokens } from './token-expiry.js';
import { recordVersion } from './versions.js';
import { B2_INFO_HEADERS, b2Json, checkFileName, decodeB2, fields, str } from './wire.js';

const FORBIDDEN = [
  'content-disposition',
  'content-encoding',
  'content-language',
  'content-location',
  'content-range',
  'expires',
];

/** `X-Bz-Info-*` headers: at most 10, keys lower-cased, values percent-decoded; `b2-` reserved. */
function infoHeaders(c: EmulatorContext): Record<string, string> {
  const info: Record<string, string> = {};
  c.req.raw.headers.forEach((value, name) => {
    if (!name.startsWith('x-bz-info-')) return;
    const key = name.slice('x-bz-info-'.length);
    if (key.startsWith('b2-') && B2_INFO_HEADERS[key] === undefined)
      fail(400, 'bad_request', `Info key ${key} is reserved`);
    info[key] = decodeB2(value);
  });
  if (Object.keys(info).length > 10) fail(400, 'bad_request', 'too many X-Bz-Info-* headers (max 10)');
  return info;
}

/** The file name plus file info fit in 7000 bytes, or 2048 with SSE or in an Object Lock bucket (§4). */
function checkHeaderBudget(fileName: string, info: Record<string, string>, tight: boolean): void {
  const limit = tight ? 2048 : 7000;
  const bytes =
    Buffer.byteLength(fileName) +
    Object.entries(info).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (bytes > limit) fail(400, 'bad_request', `file name and file info exceed ${limit} bytes`);
}

export function uploadRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  // One upload at a time per upload token (spec §3.3.3): in memory only, a restart frees them all.
  const inFlight = new Set<string>();
  // Upload tokens live in memory too, outside the saved state. An upload URL stays valid "24 h or until the
  // endpoint rejects an upload" (spec §3.3.3): clients ask for a new one when it stops working, as they do
  // here after a restart. In the saved state, every b2_get_upload_url grew what each later request wrote.
  const issuedTokens = new Map<string, B2UploadToken>();
  let issuedFor: B2State | undefined;
  /** The upload tokens of the current state: a reset (a new state) forgets them, as it forgets the keys. */
  const uploadTokens = () => {
    if (issuedFor !== ctx.state) {
      issuedTokens.clear();
      issuedFor = ctx.state;
    }
    return issuedTokens;
  };
  let uploadsSeen = 0;

  const issueUploadToken = (binding: Omit<B2UploadToken, 'expires'>) => {
    const token = `4_${ctx.ids.hex(24)}_upld_${Buffer.from(ctx.ids.hex(32), 'hex').toString('base64url')}=`;
    forgetExpiredTokens(ctx, uploadTokens());
    uploadTokens().set(token, { ...binding, expires: ctx.clock.now() + 86_400_000 });
    return token;
  };

  /** Validates an upload token against what it was issued for, and claims it for this request. */
  const claim = (
    c: EmulatorContext,
    check: (t: B2UploadToken) => boolean,
  ): { token: string; release(): void } => {
    const token = c.req.header('authorization');
    if (!token) fail(401, 'missing_auth_token', 'Authorization header required');
    const issued = uploadTokens().get(token);
    if (!issued || !check(issued) || !ctx.state.keys[issued.keyId])
      fail(401, 'bad_auth_token', 'Invalid authorization token');
    if (issued.expires <= ctx.clock.now()) {
      fail(
        401,
        'expired_auth_token',
        'The auth token used has expired. Call b2_get_upload_url again to get a new one.',
      );
    }
    const mode = testMode(c);
    if (mode === 'force_cap_exceeded')
      fail(403, 'storage_cap_exceeded', 'Cannot upload files, storage cap exceeded.');
    if (inFlight.has(token)) fail(400, 'auth_token_limit', `more than one upload using auth token ${token}`);
    if (mode === 'fail_some_uploads' && uploadsSeen++ % 2 === 0)
      fail(503, 'service_unavailable', 'c002_v0001129_t0017 is too busy');
    inFlight.add(token);
    return { token, release: () => inFlight.delete(token) };
  };

  apiCall(app, ctx, 'b2_get_upload_url', async (c) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const key = requireAuth(c, ctx, 'writeFiles', { bucketId: bucket.bucketId });
    const token = issueUploadToken({ keyId: key.applicationKeyId, bucketId: bucket.bucketId });
    const version = /^\/b2api\/(v\d)/.exec(c.req.path)?.[1] ?? 'v2';
    return b2Json({
      authorizationToken: token,
      bucketId: bucket.bucketId,
      uploadUrl: `${ctx.origin(c)}/b2api/${version}/b2_upload_file/${bucket.bucketId}/c002_v0001129_t${ctx.ids.hex(4)}`,
    });
  });

  const uploadFile = ctx.endpoint<'/b2api/:version/b2_upload_file/:bucketId/:slot'>(
    'b2_upload_file',
    async (c) => {
      const bucketId = c.req.param('bucketId');
      const claimed = claim(c, (t) => t.bucketId === bucketId);
      try {
        for (const header of FORBIDDEN)
          if (c.req.header(header) !== undefined)
            fail(400, 'bad_request', `header ${header} is not allowed on uploads`);
        const rawName = c.req.header('x-bz-file-name');
        if (!rawName) fail(400, 'bad_request', 'X-Bz-File-Name header is required');
        const fileName = decodeB2(rawName);
        checkFileName(fileName, ctx.options.rejectBackslash);
        const issued = uploadTokens().get(claimed.token)!;
        const key = ctx.state.keys[issued.keyId]!;
        if (key.namePrefix && !fileName.startsWith(key.namePrefix))
          fail(401, 'unauthorized', `key is restricted to names starting with ${key.namePrefix}`);
        const info = infoHeaders(c);
        const contentType = resolveContentType(c.req.header('content-type'), fileName);
        const bucket = findBucket(ctx, bucketId);
        const encryption = encryptionFor(bucket, encryptionFromHeaders(c));
        const lock = admitLock(bucket, key, lockFromHeaders(c, ctx.clock.now()));
        checkHeaderBudget(
          fileName,
          info,
          encryption.serverSideEncryption.mode !== null || bucket.fileLockEnabled,
        );
        const stored = await storeUploadBody(c, ctx, ctx.options.maxSmallFileSize);
        if (!ctx.state.buckets[bucketId])
          await refuseStored(ctx, stored.blobId, 'bad_bucket_id', `Bucket ${bucketId} does not exist`);
        const file = recordVersion(ctx, bucket, {
          fileName,
          action: 'upload',
          contentLength: stored.size,
          contentSha1: stored.contentSha1,
          contentMd5: stored.md5,
          contentType,
          fileInfo: info,
          blobId: stored.blobId,
          ...encryption,
          ...lock,
        });
        return b2Json(fileJson(ctx.state, file, key));
      } finally {
        claimed.release();
      }
    },
  );
  app.post('/b2api/:version/b2_upload_file/:bucketId/:slot', uploadFile);

  apiCall(app, ctx, 'b2_get_upload_part_url', async (c) => {
    const body = await fields(c);
    const fileId = str(body, 'fileId', true);
    const file = ctx.state.files[fileId];
    if (file?.action !== 'start') fail(400, 'bad_request', `Invalid fileId: ${fileId}`);
    const key = requireAuth(c, ctx, 'writeFiles', { bucketId: file.bucketId });
    const token = issueUploadToken({ keyId: key.applicationKeyId, largeFileId: fileId });
    const version = /^\/b2api\/(v\d)/.exec(c.req.path)?.[1] ?? 'v2';
    return b2Json({
      authorizationToken: token,
      fileId,
      uploadUrl: `${ctx.origin(c)}/b2api/${version}/b2_upload_part/${fileId}/${ctx.ids.hex(4)}`,
    });
  });

  const uploadPart = ctx.endpoint<'/b2api/:version/b2_upload_part/:fileId/:slot'>(
    'b2_upload_part',
    async (c) => {
      const fileId = c.req.param('fileId');
      const claimed = claim(c, (t) => t.largeFileId === fileId);
      try {
        const file = ctx.state.files[fileId];
        if (file?.action !== 'start') fail(400, 'bad_request', `Invalid fileId: ${fileId}`);
        // Parts of an SSE-C large file are encrypted with its key, so each part upload must bring it.
        checkCustomerKey(file, customerKeyFromHeaders(c));
        const partNumber = Number(c.req.header('x-bz-part-number'));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
          fail(400, 'bad_request', 'X-Bz-Part-Number must be 1-10000');
        const stored = await storeUploadBody(c, ctx, 5_000_000_000);
        if (ctx.state.files[fileId] !== file || file.action !== 'start')
          await refuseStored(ctx, stored.blobId, 'bad_request', `Invalid fileId: ${fileId}`);
        ctx.state.parts[fileId] ??= {};
        const parts = ctx.state.parts[fileId];
        const previous = parts[partNumber];
        const part = {
          partNumber,
          contentLength: stored.size,
          contentSha1: stored.contentSha1,
          contentMd5: stored.md5,
          uploadTimestamp: ctx.clock.now(),
          blobId: stored.blobId,
          serverSideEncryption: file.serverSideEncryption,
        };
        parts[partNumber] = part;
        // Re-uploading a part number replaces the earlier bytes (once the state no longer names them).
        if (previous) await ctx.blobs.delete(previous.blobId);
        return b2Json(partJson(fileId, part));
      } finally {
        claimed.release();
      }
    },
  );
  app.post('/b2api/:version/b2_upload_part/:fileId/:slot', uploadPart);
}

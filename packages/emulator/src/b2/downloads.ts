import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail, serveBlob } from '../framework/index.js';
import { authorizeKey, type B2Ctx, requireAuth, testMode } from './auth.js';
import { findBucket } from './buckets.js';
import { checkCustomerKey, customerKeyFromHeaders, encryptionHeaders } from './encryption.js';
import { lockHeaders } from './file-lock.js';
import type { B2Bucket, B2FileVersion, B2Key } from './model.js';
import { apiCall } from './routes.js';
import { forgetExpiredTokens } from './token-expiry.js';
import { liveVersion } from './versions.js';
import { B2_INFO_HEADERS, b2Json, decodeB2, encodeB2, fields, int, str } from './wire.js';

const OVERRIDES: Record<string, string> = {
  b2ContentDisposition: 'content-disposition',
  b2ContentLanguage: 'content-language',
  b2Expires: 'expires',
  b2CacheControl: 'cache-control',
  b2ContentEncoding: 'content-encoding',
  b2ContentType: 'content-type',
};

/**
 * Who may read this file: anyone on a public bucket (unless overrides are asked), else an account token with
 * readFiles, or (by name only) a download-authorization token covering the name with the same overrides.
 * Returns the account key when one was used (it decides which Object Lock headers the reader sees).
 */
function authorizeDownload(
  c: EmulatorContext,
  ctx: B2Ctx,
  bucket: B2Bucket,
  file: B2FileVersion,
  byName: boolean,
): B2Key | undefined {
  const url = new URL(c.req.url);
  const overrides = Object.keys(OVERRIDES).filter((name) => url.searchParams.has(name));
  const token = c.req.header('authorization') ?? url.searchParams.get('Authorization') ?? undefined;
  if (testMode(c) === 'force_cap_exceeded')
    fail(
      403,
      'download_cap_exceeded',
      'Cannot download file, download bandwidth or transaction cap exceeded.',
    );
  if (!token) {
    if (bucket.bucketType === 'allPublic' && overrides.length === 0) return undefined;
    fail(401, 'unauthorized', 'this bucket requires an authorization token');
  }
  const account = ctx.state.tokens[token];
  if (account) {
    const key = ctx.state.keys[account.keyId];
    if (!key) fail(401, 'bad_auth_token', 'Invalid authorization token');
    if (account.expires <= ctx.clock.now())
      fail(401, 'expired_auth_token', 'Authorization token has expired');
    authorizeKey(key, 'readFiles', { bucketId: bucket.bucketId, name: file.fileName });
    return key;
  }
  const grant = ctx.state.downloadAuths[token];
  if (!grant || !byName) fail(401, 'bad_auth_token', 'Invalid authorization token');
  if (grant.expires <= ctx.clock.now()) fail(401, 'expired_auth_token', 'Download authorization has expired');
  if (grant.bucketId !== bucket.bucketId || !file.fileName.startsWith(grant.fileNamePrefix)) {
    fail(401, 'unauthorized', 'download authorization does not cover this file');
  }
  for (const [name, value] of Object.entries(grant.overrides)) {
    if (url.searchParams.get(name) !== value)
      fail(401, 'unauthorized', `download authorization requires ${name}=${value}`);
  }
  return undefined;
}

/** The bucket-wide `Cache-Control` a bucket's info may carry (B2 docs for b2_create_bucket). */
function bucketCacheControl(bucket: B2Bucket): string | undefined {
  return Object.entries(bucket.bucketInfo).find(([name]) => name.toLowerCase() === 'cache-control')?.[1];
}

/**
 * Answers a download with the headers B2 documents and sends (recorded): no `Cache-Control` of its own (that
 * is for API JSON), the `b2-*` infos as their real headers, the rest as `X-Bz-Info-*`, encryption and Object
 * Lock headers. `Cache-Control` comes from the request's override, else the file's info, else the bucket.
 */
function serveFile(
  c: EmulatorContext,
  ctx: B2Ctx,
  bucket: B2Bucket,
  file: B2FileVersion,
  key: B2Key | undefined,
): Response {
  checkCustomerKey(file, customerKeyFromHeaders(c));
  const url = new URL(c.req.url);
  const fallbackCacheControl = bucketCacheControl(bucket);
  const headers: Record<string, string> = {
    'x-bz-file-id': file.fileId,
    'x-bz-file-name': encodeB2(file.fileName),
    'x-bz-content-sha1': file.contentSha1,
    'x-bz-upload-timestamp': String(file.uploadTimestamp),
    ...(fallbackCacheControl === undefined ? {} : { 'cache-control': fallbackCacheControl }),
    ...encryptionHeaders(file),
    ...lockHeaders(bucket, file, key),
  };
  for (const [name, value] of Object.entries(file.fileInfo)) {
    const real = B2_INFO_HEADERS[name];
    if (real) headers[real] = value;
    else headers[`x-bz-info-${name}`] = encodeB2(value);
  }
  let contentType = file.contentType;
  for (const [param, header] of Object.entries(OVERRIDES)) {
    const value = url.searchParams.get(param);
    if (value === null) continue;
    if (header === 'content-type') contentType = value;
    else headers[header] = value;
  }
  return serveBlob(c, ctx.blobs, file.blobId!, { headers, contentType });
}

export function downloadRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  const byName = ctx.endpoint('download_file_by_name', (c) => {
    // The raw path: the file name is percent-encoded and `+` means a space (spec §3.2).
    const raw = new URL(c.req.url).pathname;
    const match = /^\/file\/([^/]+)\/(.+)$/.exec(raw);
    if (!match) fail(400, 'bad_request', 'expected /file/<bucketName>/<fileName>');
    const bucketName = decodeB2(match[1]!);
    const fileName = decodeB2(match[2]!);
    const bucket = Object.values(ctx.state.buckets).find((b) => b.bucketName === bucketName);
    if (!bucket) fail(404, 'not_found', `bucket ${bucketName} does not exist`);
    const file = liveVersion(ctx, bucket.bucketId, fileName);
    if (!file?.blobId) fail(404, 'not_found', `file not present: ${fileName}`);
    return serveFile(c, ctx, bucket, file, authorizeDownload(c, ctx, bucket, file, true));
  });
  app.get('/file/:bucket/*', byName);

  const byId = ctx.endpoint('b2_download_file_by_id', async (c) => {
    const body =
      c.req.method === 'POST' ? await fields(c) : Object.fromEntries(new URL(c.req.url).searchParams);
    const fileId = str(body, 'fileId', true);
    const file = ctx.state.files[fileId];
    if (file?.action !== 'upload' || !file.blobId) fail(404, 'not_found', `file not present: ${fileId}`);
    const bucket = findBucket(ctx, file.bucketId);
    return serveFile(c, ctx, bucket, file, authorizeDownload(c, ctx, bucket, file, false));
  });
  app.get('/b2api/:version/b2_download_file_by_id', byId);
  app.post('/b2api/:version/b2_download_file_by_id', byId);

  apiCall(app, ctx, 'b2_get_download_authorization', async (c) => {
    const body = await fields(c);
    const bucket = findBucket(ctx, str(body, 'bucketId', true));
    const fileNamePrefix =
      str(body, 'fileNamePrefix') ?? (typeof body.fileNamePrefix === 'string' ? '' : undefined);
    if (fileNamePrefix === undefined) fail(400, 'bad_request', 'required field fileNamePrefix is missing');
    requireAuth(c, ctx, 'shareFiles', { bucketId: bucket.bucketId, name: fileNamePrefix });
    if (body.validDurationInSeconds === undefined)
      fail(400, 'bad_request', 'required field validDurationInSeconds is missing');
    const duration = int(body, 'validDurationInSeconds', 1, 1, 604_800);
    const overrides = Object.fromEntries(
      Object.keys(OVERRIDES).flatMap((name) =>
        typeof body[name] === 'string' ? [[name, body[name] as string]] : [],
      ),
    );
    const token = `3_${ctx.ids.hex(24)}_dnld_${Buffer.from(ctx.ids.hex(32), 'hex').toString('base64url')}`;
    forgetExpiredTokens(ctx);
    ctx.state.downloadAuths[token] = {
      bucketId: bucket.bucketId,
      fileNamePrefix,
      expires: ctx.clock.now() + duration * 1000,
      overrides,
    };
    return b2Json({ authorizationToken: token, bucketId: bucket.bucketId, fileNamePrefix });
  });
}

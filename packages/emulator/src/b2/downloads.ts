import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail, serveBlob } from '../framework/index.js';
import { authorizeKey, type B2Ctx, requireAuth, testMode } from './auth.js';
import { findBucket } from './buckets.js';
import { liveVersion } from './files.js';
import type { B2Bucket, B2FileVersion } from './model.js';
import { apiCall } from './routes.js';
import { b2Json, decodeB2, encodeB2, fields, int, str } from './wire.js';

const OVERRIDES: Record<string, string> = {
  b2ContentDisposition: 'content-disposition',
  b2ContentLanguage: 'content-language',
  b2Expires: 'expires',
  b2CacheControl: 'cache-control',
  b2ContentEncoding: 'content-encoding',
  b2ContentType: 'content-type',
};
const INFO_HEADERS: Record<string, string> = {
  'b2-content-disposition': 'content-disposition',
  'b2-content-language': 'content-language',
  'b2-expires': 'expires',
  'b2-cache-control': 'cache-control',
  'b2-content-encoding': 'content-encoding',
};

/**
 * Who may read this file: anyone on a public bucket (unless overrides are asked), else an account token with
 * readFiles, or (by name only) a download-authorization token covering the name with the same overrides.
 */
function authorizeDownload(
  c: EmulatorContext,
  ctx: B2Ctx,
  bucket: B2Bucket,
  file: B2FileVersion,
  byName: boolean,
): void {
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
    if (bucket.bucketType === 'allPublic' && overrides.length === 0) return;
    fail(401, 'unauthorized', 'this bucket requires an authorization token');
  }
  const account = ctx.state.tokens[token];
  if (account) {
    const key = ctx.state.keys[account.keyId];
    if (!key) fail(401, 'bad_auth_token', 'Invalid authorization token');
    if (account.expires <= ctx.clock.now())
      fail(401, 'expired_auth_token', 'Authorization token has expired');
    authorizeKey(key, 'readFiles', { bucketId: bucket.bucketId, name: file.fileName });
    return;
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
}

function serveFile(c: EmulatorContext, ctx: B2Ctx, file: B2FileVersion): Response {
  const url = new URL(c.req.url);
  const headers: Record<string, string> = {
    'x-bz-file-id': file.fileId,
    'x-bz-file-name': encodeB2(file.fileName),
    'x-bz-content-sha1': file.contentSha1,
    'x-bz-upload-timestamp': String(file.uploadTimestamp),
    date: new Date(ctx.clock.now()).toUTCString(),
    'cache-control': 'max-age=0, no-cache, no-store',
  };
  for (const [key, value] of Object.entries(file.fileInfo)) {
    const real = INFO_HEADERS[key];
    if (real) headers[real] = value;
    else headers[`x-bz-info-${key}`] = encodeB2(value);
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
    authorizeDownload(c, ctx, bucket, file, true);
    return serveFile(c, ctx, file);
  });
  app.get('/file/:bucket/*', byName);

  const byId = ctx.endpoint('b2_download_file_by_id', async (c) => {
    const body =
      c.req.method === 'POST' ? await fields(c) : Object.fromEntries(new URL(c.req.url).searchParams);
    const fileId = str(body, 'fileId', true);
    const file = ctx.state.files[fileId];
    if (file?.action !== 'upload' || !file.blobId) fail(404, 'not_found', `file not present: ${fileId}`);
    const bucket = findBucket(ctx, file.bucketId);
    authorizeDownload(c, ctx, bucket, file, false);
    return serveFile(c, ctx, file);
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
    ctx.state.downloadAuths[token] = {
      bucketId: bucket.bucketId,
      fileNamePrefix,
      expires: ctx.clock.now() + duration * 1000,
      overrides,
    };
    return b2Json({ authorizationToken: token, bucketId: bucket.bucketId, fileNamePrefix });
  });
}

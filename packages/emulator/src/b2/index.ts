import { createHash } from 'node:crypto';
import { blobIdsIn, defineService } from '../framework/index.js';
import { authorizeRoutes, type B2Ctx } from './auth.js';
import { bucketRoutes } from './buckets.js';
import { b2Console } from './console.js';
import { copyRoutes } from './copies.js';
import { downloadRoutes } from './downloads.js';
import { fileLockRoutes } from './file-lock-routes.js';
import { fileRoutes } from './files.js';
import { keyRoutes, newKeyId } from './keys.js';
import { largeFileRoutes } from './large-files.js';
import { ALL_CAPABILITIES, type B2Bucket, type B2FileVersion, type B2State } from './model.js';
import { type B2EmulatorOptions, b2OptionCatalog, defaultB2Options } from './options.js';
import { uploadRoutes } from './uploads.js';
import { recordVersion } from './versions.js';
import { b2Error } from './wire.js';

export type { B2Ctx } from './auth.js';
export type { B2State } from './model.js';
export type { B2EmulatorOptions } from './options.js';

function createState({ ids }: { ids: B2Ctx['ids'] }): B2State {
  const accountId = ids.hex(12);
  const state: B2State = {
    accountId,
    keys: {},
    tokens: {},
    downloadAuths: {},
    buckets: {},
    files: {},
    parts: {},
  };
  const masterId = newKeyId(state, 0);
  state.keys[masterId] = {
    applicationKeyId: masterId,
    applicationKey: `K002${Buffer.from(ids.hex(40), 'hex').toString('base64url').slice(0, 27)}`,
    keyName: 'master',
    capabilities: [...ALL_CAPABILITIES],
    bucketIds: null,
    namePrefix: null,
    expirationTimestamp: null,
    master: true,
  };
  return state;
}

/** Adds a bucket directly (seeds and tests); the API path is `b2_create_bucket`. */
export function addBucket(
  ctx: B2Ctx,
  bucketName: string,
  bucketType: 'allPublic' | 'allPrivate' = 'allPrivate',
): B2Bucket {
  const bucket: B2Bucket = {
    bucketId: ctx.ids.hex(24),
    bucketName,
    bucketType,
    bucketInfo: {},
    corsRules: [],
    lifecycleRules: [],
    defaultServerSideEncryption: { algorithm: null, mode: null },
    fileLockEnabled: false,
    defaultRetention: { mode: null, period: null },
    revision: 2,
  };
  ctx.state.buckets[bucket.bucketId] = bucket;
  return bucket;
}

/** Adds a file version with the given bytes (seeds and tests). */
export async function addFile(
  ctx: B2Ctx,
  bucket: B2Bucket,
  fileName: string,
  bytes: string | Uint8Array,
  contentType = 'application/octet-stream',
): Promise<B2FileVersion> {
  const blob = await ctx.blobs.putBytes(bytes);
  return recordVersion(ctx, bucket, {
    fileName,
    action: 'upload',
    contentLength: blob.size,
    contentSha1: blob.sha1 ?? createHash('sha1').update(bytes).digest('hex'),
    contentMd5: blob.md5 ?? null,
    contentType,
    fileInfo: {},
    blobId: blob.id,
  });
}

/**
 * Backblaze B2 native API v1–v4 (spec b2.md §3): authorize, buckets, small and large uploads, listing,
 * downloads, copies, keys, capabilities, token expiry, and the real `X-Bz-Test-Mode` header.
 */
export const b2Service = defineService<B2State, B2EmulatorOptions>({
  name: 'b2',
  defaultOptions: defaultB2Options,
  optionCatalog: b2OptionCatalog,
  createState,
  blobsInUse: blobIdsIn,
  seeds: {
    async demo(ctx) {
      const media = addBucket(ctx, 'mediaferry-demo', 'allPrivate');
      addBucket(ctx, 'mediaferry-public', 'allPublic');
      // The bucket the README's examples use, so they run as written against the demo data.
      addBucket(ctx, 'my-media', 'allPrivate');
      await addFile(
        ctx,
        media,
        'README.txt',
        'Media lands here: mediaferry copy gopro://2026-10-01..2026-10-31 b2://mediaferry-demo/gopro/\n',
        'text/plain',
      );
    },
  },
  endpoints: { authorize: '/b2api/v3/b2_authorize_account' },
  credentials(ctx) {
    const master = Object.values(ctx.state.keys).find((k) => k.master)!;
    return { keyId: master.applicationKeyId, key: master.applicationKey };
  },
  errorResponse: (error) => b2Error(error.status, error.code, error.message),
  routes(app, ctx) {
    // Every B2 answer carries a `Date` (recorded), on the emulator's clock like everything else it says.
    app.use('*', async (c, next) => {
      await next();
      if (!c.req.path.startsWith('/__emulator/') && !c.res.headers.has('date'))
        c.res.headers.set('date', new Date(ctx.clock.now()).toUTCString());
    });
    authorizeRoutes(app, ctx);
    bucketRoutes(app, ctx);
    keyRoutes(app, ctx);
    uploadRoutes(app, ctx);
    largeFileRoutes(app, ctx);
    fileRoutes(app, ctx);
    copyRoutes(app, ctx);
    fileLockRoutes(app, ctx);
    downloadRoutes(app, ctx);
  },
  console: b2Console,
});

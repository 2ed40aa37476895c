/**
 * The BigGo video platform (spec gopro-biggo.md part B): OAuth2 client credentials with expiring tokens,
 * videos (multipart upload, get, update, delete) with ownership, user listings, and processing that
 * completes on the virtual clock.
 */
import { blobIdsIn, defineService } from '../framework/index.js';
import { authRoutes } from './auth.js';
import { biggoConsole } from './console.js';
import { ApiCode, type BgState, BIGGO_DEMO_CLIENT, codeForStatus, createBigGoState } from './model.js';
import { BIGGO_DEFAULT_OPTIONS, type BigGoEmulatorOptions, biggoOptionCatalog } from './options.js';
import { seedDemo } from './seeds.js';
import { staticRoutes } from './static.js';
import { userRoutes } from './users.js';
import { videoRoutes, withAndWithoutSlash } from './videos.js';

export { BIGGO_DEMO_CLIENT, BIGGO_OTHER_CLIENT } from './model.js';
export { BIGGO_DEFAULT_OPTIONS, type BigGoEmulatorOptions, biggoOptionCatalog } from './options.js';

/** The BigGo emulator's service definition. */
export const biggoService = defineService<BgState, BigGoEmulatorOptions>({
  name: 'biggo',
  defaultOptions: BIGGO_DEFAULT_OPTIONS,
  optionCatalog: biggoOptionCatalog,
  createState: () => createBigGoState(),
  blobsInUse: blobIdsIn,
  seeds: { demo: seedDemo },
  endpoints: { api: '/api/v1/', token: '/auth/v1/token' },
  credentials: () => ({ ...BIGGO_DEMO_CLIENT }),
  // Every error, injected ones included, is `{"result": false, "error": {code, message}}` (spec B3, B8).
  errorResponse(error, c) {
    const numeric = Number(error.code);
    const code = Number.isInteger(numeric) && error.code !== '' ? numeric : codeForStatus(error.status);
    return c.json({ result: false, error: { code, message: error.message } }, error.status as 400);
  },
  routes(app, ctx) {
    authRoutes(app, ctx);
    videoRoutes(app, ctx);
    userRoutes(app, ctx);
    staticRoutes(app, ctx);
    // A known path with a method it does not take: code 1 ERROR_METHOD.
    const wrongMethod = ctx.endpoint('method_not_allowed', (c) =>
      c.json(
        {
          result: false,
          error: { code: ApiCode.ERROR_METHOD, message: `${c.req.method} is not allowed here` },
        },
        405,
      ),
    );
    for (const path of [
      '/auth/v1/token',
      '/api/v1/video_auth/self',
      '/api/v1/video',
      '/api/v1/video/:id',
      '/api/v1/user/:userid/video',
    ])
      for (const variant of withAndWithoutSlash(path)) app.all(variant, wrongMethod);
  },
  console: biggoConsole,
});

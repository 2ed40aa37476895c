import { defineService } from '../framework/index.js';
import { cdnRoutes } from './cdn.js';
import { mediaRoutes } from './media.js';
import type { GoproState } from './model.js';
import { defaultGoproOptions, type GoproEmulatorOptions } from './options.js';
import { demoSeed, fixturesSeed } from './seeds.js';

export type { GoproAsset, GoproMedia, GoproState } from './model.js';
export type { GoproEmulatorOptions } from './options.js';
export { addMedia } from './seeds.js';

/** The token every fresh GoPro emulator accepts (it stands for a browser's `gp_access_token` cookie). */
export const GOPRO_DEMO_TOKEN = 'gp-emulator-token';

/**
 * GoPro cloud media library (spec gopro-biggo.md, part A): search, download metadata with pre-signed CDN
 * links, and the CDN itself, on one origin.
 */
export const goproService = defineService<GoproState, GoproEmulatorOptions>({
  name: 'gopro',
  defaultOptions: defaultGoproOptions,
  createState: ({ ids }) => ({
    tokens: [GOPRO_DEMO_TOKEN],
    signingKey: ids.hex(32),
    userId: ids.hex(24),
    media: {},
  }),
  seeds: { demo: demoSeed, fixtures: fixturesSeed },
  credentials: (ctx) => ({ accessToken: ctx.state.tokens[0] ?? GOPRO_DEMO_TOKEN }),
  // The real error body is unverified; GoSync saw "401 invalid_request". This shape follows the spec's suggestion.
  errorResponse: (error, c) => c.json({ error: error.code, message: error.message }, error.status as 400),
  routes(app, ctx) {
    mediaRoutes(app, ctx);
    cdnRoutes(app, ctx);
  },
});

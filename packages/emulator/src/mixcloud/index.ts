import { blobIdsIn, defineService } from '../framework/index.js';
import { actionRoutes } from './actions.js';
import { mixcloudConsole } from './console.js';
import { embedRoutes } from './embed.js';
import { errorResponse } from './errors.js';
import { newCloudcast } from './form.js';
import type { McCloudcast, McState } from './model.js';
import { oauthRoutes } from './oauth.js';
import { defaultMixcloudOptions, type MixcloudEmulatorOptions, mixcloudOptionCatalog } from './options.js';
import { readRoutes } from './reads.js';
import { uploadRoutes } from './upload.js';
import { type McCtx, storeKey } from './views.js';

export type { McState } from './model.js';
export { type MixcloudEmulatorOptions, mixcloudOptionCatalog } from './options.js';
export type { McCtx } from './views.js';

/** The token of the demo user `ferry` (a Pro account), printed by `mediaferry emulator`. */
export const MIXCLOUD_DEMO_TOKEN = 'mc-emulator-token';

const DAY = 86_400_000;

/** Adds a cloudcast directly (seeds and tests). */
export function addCloudcast(
  ctx: McCtx,
  user: string,
  name: string,
  fields: Partial<McCloudcast> = {},
): McCloudcast {
  const cc = newCloudcast(user, name, fields.created ?? ctx.clock.now(), fields);
  ctx.state.cloudcasts[storeKey(user, cc.slug)] = cc;
  return cc;
}

async function demo(ctx: McCtx): Promise<void> {
  const s = ctx.state;
  const base = Date.UTC(2026, 9, 1);
  const users: Array<[string, string, boolean]> = [
    ['ferry', 'Ferry Radio', true],
    ['spartacus', 'Spartacus', false],
    ['jimmy', 'Jimmy', false],
    ['chris', 'Chris', false],
    ['bob', 'Bob', false],
    ['may', 'May', false],
    ['harbour', 'Harbour FM', true],
    ['lighthouse', 'Lighthouse', false],
    ['deckhand', 'Deckhand', false],
    ['tidal', 'Tidal Sounds', false],
    ['gull', 'Gull', false],
    ['anchor', 'Anchor Mixes', false],
  ];
  users.forEach(([username, name, pro], i) => {
    s.users[username] = {
      username,
      name,
      biog: `${name} plays records.`,
      city: 'Athens',
      country: 'Greece',
      is_pro: pro,
      created: base - (400 + i) * DAY,
    };
  });
  s.tokens[MIXCLOUD_DEMO_TOKEN] = 'ferry';
  s.clients['mf-demo-client'] = {
    secret: 'mf-demo-secret',
    redirectUris: ['http://localhost:8765/callback'],
  };
  const genres = ['house', 'techno', 'jazz', 'funk', 'ambient', 'dub'];
  let n = 0;
  for (const [username] of users) {
    for (let k = 0; k < 9; k += 1) {
      n += 1;
      addCloudcast(ctx, username, `${username === 'ferry' ? 'Ferry Session' : `${username} mix`} ${k + 1}`, {
        description: `Mix number ${k + 1}`,
        tags: [genres[n % genres.length]!, genres[(n + 2) % genres.length]!],
        sections: [
          { chapter: 'Intro', start_time: 0 },
          { artist: 'Somebody', song: 'Some song', start_time: 120 },
        ],
        created: base + n * 3 * 3_600_000,
        play_count: (n * 7919) % 5000,
      });
    }
  }
  const keys = Object.keys(s.cloudcasts);
  users.forEach(([from], i) => {
    users.forEach(([to], j) => {
      if (from !== to && (i + j) % 2 === 1) s.follows.push({ from, to, at: base + (i * 5 + j) * 3_600_000 });
    });
    keys.forEach((key, k) => {
      if ((k + i) % 4 === 0 && !key.startsWith(`/${from}/`))
        s.favorites.push({ from, to: key, at: base + (k * 7 + i) * 600_000 });
      if ((k + i) % 3 === 0) s.listens.push({ from, to: key, at: base + (k * 5 + i) * 900_000 });
    });
  });
  for (const [k, key] of keys.slice(0, 6).entries())
    s.comments.push({
      id: ctx.ids.hex(8),
      on: key,
      user: users[k % users.length]![0],
      comment: `Great mix #${k + 1}`,
      at: base + k * DAY,
    });
  s.comments.push({ id: ctx.ids.hex(8), on: '/bob/', user: 'chris', comment: 'Hi Bob!', at: base });
}

/**
 * Mixcloud API (spec mixcloud.md part 2/3): resources with `metadata=1`, connections and paging rewritten to
 * the emulator origin, search, discover, actions, multipart upload and edit, embeds, oEmbed and OAuth.
 */
export const mixcloudService = defineService<McState, MixcloudEmulatorOptions>({
  name: 'mixcloud',
  defaultOptions: defaultMixcloudOptions,
  optionCatalog: mixcloudOptionCatalog,
  createState: () => ({
    users: {},
    cloudcasts: {},
    follows: [],
    favorites: [],
    reposts: [],
    listenLater: [],
    listens: [],
    comments: [],
    tokens: {},
    clients: {},
    codes: {},
  }),
  blobsInUse: blobIdsIn,
  seeds: { demo },
  endpoints: { api: '/', authorize: '/oauth/authorize', token: '/oauth/access_token' },
  credentials: (ctx) => ({
    accessToken: Object.keys(ctx.state.tokens)[0] ?? MIXCLOUD_DEMO_TOKEN,
    clientId: 'mf-demo-client',
    clientSecret: 'mf-demo-secret',
    // The redirect URI registered for the demo client: the OAuth flow must name exactly this one.
    redirectUri: ctx.state.clients['mf-demo-client']?.redirectUris[0] ?? 'http://localhost:8765/callback',
  }),
  errorResponse,
  routes(app, ctx) {
    oauthRoutes(app, ctx);
    embedRoutes(app, ctx);
    actionRoutes(app, ctx);
    uploadRoutes(app, ctx);
    readRoutes(app, ctx);
    // The API is Django-like: a GET without its trailing slash is redirected to it, query kept (spec §1.2, §3.2).
    app.get(
      '*',
      ctx.endpoint('redirect', (c) => {
        const url = new URL(c.req.url);
        if (url.pathname.endsWith('/'))
          return c.json(
            { error: { type: 'ResourceNotFoundException', message: `No resource at ${url.pathname}` } },
            404,
          );
        return c.redirect(`${url.pathname}/${url.search}`, 301);
      }),
    );
  },
  console: mixcloudConsole,
});

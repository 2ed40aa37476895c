/** Follow, favorite, repost, listen later and their undo (spec §2.8): POST/DELETE, or POST `method=delete`. */
import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { rateLimit, requireViewer } from './auth.js';
import type { McRelation } from './model.js';
import type { MixcloudEmulatorOptions } from './options.js';
import { type McCtx, storeKey } from './views.js';
import { canView } from './visibility.js';

type MessageOption = {
  [K in keyof MixcloudEmulatorOptions]: MixcloudEmulatorOptions[K] extends string ? K : never;
}[keyof MixcloudEmulatorOptions];

const ACTIONS = {
  favorite: { list: 'favorites', done: 'favoriteMessage', undone: 'unfavoriteMessage' },
  repost: { list: 'reposts', done: 'repostMessage', undone: 'unrepostMessage' },
  'listen-later': { list: 'listenLater', done: 'listenLaterMessage', undone: 'unlistenLaterMessage' },
} as const satisfies Record<
  string,
  { list: 'favorites' | 'reposts' | 'listenLater'; done: MessageOption; undone: MessageOption }
>;

/** `{"result": {"success": true, "message": …}}`; only "Now following <user>" is documented. */
export const ok = (c: EmulatorContext, message: string, extra: Record<string, unknown> = {}) =>
  c.json({ result: { success: true, message, ...extra } });

const say = (template: string, target: string) => template.replaceAll('{target}', target);

/** DELETE, or POST with `method=delete` (spec §2.8). */
async function isDelete(c: EmulatorContext): Promise<boolean> {
  if (c.req.method === 'DELETE') return true;
  if (new URL(c.req.url).searchParams.get('method') === 'delete') return true;
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded'))
    return new URLSearchParams(await c.req.text()).get('method') === 'delete';
  return false;
}

function toggle(list: McRelation[], from: string, to: string, on: boolean, at: number): void {
  const index = list.findIndex((r) => r.from === from && r.to === to);
  if (on && index < 0) list.push({ from, to, at });
  if (!on && index >= 0) list.splice(index, 1);
}

export function actionRoutes(app: EmulatorApp, ctx: McCtx): void {
  const follow = ctx.endpoint<'/:user/follow/'>('follow', async (c) => {
    rateLimit(c, ctx);
    const me = requireViewer(c, ctx);
    const target = c.req.param('user');
    if (!ctx.state.users[target])
      fail(404, 'ResourceNotFoundException', `No user found with username ${target}`);
    if (target === me) {
      if (ctx.options.followSelfStatus === 404)
        fail(404, 'ResourceNotFoundException', 'You cannot follow yourself');
      fail(400, 'InvalidParameterException', 'You cannot follow yourself');
    }
    const remove = await isDelete(c);
    toggle(ctx.state.follows, me, target, !remove, ctx.clock.now());
    return ok(c, remove ? say(ctx.options.unfollowMessage, target) : `Now following ${target}`);
  });
  app.post('/:user/follow/', follow);
  app.delete('/:user/follow/', follow);

  for (const [action, rule] of Object.entries(ACTIONS)) {
    const handler = ctx.endpoint<'/:user/:slug/x/'>(action.replace('-', '_'), async (c) => {
      rateLimit(c, ctx);
      const me = requireViewer(c, ctx);
      const key = storeKey(c.req.param('user'), c.req.param('slug'));
      const cc = ctx.state.cloudcasts[key];
      if (!cc || !canView(ctx, cc, me))
        fail(404, 'ResourceNotFoundException', `No cloudcast found at ${key}`);
      const remove = await isDelete(c);
      toggle(ctx.state[rule.list], me, key, !remove, ctx.clock.now());
      return ok(c, say(ctx.options[remove ? rule.undone : rule.done], cc.name));
    });
    app.post(`/:user/:slug/${action}/`, handler);
    app.delete(`/:user/:slug/${action}/`, handler);
  }
}

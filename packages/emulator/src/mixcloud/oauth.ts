import type { EmulatorApp, EmulatorContext } from '../framework/index.js';
import type { McCtx } from './views.js';

/** The page a user sees when the app gave no redirect_uri: the code, or the denial. */
function codePage(code: string | undefined): string {
  const body = code
    ? `<p>Copy this code into the application:</p><p><code id="code">${code}</code></p>`
    : '<p id="error">access_denied: you did not authorize the application.</p>';
  return `<!doctype html><html><head><meta charset="utf-8"><title>Mixcloud authorization</title></head><body>${body}</body></html>`;
}

/** Browser OAuth (spec §2.13): authorize redirects back with a code; the code buys an access token once. */
export function oauthRoutes(app: EmulatorApp, ctx: McCtx): void {
  const authorize = ctx.endpoint('oauth_authorize', (c) => {
    const clientId = c.req.query('client_id') ?? '';
    const redirectUri = c.req.query('redirect_uri') ?? '';
    const client = ctx.state.clients[clientId];
    if (!client) return c.json({ error: 'invalid_client' }, 400);
    if (redirectUri && client.redirectUris.length > 0 && !client.redirectUris.includes(redirectUri))
      return c.json({ error: 'invalid_redirect_uri' }, 400);
    let code: string | undefined;
    if (ctx.options.autoApprove) {
      code = ctx.ids.hex(20);
      // The emulator's signed-in browser user is the first user of the seed (the token owner of the demo).
      const user = Object.values(ctx.state.tokens)[0] ?? Object.keys(ctx.state.users)[0] ?? '';
      ctx.state.codes[code] = { clientId, redirectUri, user };
    }
    // Without redirect_uri Mixcloud shows the code to the user, to paste into the app (spec §2.13 [obs]).
    if (!redirectUri) return c.html(codePage(code), 200);
    const target = new URL(redirectUri);
    if (code) target.searchParams.set('code', code);
    else target.searchParams.set('error', 'access_denied');
    return c.redirect(target.toString(), 302);
  });
  app.get('/oauth/authorize', authorize);
  app.get('/oauth/authorize/', authorize);

  const exchange = ctx.endpoint('oauth_access_token', async (c: EmulatorContext) => {
    const params = new URL(c.req.url).searchParams;
    if (c.req.method === 'POST')
      for (const [k, v] of new URLSearchParams(await c.req.text())) params.set(k, v);
    const client = ctx.state.clients[params.get('client_id') ?? ''];
    if (!client || client.secret !== params.get('client_secret'))
      return c.json({ error: 'invalid_client' }, 400);
    const code = params.get('code') ?? '';
    const grant = ctx.state.codes[code];
    if (
      !grant ||
      grant.clientId !== params.get('client_id') ||
      grant.redirectUri !== (params.get('redirect_uri') ?? '')
    )
      return c.json({ error: 'invalid_grant' }, 400);
    delete ctx.state.codes[code];
    const token = ctx.ids.hex(32);
    ctx.state.tokens[token] = grant.user;
    return c.json({ access_token: token });
  });
  for (const path of ['/oauth/access_token', '/oauth/access_token/']) {
    app.get(path, exchange);
    app.post(path, exchange);
  }
}

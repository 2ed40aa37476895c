/** OAuth2 client credentials (spec B2, B8): the token endpoint and the Bearer check of every API call. */
import { type EmulatorApp, type EmulatorContext, fail } from '../framework/index.js';
import { ApiCode, AuthCode, apiFail, type BgCtx, type BgUser } from './model.js';

/** Expired tokens are remembered this long, so they answer "expired" (4) rather than "invalid" (3). */
const EXPIRED_MEMORY_MS = 24 * 3_600_000;

export function authRoutes(app: EmulatorApp, ctx: BgCtx): void {
  const token = ctx.endpoint('token', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const grant = form.get('grant_type');
    // Python's auto-refresh sends this without any credential; client credentials issue no refresh token.
    if (grant === 'refresh_token')
      fail(400, String(AuthCode.REFRESH_TOKEN_NOT_EXIST), 'Refresh token does not exist');
    const basic = /^Basic\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!basic) fail(400, String(AuthCode.MISSING_PARAMETER), 'Missing client credentials (Basic auth)');
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const clientId = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    const client = ctx.state.clients[clientId];
    // §B8 says bad credentials are 1005; the enum also has 1003 APP_KEY_NOT_EXIST (an option).
    if (!client)
      fail(
        401,
        String(ctx.options.unknownClientCode),
        ctx.options.unknownClientCode === AuthCode.APP_KEY_NOT_EXIST
          ? 'App key does not exist'
          : 'App key does not match',
      );
    if (client.secret !== secret) fail(401, String(AuthCode.APP_KEY_NOT_MATCH), 'App key does not match');
    if (grant !== 'client_credentials')
      fail(400, String(AuthCode.INVALID_PARAMETER), 'grant_type must be client_credentials');
    const now = ctx.clock.now();
    for (const [value, issued] of Object.entries(ctx.state.tokens))
      if (issued.expires + EXPIRED_MEMORY_MS < now) delete ctx.state.tokens[value];
    // Shaped like a JWT (the real tokens are), opaque all the same.
    const accessToken = `eyJ${Buffer.from(ctx.ids.hex(48), 'hex').toString('base64url')}`;
    ctx.state.tokens[accessToken] = {
      userid: client.userid,
      expires: now + ctx.options.tokenTtlSeconds * 1000,
    };
    return c.json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ctx.options.tokenTtlSeconds,
    });
  });
  app.post('/auth/v1/token', token);
  app.post('/auth/v1/token/', token);
}

/** The user behind the request's Bearer token; 401 with code 2 (none), 3 (unknown) or 4 (expired). */
export function authenticate(c: EmulatorContext, ctx: BgCtx): BgUser {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  if (!bearer) apiFail(ApiCode.WITHOUT_VERIFY, 'Authorization is required');
  const issued = ctx.state.tokens[bearer];
  if (!issued) apiFail(ApiCode.JWT_INVALID, 'JWT is invalid');
  if (issued.expires <= ctx.clock.now()) apiFail(ApiCode.JWT_EXPIRED, 'JWT is expired');
  const user = ctx.state.users[issued.userid];
  if (!user) apiFail(ApiCode.USER_NOT_EXIST, 'User does not exist');
  return user;
}

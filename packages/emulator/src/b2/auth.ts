import type { EmulatorApp, EmulatorContext, ServiceContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import type { B2Key, B2State } from './model.js';
import type { B2EmulatorOptions } from './options.js';
import { forgetExpiredTokens } from './token-expiry.js';
import { b2Json } from './wire.js';

/** What the B2 emulator's routes and seeds work on: its state, options, clock and blobs. */
export type B2Ctx = ServiceContext<B2State, B2EmulatorOptions>;

/** The numeric API version of a `/b2api/vN/...` path. */
export function apiVersion(c: EmulatorContext): number {
  const match = /^\/b2api\/v(\d)\//.exec(c.req.path);
  const version = Number(match?.[1] ?? 2);
  if (version < 1 || version > 4) fail(404, 'not_found', `unknown API version v${version}`);
  return version;
}

/** `X-Bz-Test-Mode: force_cap_exceeded` (a real B2 header) makes any call fail as over the cap. */
export function testMode(c: EmulatorContext): string | undefined {
  return c.req.header('x-bz-test-mode')?.trim();
}

function keyFor(ctx: B2Ctx, keyId: string): B2Key | undefined {
  const key = ctx.state.keys[keyId];
  if (key) return key;
  // The account id stands for the master key id.
  if (keyId === ctx.state.accountId) return Object.values(ctx.state.keys).find((k) => k.master);
  return undefined;
}

export interface Scope {
  readonly bucketId?: string | undefined;
  /** A file name or listing prefix the call touches; must sit under the key's namePrefix. */
  readonly name?: string | undefined;
}

/** Checks the account token of an API call, its capability and its bucket/prefix restriction. */
export function requireAuth(c: EmulatorContext, ctx: B2Ctx, capability: string, scope: Scope = {}): B2Key {
  const token = c.req.header('authorization');
  if (!token) fail(401, 'missing_auth_token', 'Authorization header required');
  return checkToken(ctx, token, capability, scope, c);
}

export function checkToken(
  ctx: B2Ctx,
  token: string,
  capability: string,
  scope: Scope,
  c: EmulatorContext,
): B2Key {
  const issued = ctx.state.tokens[token];
  if (!issued) fail(401, 'bad_auth_token', 'Invalid authorization token');
  const key = ctx.state.keys[issued.keyId];
  if (!key) fail(401, 'bad_auth_token', 'Invalid authorization token');
  if (issued.expires <= ctx.clock.now()) fail(401, 'expired_auth_token', 'Authorization token has expired');
  if (testMode(c) === 'force_cap_exceeded')
    fail(403, 'transaction_cap_exceeded', 'Transaction cap exceeded.');
  authorizeKey(key, capability, scope);
  return key;
}

/** Whether a key (none for anonymous or download-authorization access) holds a capability. */
export function keyCan(key: B2Key | undefined, capability: string): boolean {
  return key?.capabilities.includes(capability) === true;
}

export function authorizeKey(key: B2Key, capability: string, scope: Scope = {}): void {
  if (!keyCan(key, capability))
    fail(401, 'unauthorized', `application key does not have the ${capability} capability`);
  if (key.bucketIds && scope.bucketId !== undefined && !key.bucketIds.includes(scope.bucketId)) {
    fail(401, 'unauthorized', `application key is restricted to bucket(s) ${key.bucketIds.join(', ')}`);
  }
  if (key.namePrefix && scope.name !== undefined && !scope.name.startsWith(key.namePrefix)) {
    fail(401, 'unauthorized', `application key is restricted to names starting with ${key.namePrefix}`);
  }
}

function parseBasic(header: string | undefined): { keyId: string; key: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { keyId: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
}

export function authorizeRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  const handler = ctx.endpoint('b2_authorize_account', (c) => {
    const version = apiVersion(c);
    const basic = parseBasic(c.req.header('authorization'));
    // A recorded malformed Basic header got `bad_auth_token` with an empty message.
    if (!basic) fail(401, 'bad_auth_token', '', { 'www-authenticate': 'BASIC realm="authorize_account"' });
    const key = keyFor(ctx, basic.keyId);
    const now = ctx.clock.now();
    if (
      !key ||
      key.applicationKey !== basic.key ||
      (key.expirationTimestamp !== null && key.expirationTimestamp <= now)
    ) {
      // Recorded against real B2: a wrong key id or key is `bad_auth_token` with an empty message.
      fail(401, 'bad_auth_token', '', { 'www-authenticate': 'BASIC realm="authorize_account"' });
    }
    if (version < 4 && key.bucketIds && key.bucketIds.length > 1) {
      fail(401, 'unsupported', 'This application key can only be used with a later version of the API');
    }
    if (testMode(c) === 'force_cap_exceeded')
      fail(403, 'transaction_cap_exceeded', 'Transaction cap exceeded.');
    const token = `4_${ctx.ids.hex(24)}_${ctx.ids.hex(8)}_acct_${Buffer.from(ctx.ids.hex(32), 'hex').toString('base64url')}=`;
    let expires = Math.min(
      now + ctx.options.tokenTtlSeconds * 1000,
      key.expirationTimestamp ?? Number.POSITIVE_INFINITY,
    );
    // `expire_some_account_authorization_tokens`: every other token is issued already expired.
    if (testMode(c) === 'expire_some_account_authorization_tokens' && ctx.ids.counter % 2 === 0)
      expires = now;
    forgetExpiredTokens(ctx);
    ctx.state.tokens[token] = { keyId: key.applicationKeyId, expires };
    const origin = ctx.origin(c);
    const buckets =
      key.bucketIds?.map((id) => ({ id, name: ctx.state.buckets[id]?.bucketName ?? null })) ?? null;
    const firstBucket = buckets?.[0];
    const storage = {
      absoluteMinimumPartSize: ctx.options.absoluteMinimumPartSize,
      apiUrl: origin,
      downloadUrl: origin,
      recommendedPartSize: ctx.options.recommendedPartSize,
      s3ApiUrl: `${origin}/s3`,
    };
    if (version <= 2) {
      return b2Json({
        ...storage,
        accountId: ctx.state.accountId,
        allowed: {
          bucketId: firstBucket?.id ?? null,
          bucketName: firstBucket?.name ?? null,
          capabilities: key.capabilities,
          namePrefix: key.namePrefix,
        },
        authorizationToken: token,
      });
    }
    const storageApi =
      version === 3
        ? {
            ...storage,
            bucketId: firstBucket?.id ?? null,
            bucketName: firstBucket?.name ?? null,
            capabilities: key.capabilities,
            infoType: 'storageApi',
            namePrefix: key.namePrefix,
          }
        : {
            ...storage,
            allowed: { buckets, capabilities: key.capabilities, namePrefix: key.namePrefix },
            capabilities: key.capabilities,
            infoType: 'storageApi',
            namePrefix: key.namePrefix,
          };
    return b2Json({
      accountId: ctx.state.accountId,
      apiInfo: { storageApi },
      applicationKeyExpirationTimestamp: key.expirationTimestamp,
      authorizationToken: token,
    });
  });
  app.get('/b2api/:version/b2_authorize_account', handler);
  app.post('/b2api/:version/b2_authorize_account', handler);
}

import type { EmulatorApp } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { type B2Ctx, requireAuth } from './auth.js';
import { ALL_CAPABILITIES, type B2Key, type B2State, BUCKET_CAPABILITIES } from './model.js';
import { apiCall } from './routes.js';
import { b2Json, fields, int, str } from './wire.js';

const KNOWN = new Set<string>(ALL_CAPABILITIES);

function keyJson(state: B2State, key: B2Key, version: number): Record<string, unknown> {
  const restriction = version >= 4 ? { bucketIds: key.bucketIds } : { bucketId: key.bucketIds?.[0] ?? null };
  return {
    accountId: state.accountId,
    applicationKeyId: key.applicationKeyId,
    ...restriction,
    capabilities: key.capabilities,
    expirationTimestamp: key.expirationTimestamp,
    keyName: key.keyName,
    namePrefix: key.namePrefix,
    options: ['s3'],
  };
}

function versionOf(path: string): number {
  return Number(/^\/b2api\/v(\d)/.exec(path)?.[1] ?? 2);
}

/** A key id in B2's shape: 25 characters, `002` + account id + an ordinal (0 is the master key). */
export function newKeyId(state: B2State, ordinal: number): string {
  return `002${state.accountId}${ordinal.toString(16).padStart(10, '0')}`;
}

export function keyRoutes(app: EmulatorApp, ctx: B2Ctx): void {
  apiCall(app, ctx, 'b2_create_key', async (c) => {
    requireAuth(c, ctx, 'writeKeys');
    const body = await fields(c);
    if (str(body, 'accountId', true) !== ctx.state.accountId)
      fail(401, 'unauthorized', 'accountId does not match');
    const capabilities = body.capabilities;
    if (
      !Array.isArray(capabilities) ||
      capabilities.length === 0 ||
      !capabilities.every((cap) => typeof cap === 'string' && KNOWN.has(cap))
    ) {
      fail(400, 'bad_request', 'capabilities must be a non-empty list of known capability names');
    }
    const keyName = str(body, 'keyName', true);
    if (!/^[A-Za-z0-9-]{1,100}$/.test(keyName))
      fail(400, 'bad_request', 'keyName must be 1-100 letters, digits and "-"');
    const duration =
      body.validDurationInSeconds === undefined
        ? undefined
        : int(body, 'validDurationInSeconds', 0, 1, 86_400_000);
    const bucketIds = Array.isArray(body.bucketIds)
      ? (body.bucketIds as string[])
      : str(body, 'bucketId')
        ? [str(body, 'bucketId') as string]
        : null;
    for (const id of bucketIds ?? [])
      if (!ctx.state.buckets[id]) fail(400, 'bad_bucket_id', `Bucket ${id} does not exist`);
    const namePrefix = str(body, 'namePrefix') ?? null;
    if (namePrefix !== null && !bucketIds)
      fail(400, 'bad_request', 'namePrefix requires a bucket restriction');
    if (bucketIds && !(capabilities as string[]).every((cap) => BUCKET_CAPABILITIES.has(cap))) {
      fail(400, 'bad_request', 'a bucket-restricted key may only carry bucket-level capabilities');
    }
    const key: B2Key = {
      applicationKeyId: newKeyId(
        ctx.state,
        Math.max(0, ...Object.keys(ctx.state.keys).map((id) => parseInt(id.slice(-10), 16))) + 1,
      ),
      applicationKey: `K002${Buffer.from(ctx.ids.hex(40), 'hex').toString('base64url').slice(0, 27)}`,
      keyName,
      capabilities: capabilities as string[],
      bucketIds,
      namePrefix,
      expirationTimestamp: duration === undefined ? null : ctx.clock.now() + duration * 1000,
      master: false,
    };
    ctx.state.keys[key.applicationKeyId] = key;
    return b2Json({ ...keyJson(ctx.state, key, versionOf(c.req.path)), applicationKey: key.applicationKey });
  });

  apiCall(app, ctx, 'b2_list_keys', async (c) => {
    requireAuth(c, ctx, 'listKeys');
    const body = await fields(c);
    if (str(body, 'accountId', true) !== ctx.state.accountId)
      fail(401, 'unauthorized', 'accountId does not match');
    const max = int(body, 'maxKeyCount', 100, 1, 10_000);
    const start = str(body, 'startApplicationKeyId');
    const keys = Object.values(ctx.state.keys)
      .filter((k) => !k.master)
      .sort((a, b) => (a.applicationKeyId < b.applicationKeyId ? -1 : 1))
      .filter((k) => start === undefined || k.applicationKeyId >= start);
    const page = keys.slice(0, max);
    return b2Json({
      keys: page.map((k) => keyJson(ctx.state, k, versionOf(c.req.path))),
      nextApplicationKeyId: keys[max]?.applicationKeyId ?? null,
    });
  });

  apiCall(app, ctx, 'b2_delete_key', async (c) => {
    requireAuth(c, ctx, 'deleteKeys');
    const body = await fields(c);
    const id = str(body, 'applicationKeyId', true);
    const key = ctx.state.keys[id];
    if (!key || key.master) fail(400, 'bad_request', `application key does not exist: ${id}`);
    delete ctx.state.keys[id];
    // Tokens of a deleted key stop working at once.
    for (const [token, issued] of Object.entries(ctx.state.tokens))
      if (issued.keyId === id) delete ctx.state.tokens[token];
    return b2Json(keyJson(ctx.state, key, versionOf(c.req.path)));
  });
}

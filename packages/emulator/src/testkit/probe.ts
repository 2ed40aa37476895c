/**
 * The probe: a small generic service that exercises every transport feature of the core (OAuth2 token,
 * bearer/cookie auth, paging, echoing uploads, ranged downloads, arbitrary statuses). It belongs to no cloud;
 * core tests and transfer benchmarks run against it.
 */
import { createHash } from 'node:crypto';
import { defineService, fail, readMultipart, serveBlob } from '../framework/index.js';

export interface ProbeOptions {
  /** Lifetime of issued access tokens, in virtual seconds. */
  readonly tokenTtlSeconds: number;
  /** How many items `/items` and `/items-offset` list. */
  readonly itemCount: number;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The probe's state: the access tokens it issued. */
export interface ProbeState {
  /** access token → expiry (virtual epoch ms). */
  tokens: Record<string, number>;
}

const KINDS = ['video', 'photo', 'video', 'photo', 'hologram'] as const;
const MAX_GENERATED = 64 * 1024 ** 3;

function item(index: number) {
  const base = {
    id: index < 3 ? `item-${index + 1}` : index + 1,
    name: `Item ${index + 1}`,
    kind: KINDS[index % KINDS.length],
  };
  // Every third item carries fields a client does not know about, as real APIs grow.
  return index % 3 === 0
    ? { ...base, created: new Date(Date.UTC(2026, 0, 1 + index)).toISOString(), extra: { rank: index } }
    : base;
}

function positiveInt(
  value: string | undefined,
  fallback: number,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > max)
    fail(400, 'invalid_parameter', `${name} must be an integer between 0 and ${max}`);
  return parsed;
}

export const probeService = defineService<ProbeState, ProbeOptions>({
  name: 'probe',
  defaultOptions: {
    tokenTtlSeconds: 3600,
    itemCount: 45,
    clientId: 'probe-client',
    clientSecret: 'probe-secret',
  },
  createState: () => ({ tokens: {} }),
  credentials: (ctx) => ({ clientId: ctx.options.clientId, clientSecret: ctx.options.clientSecret }),
  errorResponse: (error, c) =>
    c.json({ error: { code: error.code, message: error.message } }, error.status as 400),
  routes(app, ctx) {
    app.post(
      '/oauth/token',
      ctx.endpoint('token', async (c) => {
        const form = new URLSearchParams(await c.req.text());
        let clientId = form.get('client_id');
        let clientSecret = form.get('client_secret');
        const basic = /^Basic\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
        if (basic?.[1]) {
          const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
          const colon = decoded.indexOf(':');
          clientId = decodeURIComponent(decoded.slice(0, colon));
          clientSecret = decodeURIComponent(decoded.slice(colon + 1));
        }
        if (form.get('grant_type') !== 'client_credentials')
          fail(400, 'unsupported_grant_type', 'only client_credentials is supported');
        if (clientId !== ctx.options.clientId || clientSecret !== ctx.options.clientSecret)
          fail(401, 'invalid_client', 'client authentication failed');
        const token = ctx.ids.token('probe');
        ctx.state.tokens[token] = ctx.clock.now() + ctx.options.tokenTtlSeconds * 1000;
        return c.json({ access_token: token, token_type: 'Bearer', expires_in: ctx.options.tokenTtlSeconds });
      }),
    );

    app.get(
      '/me',
      ctx.endpoint('me', (c) => {
        const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
        const cookie = /(?:^|;\s*)probe_token=([^;]+)/.exec(c.req.header('cookie') ?? '')?.[1];
        const token = bearer ?? cookie;
        if (!token) fail(401, 'missing_token', 'no access token');
        const expiry = ctx.state.tokens[token];
        if (expiry === undefined) fail(401, 'invalid_token', 'unknown access token');
        if (expiry <= ctx.clock.now()) fail(401, 'expired_token', 'access token expired');
        return c.json({
          id: `user-${createHash('sha1').update(ctx.options.clientId).digest('hex').slice(0, 8)}`,
          name: 'Probe User',
        });
      }),
    );

    app.get(
      '/items',
      ctx.endpoint('items', (c) => {
        const page = Math.max(1, positiveInt(c.req.query('page'), 1, 'page'));
        const perPage = Math.max(1, positiveInt(c.req.query('per_page'), 10, 'per_page', 100));
        const total = ctx.options.itemCount;
        const start = (page - 1) * perPage;
        const items = Array.from({ length: Math.max(0, Math.min(perPage, total - start)) }, (_, i) =>
          item(start + i),
        );
        return c.json({
          items,
          page,
          per_page: perPage,
          total,
          next: start + perPage < total ? page + 1 : null,
        });
      }),
    );

    app.get(
      '/items-offset',
      ctx.endpoint('items-offset', (c) => {
        const offset = positiveInt(c.req.query('offset'), 0, 'offset');
        const limit = Math.max(1, positiveInt(c.req.query('limit'), 10, 'limit', 100));
        const total = ctx.options.itemCount;
        const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) =>
          item(offset + i),
        );
        return c.json({ data: items, offset, limit, total });
      }),
    );

    app.post(
      '/echo',
      ctx.endpoint('echo', async (c) => {
        const contentType = c.req.header('content-type') ?? '';
        if (contentType.toLowerCase().startsWith('multipart/form-data')) {
          const { fields, files } = await readMultipart(c.req.raw, {
            onFile: async (_field, stream, info) => {
              const blob = await ctx.blobs.put(stream);
              await ctx.blobs.delete(blob.id);
              return {
                filename: info.filename,
                contentType: info.mimeType,
                size: blob.size,
                sha1: blob.sha1,
                md5: blob.md5,
              };
            },
          });
          return c.json({ contentType, fields, files });
        }
        const sha1 = createHash('sha1');
        const md5 = createHash('md5');
        let size = 0;
        if (c.req.raw.body) {
          for await (const chunk of c.req.raw.body) {
            size += chunk.byteLength;
            sha1.update(chunk);
            md5.update(chunk);
          }
        }
        return c.json({ size, sha1: sha1.digest('hex'), md5: md5.digest('hex'), contentType });
      }),
    );

    const bytes = ctx.endpoint<'/bytes/:size'>('bytes', async (c) => {
      const size = positiveInt(c.req.param('size'), 0, 'size', MAX_GENERATED);
      const seed = c.req.query('seed') ?? 'probe';
      const blob = await ctx.blobs.putGenerated(size, seed, { hash: c.req.query('sha1') === '1' });
      try {
        const headers: Record<string, string> = { 'cache-control': 'no-store' };
        if (blob.sha1) headers['x-sha1'] = blob.sha1;
        return serveBlob(c, ctx.blobs, blob.id, {
          contentType: 'application/octet-stream',
          etag: `"${seed}-${size}"`,
          headers,
        });
      } finally {
        // The body streams from the seed, not from the record, so the record can go at once.
        await ctx.blobs.delete(blob.id);
      }
    });
    app.get('/bytes/:size', bytes);

    app.all(
      '/status/:code',
      ctx.endpoint<'/status/:code'>('status', (c) => {
        const code = positiveInt(c.req.param('code'), 200, 'code', 599);
        if (code < 200) fail(400, 'invalid_parameter', 'code must be 200-599');
        if (code >= 400) fail(code, `status_${code}`, `requested status ${code}`);
        return c.json({ status: code }, code as 200);
      }),
    );
  },
});

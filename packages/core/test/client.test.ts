import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AbortError,
  ApiError,
  ClientCredentialsAuth,
  ConnectionError,
  fromPath,
  InternalServerError,
  ManualClock,
  type Middleware,
  NotFoundError,
  openEnum,
  RateLimitError,
  ResponseValidationError,
  readAll,
  TimeoutError,
} from '../src/index.js';
import { createProbe, PROBE_ORIGIN } from './support/probe.js';

const sha1 = (bytes: Uint8Array | string) => createHash('sha1').update(bytes).digest('hex');

interface JournalEntry {
  endpoint: string;
  status: number;
  fault: string | null;
  method: string;
}
const journal = (control: ReturnType<typeof createProbe>['control']) =>
  (control.journal.entries() as JournalEntry[]).map((e) => `${e.endpoint}:${e.status}:${e.fault ?? '-'}`);

describe('BaseClient requests', () => {
  it('sends JSON, default headers and query, and a User-Agent naming the service', async () => {
    const { client } = createProbe();
    const seen: Request[] = [];
    const spy: Middleware = async (request, next) => {
      seen.push(request.clone());
      return next(request);
    };
    const api = client({
      defaultHeaders: { 'x-team': 'ferry' },
      defaultQuery: { lang: 'en' },
      middleware: [spy],
      userAgent: 'my-app/1.0',
    });
    const result = await api.request<{ size: number; sha1: string; contentType: string }>({
      method: 'POST',
      path: '/echo',
      query: { tags: ['a', 'b'], skip: undefined },
      body: { json: { hello: 'wörld' } },
    });
    expect(result).toMatchObject({
      size: Buffer.byteLength('{"hello":"wörld"}'),
      sha1: sha1('{"hello":"wörld"}'),
    });
    expect(result.contentType).toMatch(/^application\/json/);
    const request = seen[0]!;
    expect(request.url).toBe(`${PROBE_ORIGIN}/echo?lang=en&tags=a&tags=b`);
    expect(request.headers.get('x-team')).toBe('ferry');
    expect(request.headers.get('user-agent')).toMatch(
      /^mediaferry-probe-test\/0\.0\.0 node\/20\.\d+\.\d+ my-app\/1\.0$/,
    );
  });

  it('turns an error response into the typed error of its status, with code, message and attempts', async () => {
    const { client } = createProbe();
    const error = await client({ maxRetries: 0 })
      .request({ path: '/status/404' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({
      status: 404,
      service: 'probe',
      attempts: 1,
      request: { method: 'GET', url: `${PROBE_ORIGIN}/status/404` },
    });
    expect((error as ApiError).code).toBeTruthy();
  });

  it('retries a 503 after its Retry-After, in virtual time, and succeeds', async () => {
    const { client, control } = createProbe();
    control.faults.add({ on: 'items', status: 503, code: 'busy', retryAfter: 2, count: 2 });
    const clock = new ManualClock();
    const page = await client({ clock, maxRetries: 3 }).request<{ items: unknown[] }>({
      path: '/items',
      query: { page: 1, per_page: 5 },
    });
    expect(page.items).toHaveLength(5);
    expect(clock.sleeps).toEqual([2000, 2000]);
    expect(journal(control)).toEqual(['items:503:injected', 'items:503:injected', 'items:200:-']);
  });

  it('honours an HTTP-date Retry-After and exposes it when giving up over the cap', async () => {
    const { client, control } = createProbe();
    const clock = new ManualClock(Date.now());
    const soon = new Date(Math.ceil((Date.now() + 10_000) / 1000) * 1000).toUTCString();
    control.faults.add({ on: 'items', status: 429, code: 'slow_down', retryAfter: soon, count: 1 });
    await client({ clock }).request({ path: '/items' });
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(8_000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(11_000);

    control.faults.add({ on: 'items', status: 429, code: 'slow_down', retryAfter: 3600, count: 1 });
    const error = await client({ clock })
      .request({ path: '/items' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3_600_000);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('gives up after maxRetries with the last error and the attempt count', async () => {
    const { client, control } = createProbe();
    control.faults.add({ on: 'items', status: 500, count: -1 });
    const clock = new ManualClock();
    const error = await client({ clock, maxRetries: 2 })
      .request({ path: '/items' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as ApiError).attempts).toBe(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('never re-sends a one-shot stream body, but replays a file body', async () => {
    const { client, control } = createProbe();
    const clock = new ManualClock();
    control.faults.add({ on: 'echo', status: 503, count: 1 });
    const oneShot = Readable.from([Buffer.from('stream body')]);
    const error = await client({ clock })
      .request({ method: 'POST', path: '/echo', body: { source: oneShot } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(journal(control)).toEqual(['echo:503:injected']);
    expect(clock.sleeps).toEqual([]);

    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = `${await mkdtemp(`${tmpdir()}/mf-`)}/body.bin`;
    await writeFile(path, 'file body');
    control.faults.add({ on: 'echo', status: 503, count: 1 });
    const echoed = await client({ clock }).request<{ size: number; sha1: string }>({
      method: 'POST',
      path: '/echo',
      body: { source: fromPath(path) },
    });
    expect(echoed).toMatchObject({ size: 9, sha1: sha1('file body') });
  });

  it('retries a connection reset before the response', async () => {
    const { client, control } = createProbe();
    control.wireFaults.add({ on: 'items', kind: 'reset_before_response', count: 1 });
    const clock = new ManualClock();
    const page = await client({ clock }).request<{ items: unknown[] }>({ path: '/items' });
    expect(page.items.length).toBeGreaterThan(0);
    const entries = control.journal.entries() as JournalEntry[];
    expect(entries.map((e) => `${e.endpoint}:${e.fault ?? '-'}`)).toEqual([
      'items:reset_before_response',
      'items:-',
    ]);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('times out a stalled attempt, then retries', async () => {
    const { client, control } = createProbe();
    control.wireFaults.add({ on: 'items', kind: 'stall', ms: 5_000, count: 1 });
    const page = await client({ timeout: 100, retry: { baseDelayMs: 1 } }).request<{ items: unknown[] }>({
      path: '/items',
    });
    expect(page.items.length).toBeGreaterThan(0);
    control.wireFaults.add({ on: 'items', kind: 'stall', ms: 5_000, count: 1 });
    const timedOut = await client({ timeout: 50, maxRetries: 0 })
      .request({ path: '/items' })
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect(timedOut).toBeInstanceOf(ConnectionError);
  });

  it('an abort during the backoff sleep ends the call at once with AbortError', async () => {
    const { client, control } = createProbe();
    control.faults.add({ on: 'items', status: 503, retryAfter: 30, count: 1 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = client().request({ path: '/items', signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user gave up')), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toEqual(new Error('user gave up'));
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('runs middleware per attempt, in order, inside the retry loop', async () => {
    const { client, control } = createProbe();
    control.faults.add({ on: 'items', status: 502, count: 1 });
    const calls: string[] = [];
    const outer: Middleware = async (request, next, context) => {
      calls.push(`outer#${context.attempt}`);
      return next(request);
    };
    const inner: Middleware = async (request, next, context) => {
      calls.push(`inner#${context.attempt}`);
      const response = await next(request);
      calls.push(`status ${response.status}`);
      return response;
    };
    await client({ middleware: [outer, inner], clock: new ManualClock() }).request({ path: '/items' });
    expect(calls).toEqual(['outer#0', 'inner#0', 'status 502', 'outer#1', 'inner#1', 'status 200']);
  });
});

describe('response validation', () => {
  const item = z.looseObject({
    id: z.union([z.string(), z.number()]),
    name: z.string(),
    kind: openEnum(['video', 'photo']),
  });
  const page = z.looseObject({ items: z.array(item), total: z.number() });

  it('tolerates unknown fields and unknown enum values even in strict mode', async () => {
    const { client } = createProbe();
    const result = await client({ validate: 'strict' }).request({
      path: '/items',
      query: { per_page: 100 },
      schema: page,
    });
    const kinds = new Set(result.items.map((i) => i.kind));
    expect([...kinds].some((k) => k !== 'video' && k !== 'photo')).toBe(true);
    expect(result.items.some((i) => Object.keys(i).length > 3)).toBe(true);
  });

  it('strict throws on any mismatch; warn drops a bad optional value, logs it, and returns parsed data', async () => {
    const { client } = createProbe();
    const wrong = z.object({ items: z.array(z.object({ id: z.boolean() })) });
    const error = await client({ validate: 'strict' })
      .request({ path: '/items', schema: wrong })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).issues[0]?.path).toMatch(/^items\.0\.id$/);
    // A required field of the wrong type is never handed over under the declared type, whatever the mode.
    for (const validate of ['warn', 'off'] as const) {
      const failure = await client({ validate })
        .request({ path: '/items', schema: wrong })
        .catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ResponseValidationError);
      expect((failure as ResponseValidationError).body).toMatchObject({ items: expect.any(Array) });
    }
    const optionalWrong = z.looseObject({
      items: z.array(z.looseObject({ name: z.string(), id: z.boolean().optional() })),
      total: z.number().transform((n) => `${n} items`),
    });
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m), error() {} };
    const data = await client({ validate: 'warn', logger }).request({
      path: '/items',
      schema: optionalWrong,
    });
    expect(data.total).toMatch(/^\d+ items$/);
    expect(data.items.every((item) => item.id === undefined && typeof item.name === 'string')).toBe(true);
    expect(warnings).toHaveLength(1);
    await expect(
      client({ validate: 'strict' }).request({ path: '/items', schema: optionalWrong }),
    ).rejects.toBeInstanceOf(ResponseValidationError);
  });
});

describe('auth', () => {
  const credentials = {
    tokenUrl: `${PROBE_ORIGIN}/oauth/token`,
    clientId: 'probe-client',
    clientSecret: 'probe-secret',
  };

  it('obtains a client-credentials token once and uses it', async () => {
    const { client, control } = createProbe();
    const auth = new ClientCredentialsAuth(credentials);
    const api = client({}, auth);
    const [a, b] = await Promise.all([
      api.request<{ id: string }>({ path: '/me' }),
      api.request<{ id: string }>({ path: '/me' }),
    ]);
    expect(a.id).toBe(b.id);
    expect(journal(control).filter((e) => e.startsWith('token'))).toEqual(['token:200:-']);
  });

  it('refreshes once for 20 concurrent 401s and replays every call', async () => {
    const { client, control } = createProbe();
    const auth = new ClientCredentialsAuth(credentials);
    const api = client({}, auth);
    await api.request({ path: '/me' });
    // The server's clock moves past the token's expiry; the client's does not know it yet.
    control.clock.advance(3_700_000);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api.request<{ id: string }>({ path: '/me' })),
    );
    expect(results).toHaveLength(20);
    const entries = journal(control);
    expect(entries.filter((e) => e.startsWith('token'))).toEqual(['token:200:-', 'token:200:-']);
    expect(entries.filter((e) => e === 'me:401:-')).toHaveLength(20);
    expect(entries.filter((e) => e === 'me:200:-')).toHaveLength(21);
    expect(auth.cache.exchanges).toBe(2);
  });

  it('renews a token about to expire before using it', async () => {
    const { client, control } = createProbe({ tokenTtlSeconds: 60 });
    const clock = new ManualClock(Date.now());
    const auth = new ClientCredentialsAuth({ ...credentials, skewMs: 30_000 });
    const api = client({ clock }, auth);
    await api.request({ path: '/me' });
    clock.advance(31_000);
    await api.request({ path: '/me' });
    expect(journal(control)).toEqual(['token:200:-', 'me:200:-', 'token:200:-', 'me:200:-']);
  });

  it('sends renewals to refreshUrl when one is given, still as a client-credentials grant', async () => {
    const { client } = createProbe({ tokenTtlSeconds: 60 });
    const clock = new ManualClock(Date.now());
    const tokenCalls: string[] = [];
    const watch: Middleware = async (request, next) => {
      if (request.url.includes('/oauth/token'))
        tokenCalls.push(`${request.url} ${await request.clone().text()}`);
      return next(request);
    };
    const auth = new ClientCredentialsAuth({
      ...credentials,
      refreshUrl: `${PROBE_ORIGIN}/oauth/token?renewal=1`,
    });
    const api = client({ clock, middleware: [watch] }, auth);
    await api.request({ path: '/me' });
    clock.advance(31_000);
    await api.request({ path: '/me' });
    expect(tokenCalls).toEqual([
      `${PROBE_ORIGIN}/oauth/token grant_type=client_credentials`,
      `${PROBE_ORIGIN}/oauth/token?renewal=1 grant_type=client_credentials`,
    ]);
  });

  it('a wrong client secret is an authentication error without a refresh loop', async () => {
    const { client, control } = createProbe();
    const api = client({}, new ClientCredentialsAuth({ ...credentials, clientSecret: 'wrong-secret-value' }));
    const error = await api.request({ path: '/me' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(journal(control)).toEqual(['token:401:-']);
  });
});

describe('streamed responses', () => {
  it('streams a body with progress and a matching length', async () => {
    const { client } = createProbe();
    const progress: number[] = [];
    const response = await client().stream({
      path: '/bytes/3000000',
      query: { seed: 's1' },
      onDownloadProgress: (p) => progress.push(p.loaded),
    });
    expect(response.contentLength).toBe(3_000_000);
    const bytes = await readAll(response.body);
    expect(bytes.byteLength).toBe(3_000_000);
    expect(progress.at(-1)).toBe(3_000_000);
    const again = await readAll(
      (await client().stream({ path: '/bytes/3000000', query: { seed: 's1' } })).body,
    );
    expect(sha1(again)).toBe(sha1(bytes));
  });

  it('a reset mid-body is a ConnectionError while reading', async () => {
    const { client, control } = createProbe();
    control.wireFaults.add({ on: 'bytes', kind: 'reset_mid_body', afterBytes: 1000, count: 1 });
    const response = await client().stream({ path: '/bytes/100000' });
    const error = await readAll(response.body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it('an idle body times out', async () => {
    const { client, control } = createProbe();
    control.wireFaults.add({ on: 'bytes', kind: 'stall', ms: 5_000, count: 1 });
    const error = await client({ timeout: 50, maxRetries: 0 })
      .stream({ path: '/bytes/10' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
  });
});

describe('BaseClient request log', () => {
  const capture = () => {
    const lines: string[] = [];
    const write = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
    return {
      lines,
      logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') },
    };
  };

  it('logs each request and its answer at debug, with secret query parameters hidden, and nothing above it', async () => {
    const { client } = createProbe();
    const debug = capture();
    await client({ logger: debug.logger, logLevel: 'debug' }).request({
      path: '/items',
      query: { access_token: 'query-secret-123', page: '2' },
    });
    expect(debug.lines).toEqual([
      expect.stringMatching(/^debug → GET .*\/items\?access_token=\[REDACTED\]&page=2$/),
      expect.stringMatching(/^debug ← 200 GET .*\/items\?access_token=\[REDACTED\]&page=2 \d+ ms$/),
    ]);

    const info = capture();
    await client({ logger: info.logger, logLevel: 'info' }).request({ path: '/items' });
    expect(info.lines).toEqual([]);
  });
});

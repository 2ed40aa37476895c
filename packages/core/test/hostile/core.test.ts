/**
 * The core against a hostile server (issue 18): what every client inherits. Each test runs its own
 * 127.0.0.1 server (and a "foreign" one recording what reaches it); waits run on a virtual clock.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { ProxyAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  BaseClient,
  BearerAuth,
  type ClientOptions,
  ConnectionError,
  CookieAuth,
  IntegrityError,
  InternalServerError,
  ManualClock,
  MediaferryError,
  type Progress,
  QueryTokenAuth,
  RateLimitError,
  ResponseTooLargeError,
  ResponseValidationError,
  rangeOpener,
  readAll,
  type ServiceProfile,
  saveToFile,
  TimeoutError,
  UntrustedOriginError,
} from '../../src/index.js';
import { hostileServer, json, leaked, resetAfter, trickle } from './server.js';

const profile: ServiceProfile = { name: 'hostile', userAgent: 'mediaferry-hostile-test/0' };
const SECRET = 'tok-SECRET-0123456789';

function client(
  origin: string,
  options: Omit<ClientOptions, 'baseUrl'> = {},
  auth?: ConstructorParameters<typeof BaseClient>[2],
) {
  return new BaseClient({ baseUrl: origin, clock: new ManualClock(), ...options }, profile, auth);
}

/** Rejects with a typed error: never a TypeError, RangeError or SyntaxError. */
async function typedFailure(promise: Promise<unknown>): Promise<MediaferryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(MediaferryError);
  return error as MediaferryError;
}

describe('credentials go only to their own origin', () => {
  it.each([
    ['bearer', () => new BearerAuth(SECRET)],
    ['query', () => new QueryTokenAuth('access_token', SECRET)],
    ['cookie', () => new CookieAuth('sid', SECRET)],
  ])('%s credentials: an absolute URL elsewhere is fetched without them, or refused', async (_n, auth) => {
    const api = await hostileServer((_q, s) => json(s, 200, { ok: true }));
    const foreign = await hostileServer((_q, s) => json(s, 200, { ok: true }));
    const http = client(
      api.origin,
      {
        defaultHeaders: { 'x-api-key': SECRET, 'x-team': 'ferry' },
        defaultQuery: { token: SECRET, lang: 'en' },
      },
      auth(),
    );
    await http.request({ path: '/mine' });
    expect(leaked(api.requests, SECRET)).toHaveLength(1);
    await http.request({ path: `${foreign.origin}/collect/?metadata=1` });
    expect(leaked(foreign.requests, SECRET)).toEqual([]);
    // Harmless defaults still go along.
    expect(foreign.requests[0]?.headers['x-team']).toBe('ferry');
    expect(foreign.requests[0]?.url).toBe('/collect/?metadata=1&lang=en');
    const refused = await typedFailure(
      http.request({ path: `${foreign.origin}/me`, credentials: 'required' }),
    );
    expect(refused).toBeInstanceOf(UntrustedOriginError);
    expect(foreign.requests).toHaveLength(1);
  });

  it('a redirect to another origin drops the credentials (fetch follows it without them)', async () => {
    const foreign = await hostileServer((_q, s) => json(s, 200, { ok: true }));
    const api = await hostileServer((_q, s) => {
      s.writeHead(302, { location: `${foreign.origin}/landing` });
      s.end();
    });
    for (const auth of [new BearerAuth(SECRET), new CookieAuth('sid', SECRET)])
      await client(api.origin, {}, auth).request({ path: '/jump' });
    expect(foreign.requests).toHaveLength(2);
    expect(leaked(foreign.requests, SECRET)).toEqual([]);
  });
});

describe('every wait is bounded', () => {
  it.each(['3600', '99999999999', 'Wed, 01 Jan 2098 00:00:00 GMT'])(
    'Retry-After %s is not waited: a RateLimitError carrying retryAfterMs, at once',
    async (retryAfter) => {
      const api = await hostileServer((_q, s) =>
        json(s, 503, { error: 'busy' }, { 'retry-after': retryAfter }),
      );
      const clock = new ManualClock();
      const error = await typedFailure(client(api.origin, { clock }).request({ path: '/x' }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect(error).toBeInstanceOf(InternalServerError);
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(60_000);
      expect(clock.sleeps).toEqual([]);
      expect(api.requests).toHaveLength(1);
    },
  );

  it('a usable Retry-After is honoured within maxRetries; garbage or negative means backoff', async () => {
    let n = 0;
    const hints = ['2', '-5', 'soon'];
    const api = await hostileServer((_q, s) => json(s, 503, {}, { 'retry-after': hints[n++ % 3]! }));
    const clock = new ManualClock();
    await typedFailure(
      client(api.origin, { clock, maxRetries: 2, retry: { jitter: 0 } }).request({ path: '/x' }),
    );
    expect(api.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([2000, 1000]);
  });

  it('a download trickling faster than idleTimeout hits the overall deadline (timeout)', async () => {
    const api = await hostileServer((_q, s) =>
      trickle(s, { 'content-type': 'application/octet-stream' }, Buffer.from('x'), 10),
    );
    const started = performance.now();
    const response = await client(api.origin, { timeout: 300, idleTimeout: 200 }).stream({ path: '/slow' });
    const error = await typedFailure(readAll(response.body));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('transferTimeout extends the deadline; the throughput guard still stops a trickle', async () => {
    const api = await hostileServer((_q, s) =>
      trickle(s, { 'content-type': 'application/octet-stream' }, Buffer.alloc(8), 20),
    );
    const http = client(api.origin, {
      timeout: 200,
      transferTimeout: 60_000,
      minThroughput: { bytesPerSecond: 10_000, windowMs: 250 },
    });
    const started = performance.now();
    const error = await typedFailure(readAll((await http.stream({ path: '/slow' })).body));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/minimum/);
    expect(performance.now() - started).toBeGreaterThan(200);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('a 2xx is success only when its body proves it', () => {
  it('bodies that are not JSON, null, or the wrong shape are ResponseValidationError, redacted', async () => {
    const bodies = [`{"token":"${SECRET}", oops`, 'null', '{"items": "nope"}', '<html>hi</html>'];
    let n = 0;
    const api = await hostileServer((_q, s) => {
      s.writeHead(200, { 'content-type': 'application/json' });
      s.end(bodies[n++]);
    });
    const http = client(api.origin, {}, new BearerAuth(SECRET));
    const schema = z.looseObject({ items: z.array(z.string()) });
    for (const _ of bodies) {
      const error = await typedFailure(http.request({ path: '/x', schema }));
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(JSON.stringify((error as ResponseValidationError).body ?? '')).not.toContain(SECRET);
      expect(error.message).not.toContain(SECRET);
    }
  });

  it('a service hook that trips over a body is a typed error too', async () => {
    const api = await hostileServer((_q, s) => json(s, 200, null));
    const http = new BaseClient(
      { baseUrl: api.origin },
      {
        ...profile,
        successBodyError: (body) => ((body as { error: unknown }).error ? {} : undefined),
      },
    );
    expect(await typedFailure(http.request({ path: '/x' }))).toBeInstanceOf(ResponseValidationError);
  });
});

describe('bounded bodies', () => {
  it('a gzip bomb (255 KB → 256 MiB) is refused past the cap, memory flat', async () => {
    const bomb = gzipOfZeros(256 * 1024 * 1024);
    expect(bomb.byteLength).toBeLessThan(300 * 1024);
    const api = await hostileServer((_q, s) => {
      s.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      s.end(bomb);
    });
    const before = process.memoryUsage().rss;
    const error = await typedFailure(client(api.origin).request({ path: '/bomb' }));
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limit).toBe(64 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('a 200 MB JSON body stops being read at the cap (the server sends little more)', async () => {
    let written = 0;
    let closedAt = -1;
    const api = await hostileServer((_q, s) => {
      s.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = () => {
        while (written < 200 * 1024 * 1024 && !s.destroyed) {
          written += chunk.byteLength;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      s.on('close', () => {
        closedAt = written;
      });
      pump();
    });
    const error = await typedFailure(
      client(api.origin, { maxResponseBytes: 8 * 1024 * 1024 }).text({ path: '/big' }),
    );
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    for (let i = 0; i < 100 && closedAt < 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    // The client hung up: the server wrote the cap plus what socket buffers hold, not 200 MB.
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt).toBeLessThan(40 * 1024 * 1024);
  });
});

describe('an answer lost while it is read', () => {
  it('is retried for an idempotent call, never for a POST', async () => {
    let n = 0;
    const api = await hostileServer((_q, s) => {
      if (n++ === 0)
        resetAfter(s, 200, { 'content-type': 'application/json', 'content-length': '100' }, '{"files": [');
      else json(s, 200, { files: [] });
    });
    const clock = new ManualClock();
    expect(await client(api.origin, { clock }).request({ path: '/list' })).toEqual({ files: [] });
    expect(api.requests).toHaveLength(2);
    n = 0;
    const error = await typedFailure(
      client(api.origin, { clock }).request({ method: 'POST', path: '/create' }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(api.requests).toHaveLength(3);
    n = 0;
    await client(api.origin, { clock }).request({ method: 'POST', path: '/list2', idempotent: true });
    expect(api.requests).toHaveLength(5);
  });
});

describe('every saved file is proven complete', () => {
  const dest = async () => join(await mkdtemp(join(tmpdir(), 'mf-hostile-')), 'clip.mp4');
  const content = (version: string, size = 1000) => Buffer.alloc(size, version);

  it('a chunked body ending short of nothing announced is refused: nothing under the final name', async () => {
    const api = await hostileServer((_q, s) => {
      s.writeHead(200, { 'content-type': 'video/mp4' });
      s.end(content('a', 300));
    });
    const http = client(api.origin);
    const path = await dest();
    const error = await typedFailure(saveToFile(rangeOpener(http, { path: '/f' }), path));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(await readdir(join(path, '..'))).toEqual([]);
    const sized = await typedFailure(
      saveToFile(rangeOpener(http, { path: '/f' }), path, { expectedSize: 1000 }),
    );
    expect(sized).toBeInstanceOf(IntegrityError);
    expect(await readdir(join(path, '..'))).toEqual([]);
  });

  it('an HTML page with 200 is never saved as media', async () => {
    const api = await hostileServer((_q, s) => {
      s.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': '14' });
      s.end('<html>hi</html');
    });
    const path = await dest();
    const error = await typedFailure(
      saveToFile(rangeOpener(client(api.origin), { path: '/f' }), path, { refuseHtml: true }),
    );
    expect(error).toBeInstanceOf(IntegrityError);
    expect(await readdir(join(path, '..'))).toEqual([]);
  });

  it('a resume answered with another ETag (or a 200) restarts: never two versions spliced', async () => {
    let n = 0;
    const api = await hostileServer((q, s) => {
      n += 1;
      if (n === 1) {
        resetAfter(
          s,
          200,
          { etag: '"v1"', 'accept-ranges': 'bytes', 'content-length': '1000', 'content-type': 'video/mp4' },
          content('1').subarray(0, 400),
        );
      } else if (q.headers.range) {
        s.writeHead(206, { etag: '"v2"', 'content-range': 'bytes 400-999/1000', 'content-length': '600' });
        s.end(content('2').subarray(400));
      } else {
        s.writeHead(200, { etag: '"v2"', 'accept-ranges': 'bytes', 'content-length': '1000' });
        s.end(content('2'));
      }
    });
    const path = await dest();
    const events: Progress[] = [];
    const saved = await saveToFile(rangeOpener(client(api.origin), { path: '/f' }), path, {
      onProgress: (p) => events.push(p),
    });
    expect(saved.size).toBe(1000);
    expect(await readFile(path)).toEqual(content('2'));
    expect(api.requests[1]?.headers['if-range']).toBe('"v1"');
    expect(api.requests[1]?.headers.range).toBe('bytes=400-');
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(Math.max(...loaded)).toBe(1000);
  });
});

describe('fetchOptions.dispatcher (a proxy) applies to streamed uploads too', () => {
  it('a streamed upload and a JSON call both go through the proxy', async () => {
    const target = await hostileServer((_q, s, body) => json(s, 200, { received: body.byteLength }));
    const tunnels: string[] = [];
    const proxy = await connectProxy(tunnels);
    const dispatcher = new ProxyAgent(proxy.origin);
    try {
      const http = client(target.origin, { fetchOptions: { dispatcher } });
      const stream = Readable.from([Buffer.alloc(50_000, 1), Buffer.alloc(50_000, 2)]);
      const answer = await http.request<{ received: number }>({
        method: 'POST',
        path: '/upload',
        body: { source: stream, size: 100_000 },
      });
      expect(answer.received).toBe(100_000);
      // The upload came first, through the proxy's tunnel (not straight to the target).
      const host = new URL(target.origin).host;
      expect(tunnels).toEqual([host]);
      await http.request({ path: '/ping' });
      expect(target.requests.map((r) => r.url)).toEqual(['/upload', '/ping']);
    } finally {
      await dispatcher.close();
      await proxy.close();
    }
  });
});

/** A gzip bomb: 1 MiB of zeros compressed once (≈1 KB), repeated as concatenated gzip members. */
function gzipOfZeros(size: number): Buffer {
  const member = gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: Math.ceil(size / (1024 * 1024)) }, () => member));
}

/** An HTTP proxy that tunnels CONNECT to 127.0.0.1 only, recording each target. */
async function connectProxy(tunnels: string[]) {
  const { createServer } = await import('node:http');
  const { connect } = await import('node:net');
  const sockets = new Set<import('node:stream').Duplex>();
  const server = createServer((_q, s) => {
    s.writeHead(405);
    s.end();
  });
  server.on('connect', (request, socket, head) => {
    const [host, port] = (request.url ?? '').split(':');
    tunnels.push(request.url ?? '');
    if (host !== '127.0.0.1') return void socket.destroy();
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    for (const s of [socket, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as import('node:net').AddressInfo;
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The socket download path (issue 16) against servers that speak HTTP/1.1 oddly or badly: heads split into
 * single bytes, informational answers first, chunked bodies with extensions and trailers, malformed chunks,
 * contradictory lengths, bodies cut mid-way, redirects; and parallel ranges that are cut, or of another version.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyLeases } from '../../src/body/leases.js';
import {
  BaseClient,
  BearerAuth,
  ConnectionError,
  IntegrityError,
  MediaferryError,
  rangeOpener,
  readAll,
  saveRangesToFile,
  saveToFile,
} from '../../src/index.js';
import { hostileServer, leaked } from './server.js';

const profile = { name: 'hostile', userAgent: 'mediaferry-hostile-test/0' };
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const dest = async () => join(await mkdtemp(join(tmpdir(), 'mf-socket-')), 'clip.mp4');
const body = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31) % 251));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A raw TCP server: `answer` writes whatever bytes it likes once the request head has arrived. */
async function rawServer(answer: (socket: Socket, head: string) => Promise<void> | void): Promise<string> {
  const server = createServer((socket) => {
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        socket.removeAllListeners('data');
        Promise.resolve(answer(socket, head)).catch(() => socket.destroy());
      }
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** Writes `bytes` one write at a time, each flushed before the next (so the client gets them apart). */
async function dribble(socket: Socket, pieces: readonly (string | Uint8Array)[]): Promise<void> {
  for (const piece of pieces) await new Promise<void>((resolve) => socket.write(piece, () => resolve()));
}

async function failure(promise: Promise<unknown>): Promise<MediaferryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaferryError);
  return error as MediaferryError;
}

const http = (origin: string, options: { maxRetries?: number } = {}) =>
  new BaseClient({ baseUrl: origin, maxRetries: options.maxRetries ?? 0 }, profile);

/** The range opener `saveRangesToFile` takes: GET /f for each range, only a 206 counting as success. */
const rangesOf = (client: BaseClient) => (range: { start: number; end: number }, signal: AbortSignal) =>
  client.stream({
    path: '/f',
    signal,
    headers: { range: `bytes=${range.start}-${range.end}` },
    okStatus: (s) => s === 206,
  });

describe('socket downloads read HTTP/1.1 as it comes', () => {
  it('a head in single bytes after 100 and 103, a chunked body with extensions and trailers', async () => {
    const chunks = [body.subarray(0, 1), body.subarray(1, 70_000), body.subarray(70_000)];
    const origin = await rawServer(async (socket) => {
      const head = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </x>\r\n\r\n'.concat(
        'HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ntransfer-encoding: chunked\r\netag: "v1"\r\n\r\n',
      );
      await dribble(socket, [...head].slice(0, 60));
      await dribble(socket, [head.slice(60)]);
      for (const [i, chunk] of chunks.entries())
        await dribble(socket, [
          `${chunk.byteLength.toString(16)}${i === 1 ? ';ext=1' : ''}\r\n`,
          chunk,
          '\r\n',
        ]);
      await dribble(socket, ['0\r\nx-trailer: yes\r\n\r\n']);
      socket.end();
    });
    const path = await dest();
    const saved = await saveToFile(rangeOpener(http(origin), { path: '/f' }), path, {
      hash: 'sha1',
      allowUnknownSize: true,
    });
    expect(saved).toMatchObject({ size: body.byteLength, digest: sha1(body) });
    expect(await readFile(path)).toEqual(body);
  });

  it('connections read at once stay apart: heads split across reads, bodies interleaved, one reader slow', async () => {
    // Every connection reads into the same buffer: each must have its bytes out of it before the next read.
    const bodies = [0, 1, 2, 3].map((n) =>
      Buffer.from(Array.from({ length: 3_000_000 + n * 7_919 }, (_, i) => (i * (n + 3) + n) % 256)),
    );
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Each connection sends the start of its head, then waits until all have: the client reads those
    // starts (and keeps them) before any other byte arrives, on any connection.
    let started = 0;
    let startedAll = () => {};
    const allStarted = new Promise<void>((resolve) => {
      startedAll = resolve;
    });
    const origin = await rawServer(async (socket, head) => {
      const n = Number(/GET \/f(\d)/.exec(head)?.[1]);
      const bytes = bodies[n]!;
      const answer = `HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\ncontent-length: ${bytes.byteLength}\r\n\r\n`;
      await dribble(socket, [answer.slice(0, 17 + n)]);
      started += 1;
      if (started === bodies.length) startedAll();
      await allStarted;
      await pause(50 + 30 * n);
      await dribble(socket, [answer.slice(17 + n)]);
      for (let at = 0; at < bytes.byteLength; at += 65_537 + n * 1_000)
        await dribble(socket, [bytes.subarray(at, at + 65_537 + n * 1_000)]);
      socket.end();
    });
    const client = http(origin);
    const received = await Promise.all(
      bodies.map(async (_, n) => {
        const response = await client.stream({ path: `/f${n}` });
        const chunks: Uint8Array[] = [];
        // The first reader holds each slab a while: its socket pauses with bytes of a read left over, which
        // must be kept apart while the other connections read.
        for await (const lease of bodyLeases(response.body)) {
          chunks.push(new Uint8Array(lease.bytes));
          if (n === 0) await pause(20);
          lease.release();
        }
        return Buffer.concat(chunks);
      }),
    );
    received.forEach((bytes, n) => {
      expect(bytes.byteLength).toBe(bodies[n]!.byteLength);
      expect(sha1(bytes)).toBe(sha1(bodies[n]!));
    });
  });

  it('connections that all wait for slabs at once keep their bytes apart', async () => {
    // Every reader is slow: each connection pauses with bytes read into a parking buffer, which goes back to a
    // shared stock once its bytes are in a slab and reading is back in slabs. None may be read into twice.
    const bodies = [0, 1, 2, 3, 4, 5].map((n) =>
      Buffer.from(
        Array.from({ length: 4_000_000 + n * 10_007 }, (_, i) => (i * (n + 5) + (i >> 9) + n) % 256),
      ),
    );
    const origin = await rawServer(async (socket, head) => {
      const n = Number(/GET \/f(\d)/.exec(head)?.[1]);
      const bytes = bodies[n]!;
      await dribble(socket, [`HTTP/1.1 200 OK\r\ncontent-length: ${bytes.byteLength}\r\n\r\n`]);
      for (let at = 0; at < bytes.byteLength; at += 300_000 + n * 1_001)
        await dribble(socket, [bytes.subarray(at, at + 300_000 + n * 1_001)]);
      socket.end();
    });
    const client = http(origin);
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const received = await Promise.all(
      bodies.map(async (_, n) => {
        const response = await client.stream({ path: `/f${n}` });
        const hash = createHash('sha1');
        let length = 0;
        for await (const lease of bodyLeases(response.body)) {
          hash.update(lease.bytes);
          length += lease.bytes.byteLength;
          await pause(3 + n);
          lease.release();
        }
        return { length, digest: hash.digest('hex') };
      }),
    );
    received.forEach((got, n) => {
      expect(got).toEqual({ length: bodies[n]!.byteLength, digest: sha1(bodies[n]!) });
    });
  });

  it.each(['content-length', 'chunked'])(
    'bytes lent while the socket fills the rest of their slab stay as they were (%s)',
    async (framing) => {
      // The body is read straight into slabs; a reader waiting between reads is lent the part filled so far
      // while later reads land behind it in the same slab. Each lease is held until the next one arrives,
      // then checked against what the server sent.
      const bytes = Buffer.from(Array.from({ length: 2_500_000 }, (_, i) => (i * 13 + (i >> 12)) % 256));
      const origin = await rawServer(async (socket) => {
        const chunked = framing === 'chunked';
        await dribble(socket, [
          `HTTP/1.1 200 OK\r\ncontent-type: video/mp4\r\n${chunked ? 'transfer-encoding: chunked' : `content-length: ${bytes.byteLength}`}\r\n\r\n`,
        ]);
        for (let at = 0, n = 0; at < bytes.byteLength; n += 1) {
          const piece = bytes.subarray(at, at + 20_000 + ((n * 7_919) % 90_000));
          await dribble(socket, chunked ? [`${piece.byteLength.toString(16)}\r\n`, piece, '\r\n'] : [piece]);
          at += piece.byteLength;
        }
        if (chunked) await dribble(socket, ['0\r\n\r\n']);
        socket.end();
      });
      const response = await http(origin).stream({ path: '/f' });
      let held: { lease: { bytes: Uint8Array; release(): void }; at: number } | undefined;
      let at = 0;
      let sharedSlab = 0;
      for await (const lease of bodyLeases(response.body)) {
        if (held) {
          expect(
            Buffer.from(held.lease.bytes).equals(
              bytes.subarray(held.at, held.at + held.lease.bytes.byteLength),
            ),
          ).toBe(true);
          if (held.lease.bytes.buffer === lease.bytes.buffer) sharedSlab += 1;
          held.lease.release();
        }
        held = { lease, at };
        at += lease.bytes.byteLength;
      }
      expect(held && Buffer.from(held.lease.bytes).equals(bytes.subarray(held.at))).toBe(true);
      held?.lease.release();
      expect(at).toBe(bytes.byteLength);
      // The case this test is for did happen: consecutive leases were parts of one slab.
      expect(sharedSlab).toBeGreaterThan(0);
    },
  );

  it('the request carries the client headers, the Range asked and no body', async () => {
    let seen = '';
    const origin = await rawServer((socket, head) => {
      seen = head;
      socket.end(
        'HTTP/1.1 206 Partial Content\r\ncontent-range: bytes 5-9/10\r\ncontent-length: 5\r\n\r\nhello',
      );
    });
    const response = await new BaseClient({ baseUrl: origin }, profile, new BearerAuth('tok')).stream({
      path: '/f?x=1',
      headers: { range: 'bytes=5-9' },
    });
    expect(new TextDecoder().decode(await readAll(response.body))).toBe('hello');
    expect(seen).toMatch(/^GET \/f\?x=1 HTTP\/1\.1\r\n/);
    expect(seen).toMatch(/\r\nrange: bytes=5-9\r\n/);
    expect(seen).toMatch(/\r\nauthorization: Bearer tok\r\n/);
    expect(seen).toMatch(/\r\nuser-agent: mediaferry-hostile-test\/0/);
  });

  it.each([
    ['a malformed chunk size', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
    [
      'a chunk longer than its size',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n',
    ],
    [
      'a chunked body cut before its last chunk',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n',
    ],
    [
      'two different Content-Lengths',
      'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabcd',
    ],
    ['a body shorter than its Content-Length', 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc'],
    ['a status line that is not HTTP', 'HTTP/2 200\r\ncontent-length: 3\r\n\r\nabc'],
    ['a folded header', 'HTTP/1.1 200 OK\r\nx-a: 1\r\n  folded\r\ncontent-length: 3\r\n\r\nabc'],
  ])('%s is a ConnectionError and nothing is saved', async (_name, answer) => {
    const origin = await rawServer((socket) => {
      socket.end(answer);
    });
    const path = await dest();
    const error = await failure(
      saveToFile(rangeOpener(http(origin), { path: '/f' }), path, { allowUnknownSize: true }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect(await readdir(join(path, '..'))).toEqual([]);
  });

  it('a head that never ends is refused past 64 KiB', async () => {
    const origin = await rawServer(async (socket) => {
      await dribble(socket, ['HTTP/1.1 200 OK\r\n', `x-big: ${'a'.repeat(70_000)}\r\n`]);
    });
    const error = await failure(http(origin).stream({ path: '/f' }));
    expect(error).toBeInstanceOf(ConnectionError);
  });

  it('a redirect on a download is followed (by fetch), without the credentials on another origin', async () => {
    const foreign = await hostileServer((_q, s) => {
      s.writeHead(200, { 'content-length': String(body.byteLength) });
      s.end(body);
    });
    const origin = await rawServer((socket) => {
      socket.end(`HTTP/1.1 302 Found\r\nlocation: ${foreign.origin}/media\r\ncontent-length: 0\r\n\r\n`);
    });
    const client = new BaseClient({ baseUrl: origin }, profile, new BearerAuth('tok-SECRET-42'));
    const response = await client.stream({ path: '/f' });
    expect(await readAll(response.body)).toEqual(new Uint8Array(body));
    expect(foreign.requests.map((r) => r.url)).toEqual(['/media']);
    expect(leaked(foreign.requests, 'tok-SECRET-42')).toEqual([]);
  });
});

describe('parallel ranges are exact, of one version, and resumed when cut', () => {
  const served = (start: number, end: number, etag = '"v1"') =>
    `HTTP/1.1 206 Partial Content\r\netag: ${etag}\r\ncontent-range: bytes ${start}-${end}/${body.byteLength}\r\ncontent-length: ${end - start + 1}\r\n\r\n`;
  const rangeOf = (head: string) => {
    const match = /\r\nrange: bytes=(\d+)-(\d+)\r\n/.exec(head);
    return { start: Number(match?.[1]), end: Number(match?.[2]) };
  };

  it('a range cut mid-way resumes from its last byte; the SHA-1 of the whole is verified', async () => {
    const asked: string[] = [];
    let cut = false;
    const origin = await rawServer(async (socket, head) => {
      const { start, end } = rangeOf(head);
      asked.push(`${start}-${end}`);
      await dribble(socket, [served(start, end)]);
      if (start === 100_000 && !cut) {
        cut = true;
        await dribble(socket, [body.subarray(start, start + 12_345)]);
        socket.destroy();
        return;
      }
      socket.end(body.subarray(start, end + 1));
    });
    const client = http(origin);
    const path = await dest();
    const saved = await saveRangesToFile(rangesOf(client), path, {
      size: body.byteLength,
      partSize: 100_000,
      concurrency: 3,
      integrity: { algorithm: 'sha1', expected: sha1(body) },
    });
    expect(saved).toMatchObject({ size: body.byteLength, digest: sha1(body) });
    expect(await readFile(path)).toEqual(body);
    expect(asked.sort()).toEqual(['0-99999', '100000-199999', '112345-199999', '200000-299999'].sort());
  });

  it('a range of another version (or a wrong checksum) fails, and nothing is left', async () => {
    for (const [etagOf, expected] of [
      [(start: number) => (start === 200_000 ? '"v2"' : '"v1"'), sha1(body)],
      [() => '"v1"', sha1(Buffer.from('other'))],
    ] as const) {
      const origin = await rawServer((socket, head) => {
        const { start, end } = rangeOf(head);
        socket.end(
          Buffer.concat([Buffer.from(served(start, end, etagOf(start))), body.subarray(start, end + 1)]),
        );
      });
      const client = http(origin);
      const path = await dest();
      const error = await failure(
        saveRangesToFile(rangesOf(client), path, {
          size: body.byteLength,
          partSize: 100_000,
          concurrency: 1,
          integrity: { algorithm: 'sha1', expected },
        }),
      );
      expect(error).toBeInstanceOf(IntegrityError);
      expect(await readdir(join(path, '..'))).toEqual([]);
    }
  });
});

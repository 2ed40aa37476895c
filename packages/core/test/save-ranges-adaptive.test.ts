/**
 * Adaptive parallel ranges: one range at a time while this process is the limit, more (up to the limit)
 * while it mostly waits for a slow link. Over a real loopback server that serves ranges at a set pace.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BaseClient, saveRangesToFile } from '../src/index.js';

const body = Buffer.from(Array.from({ length: 400_000 }, (_, i) => (i * 7) % 253));
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      const closed = new Promise((resolve) => s.close(resolve));
      // The client keeps idle connections open; they would hold the server until they time out.
      s.closeAllConnections();
      return closed;
    }),
  );
});

/**
 * Serves `body` by range in pieces of 5,000 bytes `pauseMs` apart; counts ranges in flight (a range is out
 * once its last byte is sent, or its client went away) and records every range asked for. With `cutFirstAt`,
 * the first response's connection is destroyed once the bytes before that offset are sent.
 */
async function pacedServer(pauseMs: number, cutFirstAt?: number) {
  const seen = { active: 0, peak: 0, asked: [] as string[] };
  const server = createServer(async (request, response) => {
    const [, start, end] = /bytes=(\d+)-(\d+)/.exec(request.headers.range ?? '')!.map(Number) as number[];
    seen.active += 1;
    seen.asked.push(`${start}-${end}`);
    seen.peak = Math.max(seen.peak, seen.active);
    const cutAt = seen.asked.length === 1 ? cutFirstAt : undefined;
    let counted = true;
    const out = () => {
      if (counted) seen.active -= 1;
      counted = false;
    };
    response.on('close', out);
    response.writeHead(206, {
      'content-range': `bytes ${start}-${end}/${body.byteLength}`,
      'content-length': String(end! - start! + 1),
      etag: '"v1"',
    });
    for (let at = start!; at <= end! && !response.destroyed; at += 5_000) {
      if (cutAt !== undefined && at >= cutAt) {
        response.socket?.destroy();
        return;
      }
      const last = at + 5_000 > end!;
      // Out before the last piece: the client may ask for its next range as soon as it has it.
      if (last) out();
      response.write(body.subarray(at, Math.min(at + 5_000, end! + 1)));
      if (!last) await sleep(pauseMs);
    }
    response.end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const client = new BaseClient(
    { baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 },
    { name: 'adaptive', userAgent: 'mediaferry-test/0' },
  );
  const openRange = (range: { start: number; end: number }, signal: AbortSignal) =>
    client.stream({
      path: '/f',
      signal,
      headers: { range: `bytes=${range.start}-${range.end}` },
      okStatus: (s) => s === 206,
    });
  return { seen, openRange };
}

const download = async (openRange: Parameters<typeof saveRangesToFile>[0], partSize: number) => {
  const path = join(await mkdtemp(join(tmpdir(), 'mf-adaptive-')), 'clip.mp4');
  const saved = await saveRangesToFile(openRange, path, {
    size: body.byteLength,
    partSize,
    concurrency: 3,
    adaptive: true,
    integrity: { algorithm: 'sha1', expected: sha1(body) },
  });
  expect(saved.digest).toBe(sha1(body));
  // Compared by digest: a deep equality of 400 KB takes seconds.
  expect(sha1(await readFile(path))).toBe(sha1(body));
};

describe('adaptive parallel ranges', () => {
  it('grow to the limit while the process waits for a slow link, splitting the biggest share left', async () => {
    // 80 pieces 30 ms apart: 2.4 s in one stream, so the checks every 250 ms see an idle loop.
    const { seen, openRange } = await pacedServer(30);
    await download(openRange, 25_000);
    expect(seen.peak).toBe(3);
    // One stream over the whole file first; the second takes the upper half of what it had left.
    expect(seen.asked[0]).toBe(`0-${body.byteLength - 1}`);
    const [from, to] = seen.asked[1]!.split('-').map(Number) as [number, number];
    expect(to).toBe(body.byteLength - 1);
    expect(from).toBeGreaterThan(0);
  });

  it('a stream cut after its share was split resumes from its last byte to its new end, not the old one', async () => {
    // Split at ~250 ms (some 40 KB in); the first connection dies at 150,000 bytes.
    const { seen, openRange } = await pacedServer(30, 150_000);
    await download(openRange, 25_000);
    const resumed = seen.asked.find((range) => range.startsWith('150000-'));
    expect(resumed).toBeDefined();
    const resumedEnd = Number(resumed!.split('-')[1]);
    expect(resumedEnd).toBeLessThan(body.byteLength - 1);
    // Where the resumed stream stops, another one's share begins.
    expect(seen.asked.some((range) => range.startsWith(`${resumedEnd + 1}-`))).toBe(true);
  });

  it('stay at one stream while the event loop is busy', async () => {
    const { seen, openRange } = await pacedServer(1);
    // Busy 20 ms in every ~21: the loop is never idle long enough for another stream to look useful.
    const busy = setInterval(() => {
      const until = performance.now() + 20;
      while (performance.now() < until);
    }, 1);
    try {
      // 80 pieces, each pause stretched to ~20 ms by the busy loop: about 1.7 s, 6 checks.
      await download(openRange, 25_000);
    } finally {
      clearInterval(busy);
    }
    expect(seen.asked).toEqual([`0-${body.byteLength - 1}`]);
  });
});

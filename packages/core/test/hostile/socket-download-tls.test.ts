/**
 * Downloads over TLS (real B2 and every CDN are HTTPS): the certificate is verified as Node verifies it (a
 * self-signed one is refused), and a trusted server's large body arrives whole through a consumer slower
 * than the network (the socket pauses and resumes under TLS), chunked or by length. This test caught the
 * bare-socket path corrupting bytes over TLS; HTTPS downloads now go through node:https.
 * The trusted case runs in a child process started with NODE_EXTRA_CA_CERTS, the one way to add a CA to
 * Node's default store: the built core is what it loads (the path a user runs).
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseClient, ConnectionError, rangeOpener, saveToFile } from '../../src/index.js';

const SIZE = 24 * 1024 * 1024;
const content = Buffer.alloc(SIZE);
for (let i = 0; i < SIZE; i += 4) content.writeUInt32LE((i * 2654435761) >>> 0, i);
const digest = createHash('sha1').update(content).digest('hex');
const core = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

describe('socket downloads over TLS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mf-socket-tls-'));
  const cert = join(dir, 'cert.pem');
  let server: Server;
  let origin = '';

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
        ...['-keyout', join(dir, 'key.pem'), '-out', cert, '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(cert) },
      (req, res) => {
        const chunked = req.url === '/chunked';
        res.writeHead(200, {
          'content-type': 'video/mp4',
          ...(chunked ? {} : { 'content-length': String(SIZE) }),
        });
        // Written in pieces, honouring back-pressure, so the client's pauses reach the server.
        let at = 0;
        const more = () => {
          while (at < SIZE) {
            const piece = content.subarray(at, at + 256 * 1024);
            at += piece.byteLength;
            if (!res.write(piece)) return void res.once('drain', more);
          }
          res.end();
        };
        more();
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses a certificate Node does not trust', async () => {
    const client = new BaseClient({ baseUrl: origin, maxRetries: 0 }, { name: 'tls', userAgent: 'test/0' });
    const path = join(mkdtempSync(join(tmpdir(), 'mf-socket-tls-')), 'clip.mp4');
    const error = await saveToFile(rangeOpener(client, { path: '/length' }), path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(String((error as Error).message)).toMatch(/certificate/i);
  });

  for (const route of ['/length', '/chunked'])
    it(`a trusted server's ${SIZE >> 20} MiB body (${route.slice(1)}) arrives whole through a slow consumer`, async () => {
      const script = `
        import { BaseClient, rangeOpener, saveToFile } from ${JSON.stringify(core)};
        const client = new BaseClient({ baseUrl: ${JSON.stringify(origin)}, maxRetries: 0 }, { name: 'tls', userAgent: 'test/0' });
        const path = ${JSON.stringify(join(dir, `clip${route.replace('/', '-')}.mp4`))};
        let slow = 0;
        const saved = await saveToFile(rangeOpener(client, { path: ${JSON.stringify(route)} }), path, {
          hash: 'sha1',
          allowUnknownSize: true,
          // A consumer slower than loopback: the socket has to pause and resume many times.
          onProgress: () => { const until = Date.now() + 1; while (Date.now() < until) slow += 1; },
        });
        process.stdout.write(JSON.stringify({ size: saved.size, digest: saved.digest }));
      `;
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          process.execPath,
          ['--input-type=module', '-e', script],
          { env: { ...process.env, NODE_EXTRA_CA_CERTS: cert }, timeout: 120_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        ),
      );
      expect(JSON.parse(out)).toEqual({ size: SIZE, digest });
      expect(
        createHash('sha1')
          .update(readFileSync(join(dir, `clip${route.replace('/', '-')}.mp4`)))
          .digest('hex'),
      ).toBe(digest);
    });
});

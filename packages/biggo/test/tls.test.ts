import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionError } from '@mediaferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIClient, authClientCredentials, ClientCredentials } from '../src/compat/biggo-api/index.js';
import { BigGoClient } from '../src/index.js';

/** A token endpoint behind a self-signed certificate. */
describe('verifySsl', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    server = createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (req, res) => {
        let received = 0;
        req.on('data', (chunk: Buffer) => {
          received += chunk.length;
        });
        req.on('end', () => {
          res.setHeader('content-type', 'application/json');
          if (req.url === '/auth/v1/token')
            return res.end(
              JSON.stringify({ access_token: 'eyJself-signed', token_type: 'Bearer', expires_in: 3600 }),
            );
          if (req.url === '/api/v1/video/')
            return res.end(JSON.stringify({ result: true, video_id: `v${received}` }));
          res.end(JSON.stringify({ result: true, at_userid: 'me', region: 'tw', userid: 'u1' }));
        });
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stays on by default: a self-signed certificate is refused', async () => {
    const client = new BigGoClient({ clientId: 'a', clientSecret: 'b', baseUrl: url, maxRetries: 0 });
    await expect(client.account.permission()).rejects.toBeInstanceOf(ConnectionError);
  });

  it('verifySsl: false accepts it for this client only, streamed uploads included', async () => {
    await using insecure = new BigGoClient({
      clientId: 'a',
      clientSecret: 'b',
      baseUrl: url,
      verifySsl: false,
    });
    expect((await insecure.account.permission()).userid).toBe('u1');
    const upload = await insecure.videos
      .upload(new Blob([new Uint8Array(100_000)]), { filename: 'a.mp4' })
      .done();
    expect(Number(upload.video_id.slice(1))).toBeGreaterThan(100_000);
    const strict = new BigGoClient({ clientId: 'a', clientSecret: 'b', baseUrl: url, maxRetries: 0 });
    await expect(strict.account.permission()).rejects.toBeInstanceOf(ConnectionError);
  });

  it("biggo_api's verifySsl argument does the same", async () => {
    const credentials = new ClientCredentials('a', 'b');
    await expect(
      authClientCredentials(`${url}/auth/v1/token`, credentials, true, null, { maxRetries: 0 }),
    ).rejects.toBeInstanceOf(ConnectionError);
    const api = new APIClient(url, null, false);
    await api.authorize(credentials);
    expect((await api.video!.hasPermission()).atUserid).toBe('me');
    await api.close();
  });
});

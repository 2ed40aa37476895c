import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionError } from '@mediaferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
      (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ access_token: 'eyJself-signed', token_type: 'Bearer', expires_in: 3600 }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('stays on by default: a self-signed certificate is refused', async () => {
    const client = new BigGoClient({ clientId: 'a', clientSecret: 'b', hostUrl: url, maxRetries: 0 });
    await expect(client.authorize()).rejects.toBeInstanceOf(ConnectionError);
  });

  it('verifySsl: false accepts it, for this client only', async () => {
    const insecure = new BigGoClient({ clientId: 'a', clientSecret: 'b', hostUrl: url, verifySsl: false });
    expect((await insecure.authorize()).token).toBe('eyJself-signed');
    const strict = new BigGoClient({ clientId: 'a', clientSecret: 'b', hostUrl: url, maxRetries: 0 });
    await expect(strict.authorize()).rejects.toBeInstanceOf(ConnectionError);
  });
});

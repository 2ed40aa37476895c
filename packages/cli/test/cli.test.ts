import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envFor, isolatedEnv, run, startEmulator } from './support/cli.js';

describe('mediaferry CLI basics', () => {
  it('prints help with examples and exits 0', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: mediaferry/);
    for (const command of ['emulator', 'copy']) expect(help.stdout).toContain(command);
    const copyHelp = await run(['copy', '--help']);
    expect(copyHelp.stdout).toMatch(/Examples:\n\s+mediaferry copy gopro:\/\//);
  });

  it('refuses an unknown flag and a bad argument with one line and exit 2', async () => {
    const flag = await run(['--bogus']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--bogus'/);
    const port = await run(['emulator', '--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be 0-65535');
    expect(port.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['ftp://host/file', /unknown scheme ftp:\/\//],
    ['gopro://2026-13-01..2026-12-31', /start date must be YYYY-MM-DD/],
    ['gopro://2026-10-31..2026-10-01', /end date is before the start date/],
    ['b2://x/clips', /not a B2 bucket name/],
    ['mixcloud://a/b/c', /expected mixcloud:\/\/user or mixcloud:\/\/user\/slug/],
  ])('refuses the location %s with exit 2', async (location, message) => {
    const result = await run(['copy', location, './out']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('refuses disk-to-disk and bad --jobs with exit 2', async () => {
    expect((await run(['copy', './a', './b'])).code).toBe(2);
    const jobs = await run(['copy', 'gopro://2026-10-01..2026-10-02', './b', '-j', '0']);
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toContain('-j/--jobs must be 1-64');
  });
});

describe('without credentials', () => {
  it('stops with exit 2 naming what is missing, even with -q, and writes nothing anywhere', async () => {
    const env = await isolatedEnv();
    for (const args of [
      ['-q', 'gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-03'],
      ['-q', 'b2', 'buckets'],
      ['copy', 'gopro://2026-10-01..2026-10-03', join(env.HOME!, 'out')],
    ]) {
      const result = await run(args, env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(
        /no credentials \((GP_ACCESS_TOKEN|B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY) are not set\)/,
      );
      expect(result.stderr).toContain('--emulator');
    }
    const partial = await run(['b2', 'buckets'], { ...env, B2_APPLICATION_KEY_ID: 'only-the-id' });
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('B2_APPLICATION_KEY is missing');
    expect(existsSync(join(env.HOME!, 'out'))).toBe(false);
    expect(existsSync(join(env.XDG_STATE_HOME!, 'mediaferry'))).toBe(false);
  });

  it('--emulator or MEDIAFERRY_EMULATOR=1 runs on the embedded emulators and keeps state between runs', async () => {
    const env = await isolatedEnv();
    const listed = await run(
      ['--emulator', 'gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-03', '--json'],
      env,
    );
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).length).toBeGreaterThan(0);
    const embedded = { ...env, MEDIAFERRY_EMULATOR: '1' };
    const dir = await mkdtemp(join(env.HOME!, 'files-'));
    await writeFile(join(dir, 'kept.txt'), 'kept');
    expect((await run(['b2', 'upload', join(dir, 'kept.txt'), 'b2://mediaferry-demo/'], embedded)).code).toBe(
      0,
    );
    const ls = JSON.parse(
      (await run(['b2', 'ls', 'b2://mediaferry-demo', '--json'], embedded)).stdout,
    ) as Array<{
      name: string;
    }>;
    expect(ls.map((f) => f.name)).toContain('kept.txt');
  });

  it('a URL of a running `mediaferry emulator` is enough: the CLI asks it for its credentials', async () => {
    const emulator = await startEmulator('b2');
    try {
      const env = await isolatedEnv({ MEDIAFERRY_B2_URL: emulator.endpoints.b2!.url });
      const buckets = await run(['b2', 'buckets', '--json'], env);
      expect(buckets.code, buckets.stderr).toBe(0);
      expect(JSON.parse(buckets.stdout)).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'my-media' })]),
      );
    } finally {
      await emulator.stop();
    }
  });

  it('credential flags work on the service commands (the README table)', async () => {
    const emulator = await startEmulator('b2');
    try {
      const { url, keyId, key } = emulator.endpoints.b2!;
      const env = await isolatedEnv({ MEDIAFERRY_B2_URL: url });
      const ok = await run(['b2', 'buckets', '--key-id', keyId!, '--key', key!], env);
      expect(ok.code, ok.stderr).toBe(0);
      const wrong = await run(['b2', 'buckets', '--key-id', keyId!, '--key', 'K00wrong'], env);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).not.toContain('K00wrong');
    } finally {
      await emulator.stop();
    }
  });
});

describe('mediaferry emulator', () => {
  it('serves the named services on 127.0.0.1, prints one JSON line, stops on SIGTERM with exit 0', async () => {
    const emulator = await startEmulator('probe');
    expect(emulator.endpoints.probe).toMatchObject({ clientId: 'probe-client' });
    const names = Object.keys(emulator.endpoints);
    for (const { url } of Object.values(emulator.endpoints)) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/__emulator/health`);
      expect(await health.json()).toEqual({ ok: true });
    }
    expect(await emulator.stop()).toBe(0);
    for (const name of names)
      await expect(fetch(`${emulator.endpoints[name]!.url}/__emulator/health`)).rejects.toThrow();
  });

  it('stops on SIGTERM after a large upload (the thread that hashed it does not keep it running)', async () => {
    const emulator = await startEmulator('b2');
    try {
      const dir = await mkdtemp(join(tmpdir(), 'mf-big-'));
      // 9 MiB: declared sizes from 8 MiB are hashed and written on the emulator's worker thread.
      await writeFile(join(dir, 'big.bin'), Buffer.alloc(9 * 1024 * 1024, 7));
      const upload = await run(
        ['b2', 'upload', join(dir, 'big.bin'), 'b2://my-media/big.bin'],
        await envFor(emulator),
      );
      expect(upload.code, upload.stderr).toBe(0);
      const hung = new Promise<string>((resolve) =>
        setTimeout(() => resolve('still running after 10 s'), 10_000),
      );
      expect(await Promise.race([emulator.stop(), hung])).toBe(0);
    } finally {
      try {
        process.kill(emulator.pid, 'SIGKILL');
      } catch {}
    }
  });

  it('--json names everything a client needs: credentials, entry points, the OAuth redirect URI', async () => {
    const emulator = await startEmulator('b2,biggo,gopro,mixcloud');
    try {
      const { b2, biggo, gopro, mixcloud } = emulator.endpoints;
      expect(mixcloud).toMatchObject({
        accessToken: expect.any(String),
        clientId: 'mf-demo-client',
        clientSecret: expect.any(String),
        redirectUri: 'http://localhost:8765/callback',
        endpoints: {
          authorize: `${mixcloud!.url}/oauth/authorize`,
          token: `${mixcloud!.url}/oauth/access_token`,
          control: `${mixcloud!.url}/__emulator/`,
        },
      });
      expect(biggo!.endpoints).toMatchObject({ token: `${biggo!.url}/auth/v1/token` });
      expect(gopro!.endpoints).toMatchObject({ search: `${gopro!.url}/media/search` });
      // The printed entry points work as printed: the OAuth flow with the printed redirect URI.
      const authorize = new URL(mixcloud!.endpoints.authorize!);
      authorize.searchParams.set('client_id', mixcloud!.clientId!);
      authorize.searchParams.set('redirect_uri', mixcloud!.redirectUri!);
      const redirect = await fetch(authorize, { redirect: 'manual' });
      const code = new URL(redirect.headers.get('location')!).searchParams.get('code');
      expect(code).toBeTruthy();
      const token = new URL(mixcloud!.endpoints.token!);
      for (const [k, v] of Object.entries({
        client_id: mixcloud!.clientId!,
        client_secret: mixcloud!.clientSecret!,
        redirect_uri: mixcloud!.redirectUri!,
        code: code!,
      }))
        token.searchParams.set(k, v);
      expect(await (await fetch(token)).json()).toMatchObject({ access_token: expect.any(String) });
      const authorized = await fetch(b2!.endpoints.authorize!, {
        headers: { authorization: `Basic ${Buffer.from(`${b2!.keyId}:${b2!.key}`).toString('base64')}` },
      });
      expect(authorized.status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });

  it('--detach runs in the background, --env prints variables the CLI uses, stop ends it', async () => {
    const env = await isolatedEnv();
    const started = await run(['emulator', '--detach', '--env', '--services', 'b2'], env);
    expect(started.code, started.stderr).toBe(0);
    const variables = Object.fromEntries(
      [...started.stdout.matchAll(/^export (\w+)='([^']*)'$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.keys(variables).sort()).toEqual([
      'B2_APPLICATION_KEY',
      'B2_APPLICATION_KEY_ID',
      'MEDIAFERRY_B2_URL',
    ]);
    const buckets = await run(['b2', 'buckets', '--json'], { ...env, ...variables });
    expect(buckets.code, buckets.stderr).toBe(0);
    // A second --detach finds the running one instead of starting another.
    const again = await run(['emulator', '--detach', '--json'], env);
    expect(JSON.parse(again.stdout).b2.url).toBe(variables.MEDIAFERRY_B2_URL);
    expect((await run(['emulator', 'stop'], env)).code).toBe(0);
    await expect(fetch(`${variables.MEDIAFERRY_B2_URL}/__emulator/health`)).rejects.toThrow();
    expect((await run(['emulator', 'stop'], env)).code).toBe(0);
  });

  it('refuses an unknown service with exit 2', async () => {
    const result = await run(['emulator', '--services', 'dropbox']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown service dropbox/);
  });
});

/**
 * Errors that say what to do, a config file never silently replaced, `config set … -` and `login`, through
 * the built binary against `mediaferry emulator`.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Emulated,
  envFor,
  finish,
  isolatedEnv,
  run,
  runWithInput,
  startEmulator,
  until,
} from './support/cli.js';
import { startInPty } from './support/terminal.js';

const configFile = (env: NodeJS.ProcessEnv) => join(env.XDG_CONFIG_HOME!, 'mediaferry', 'config.json');

describe('hints, config and login', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startEmulator();
    env = await envFor(emulator);
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  it('a refused key or token: which variable or config entry holds it, that it may be revoked, how to get another', async () => {
    const b2 = await run(['b2', 'buckets'], { ...env, B2_APPLICATION_KEY: 'revoked-key' });
    expect(b2.code).toBe(1);
    expect(b2.stderr).toMatch(
      /hint {2}B2 refused the application key \(the credentials came from \$B2_APPLICATION_KEY_ID, \$B2_APPLICATION_KEY\); it may have been revoked/,
    );
    expect(b2.stderr).not.toContain('revoked-key');
    const gopro = await run(['gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-02'], {
      ...env,
      GP_ACCESS_TOKEN: 'expired',
    });
    expect(gopro.stderr).toMatch(
      /GoPro refused the access token \(the credentials came from \$GP_ACCESS_TOKEN\).*"Getting a GoPro token"/,
    );
    const flagged = await run(['mixcloud', 'get', 'me', '--token', 'bad-token'], env);
    expect(flagged.stderr).toMatch(
      /Mixcloud refused the access token \(the credentials came from --token\).*"Getting a Mixcloud token"/,
    );
    const biggo = await run(['biggo', 'videos'], { ...env, BIGGO_CLIENT_SECRET: 'rotated' });
    expect(biggo.stderr).toMatch(/BigGo refused the client credentials/);
    // From the config file: the hint names the file and the entry.
    const home = await isolatedEnv({ MEDIAFERRY_B2_URL: env.MEDIAFERRY_B2_URL! });
    await run(['config', 'set', 'b2', 'keyId', env.B2_APPLICATION_KEY_ID!], home);
    await run(['config', 'set', 'b2', 'key', 'wrong'], home);
    const fromConfig = await run(['b2', 'buckets'], home);
    expect(fromConfig.stderr).toContain(
      `the credentials came from ${configFile(home)} (b2.keyId), ${configFile(home)} (b2.key)`,
    );
    for (const result of [b2, gopro, flagged, biggo, fromConfig])
      expect(result.stderr).not.toContain('--verbose');
  });

  it('a busy port names --port; a missing path names the path', async () => {
    const port = new URL(env.MEDIAFERRY_B2_URL!).port;
    const busy = await run(['emulator', '--port', port, '--services', 'b2'], await isolatedEnv());
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(
      `hint  the port ${port} is taken by another program: choose another with --port`,
    );
    const missing = await run(['copy', '/no/such/folder', 'b2://mediaferry-demo/x/'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file or folder: /no/such/folder');
    expect(missing.stderr).not.toContain('--verbose');
  });

  it('a truncated or null config file is reported and left as it is; config set keeps the other entries', async () => {
    const home = await isolatedEnv();
    await mkdir(join(home.XDG_CONFIG_HOME!, 'mediaferry'), { recursive: true });
    for (const [text, said] of [
      ['{"b2": {"keyId": "abc", "key": "se', /is not valid JSON, perhaps truncated/],
      ['null', /holds null, not an object of services/],
      ['', /is empty/],
    ] as const) {
      await writeFile(configFile(home), text, { mode: 0o600 });
      for (const args of [
        ['config', 'set', 'gopro', 'accessToken', 'tok'],
        ['b2', 'buckets'],
        ['config', 'show'],
      ]) {
        const result = await run(args, home);
        expect(result.code, args.join(' ')).toBe(1);
        expect(result.stderr).toMatch(said);
        expect(result.stderr).toContain('it was left as it is');
      }
      expect(await readFile(configFile(home), 'utf8')).toBe(text);
    }
    await writeFile(configFile(home), '{"b2": {"keyId": "id1", "key": "k1"}}', { mode: 0o600 });
    expect((await run(['config', 'set', 'gopro', 'accessToken', 'tok'], home)).code).toBe(0);
    expect((await run(['config', 'set', 'b2', 'key', 'k2'], home)).code).toBe(0);
    expect(JSON.parse(await readFile(configFile(home), 'utf8'))).toEqual({
      b2: { keyId: 'id1', key: 'k2' },
      gopro: { accessToken: 'tok' },
    });
  });

  it('config set reads the value from standard input when it is "-"', async () => {
    const home = await isolatedEnv();
    const piped = await runWithInput(
      ['config', 'set', 'mixcloud', 'accessToken', '-'],
      home,
      'secret-from-stdin\n',
    );
    expect(piped.code).toBe(0);
    expect(piped.stdout + piped.stderr).not.toContain('secret-from-stdin');
    expect(JSON.parse(await readFile(configFile(home), 'utf8'))).toEqual({
      mixcloud: { accessToken: 'secret-from-stdin' },
    });
    expect((await stat(configFile(home))).mode & 0o777).toBe(0o600);
    const empty = await runWithInput(['config', 'set', 'mixcloud', 'accessToken', '-'], home, '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no mixcloud accessToken given');
  });

  it('login verifies against the service before saving: a refused key is never saved', async () => {
    const home = await isolatedEnv({ MEDIAFERRY_B2_URL: env.MEDIAFERRY_B2_URL! });
    const bad = await runWithInput(['login', 'b2'], home, `${env.B2_APPLICATION_KEY_ID}\nnot-the-key\n`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/b2 did not accept these credentials, so nothing was saved/);
    await expect(stat(configFile(home))).rejects.toThrow();
    const good = await runWithInput(
      ['login', 'b2'],
      home,
      `${env.B2_APPLICATION_KEY_ID}\n${env.B2_APPLICATION_KEY}\n`,
    );
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/b2: credentials accepted \(\d+ buckets? visible\); saved in/);
    expect(JSON.parse(await readFile(configFile(home), 'utf8'))).toEqual({
      b2: { keyId: env.B2_APPLICATION_KEY_ID, key: env.B2_APPLICATION_KEY },
    });
    // The saved credentials work on their own.
    expect((await run(['b2', 'buckets'], home)).stdout).toContain('mediaferry-demo');
    // Mixcloud, with the URL saved beside the token (--url).
    const other = await isolatedEnv();
    const mixcloud = await runWithInput(
      ['login', 'mixcloud', '--url', env.MEDIAFERRY_MIXCLOUD_URL!],
      other,
      `${env.MIXCLOUD_ACCESS_TOKEN}\n`,
    );
    expect(mixcloud.code).toBe(0);
    expect(JSON.parse(await readFile(configFile(other), 'utf8')).mixcloud.url).toBe(
      env.MEDIAFERRY_MIXCLOUD_URL,
    );
    expect((await run(['mixcloud', 'get', 'me', '--json'], other)).code).toBe(0);
  });

  it('login on a terminal asks with the secret hidden', async () => {
    const home = await isolatedEnv({ MEDIAFERRY_GOPRO_URL: env.MEDIAFERRY_GOPRO_URL!, NO_COLOR: '1' });
    const child = startInPty(['login', 'gopro'], home);
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    await until(() => output.includes('GoPro access token'));
    child.stdin?.write(`${env.GP_ACCESS_TOKEN}\r`);
    const result = await finish(child);
    expect(result.code).toBe(0);
    expect(output).toMatch(/credentials accepted \(\d+ media in the library\)/);
    expect(output).not.toContain(env.GP_ACCESS_TOKEN!);
    expect(JSON.parse(await readFile(configFile(home), 'utf8'))).toEqual({
      gopro: { accessToken: env.GP_ACCESS_TOKEN },
    });
  });

  it('the documented credential flags and a running emulator URL alone still work', async () => {
    const bare = await isolatedEnv({ MEDIAFERRY_B2_URL: env.MEDIAFERRY_B2_URL! });
    expect((await run(['b2', 'buckets'], bare)).stdout).toContain('mediaferry-demo');
    const flags = await isolatedEnv({ MEDIAFERRY_BIGGO_URL: 'http://127.0.0.1:9' });
    const refused = await run(['biggo', 'videos', '--client-id', 'x'], flags);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('BIGGO_CLIENT_SECRET is missing');
  });
});

import { describe, expect, it } from 'vitest';
import { isolatedEnv, run, startEmulator } from './support/cli.js';

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
  it('stops with exit 2 naming what is missing; with --emulator runs embedded, says so, and keeps state', async () => {
    const env = await isolatedEnv();
    const refused = await run(['gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-03', '--json'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no gopro credentials: missing GP_ACCESS_TOKEN/);
    expect(refused.stdout).toBe('');
    const listed = await run(
      ['gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-03', '--json', '--emulator'],
      env,
    );
    expect(listed.code).toBe(0);
    expect(listed.stderr).toMatch(/gopro: using the embedded emulator with demo data/);
    expect(JSON.parse(listed.stdout).length).toBeGreaterThan(0);
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(env.HOME!, 'files-'));
    await writeFile(join(dir, 'kept.txt'), 'kept');
    const embedded = { ...env, MEDIAFERRY_EMULATOR: '1' };
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

  it('refuses an unknown service with exit 2', async () => {
    const result = await run(['emulator', '--services', 'dropbox']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown service dropbox/);
  });
});

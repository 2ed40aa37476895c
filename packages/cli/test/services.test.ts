import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMp3, sampleMp4 } from '../src/commands/samples.js';
import { type Emulated, envFor, finish, isolatedEnv, run, start, startEmulator } from './support/cli.js';

describe('per-service commands and copy against `mediaferry emulator`', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  const control = async (service: string, path: string, body?: unknown) => {
    const response = await fetch(
      `${emulator.endpoints[service]!.url}/__emulator/${path}`,
      body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
    );
    return response.status === 204 ? undefined : response.json();
  };

  beforeAll(async () => {
    emulator = await startEmulator('b2,gopro,biggo,mixcloud');
    env = await envFor(emulator);
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  it('b2 buckets, upload, ls, download, hide, rm with --json shapes and exit codes', async () => {
    const buckets = await run(['b2', 'buckets', '--json'], env);
    expect(buckets.code).toBe(0);
    expect(JSON.parse(buckets.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'mediaferry-demo', type: 'allPrivate' })]),
    );
    const dir = await mkdtemp(join(tmpdir(), 'mf-cli-'));
    await writeFile(join(dir, 'note 1.txt'), 'hello from the cli');
    const up = await run(
      ['b2', 'upload', join(dir, 'note 1.txt'), 'b2://mediaferry-demo/cli/', '--json'],
      env,
    );
    expect(JSON.parse(up.stdout)).toMatchObject({ name: 'cli/note 1.txt', size: 18 });
    const ls = JSON.parse(
      (await run(['b2', 'ls', 'b2://mediaferry-demo/cli/', '--json'], env)).stdout,
    ) as Array<{ name: string }>;
    expect(ls.map((f) => f.name)).toEqual(['cli/note 1.txt']);
    const down = await run(
      ['b2', 'download', 'b2://mediaferry-demo/cli/note 1.txt', join(dir, 'back.txt')],
      env,
    );
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('SHA-1 verified');
    expect((await run(['b2', 'hide', 'b2://mediaferry-demo/cli/note 1.txt'], env)).code).toBe(0);
    expect(JSON.parse((await run(['b2', 'ls', 'b2://mediaferry-demo/cli/', '--json'], env)).stdout)).toEqual(
      [],
    );
    expect((await run(['b2', 'rm', 'b2://mediaferry-demo/cli/note 1.txt', '--all-versions'], env)).code).toBe(
      0,
    );
    const missing = await run(['b2', 'download', 'b2://no-such-bucket/x', dir], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error /);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('gopro ls lists the range; copy gopro → b2 survives injected faults and verifies every byte', async () => {
    const ls = JSON.parse(
      (await run(['gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-31', '--json'], env)).stdout,
    ) as unknown[];
    expect(ls.length).toBeGreaterThanOrEqual(14);
    await control('b2', 'faults', { on: 'b2_upload_file', status: 503, count: 3 });
    await control('gopro', 'wire-faults', { on: 'cdn', kind: 'reset_before_response', count: 2 });
    const copied = await run(
      ['copy', 'gopro://2026-10-01..2026-10-31', 'b2://mediaferry-demo/faulty/', '-j', '3', '--json'],
      env,
    );
    expect(copied.code).toBe(0);
    const report = JSON.parse(copied.stdout) as {
      copied: number;
      failed: number;
      items: Array<{ sha1?: string }>;
    };
    expect(report.failed).toBe(0);
    // A burst contributes each of its files, so there are at least as many assets as media.
    expect(report.copied).toBeGreaterThanOrEqual(ls.length);
    expect(report.items.every((i) => /^[0-9a-f]{40}$/.test(i.sha1 ?? ''))).toBe(true);
    const journal = (await control('b2', 'journal?endpoint=b2_upload_file')) as {
      entries: Array<{ status: number }>;
    };
    expect(journal.entries.filter((e) => e.status === 503)).toHaveLength(3);
  });

  it('a copy interrupted by SIGINT exits 130, leaves nothing half-made, and a re-run copies only what is missing', async () => {
    const target = 'b2://mediaferry-demo/interrupted/';
    // The fifth upload hangs until the copy is interrupted. Interrupt only once it hangs: under load the
    // first four can take seconds, and a SIGINT before the fifth would leave the stall armed for the re-run.
    await control('b2', 'wire-faults', { on: 'b2_upload_file', kind: 'stall', ms: 60_000, skip: 4 });
    const child = start(['copy', 'gopro://2026-10-01..2026-10-31', target, '-j', '1', '--json'], env);
    const done = finish(child);
    let stalled = false;
    for (let i = 0; i < 400 && !stalled; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      stalled = ((await control('b2', 'wire-faults')) as { faults: unknown[] }).faults.length === 0;
    }
    expect(stalled).toBe(true);
    child.kill('SIGINT');
    const first = await done;
    expect(first.code).toBe(130);
    const partial = JSON.parse(first.stdout) as { copied: number; interrupted: boolean };
    expect(partial.interrupted).toBe(true);
    expect(partial.copied).toBe(4);
    const rerun = JSON.parse(
      (await run(['copy', 'gopro://2026-10-01..2026-10-31', target, '--json'], env)).stdout,
    ) as { copied: number; skipped: number; failed: number };
    expect(rerun.skipped).toBe(partial.copied);
    expect(rerun.failed).toBe(0);
    expect(rerun.copied + rerun.skipped).toBeGreaterThanOrEqual(14);
  });

  it('config set writes credentials readable by the owner only, and commands use them', async () => {
    const { b2 } = emulator.endpoints;
    const home = await isolatedEnv();
    for (const [field, value] of [
      ['keyId', b2!.keyId!],
      ['key', b2!.key!],
      ['url', b2!.url],
    ]) {
      expect((await run(['config', 'set', 'b2', field!, value!], home)).code).toBe(0);
    }
    const { stat } = await import('node:fs/promises');
    const file = join(home.XDG_CONFIG_HOME!, 'mediaferry', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const buckets = await run(['b2', 'buckets', '--json'], home);
    expect(buckets.stderr).not.toContain('embedded emulator');
    expect(JSON.parse(buckets.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'mediaferry-demo' })]),
    );
    const shown = await run(['config', 'show', '--json'], home);
    expect(shown.stdout).not.toContain(b2!.key!);
    expect(JSON.parse(shown.stdout).config.b2).toMatchObject({ key: '[REDACTED]', url: b2!.url });
    expect((await run(['config', 'set', 'b2', 'password', 'x'], home)).code).toBe(2);
  });

  it('--verbose logs requests with every secret redacted', async () => {
    const verbose = await run(['--verbose', 'b2', 'buckets'], env);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toMatch(/b2_authorize_account/);
    expect(verbose.stderr).toMatch(/b2_list_buckets/);
    expect(verbose.stderr).not.toContain(env.B2_APPLICATION_KEY!);
    const mixcloud = await run(['--verbose', 'mixcloud', 'get', 'me'], env);
    expect(mixcloud.stderr).toContain('access_token=[REDACTED]');
    expect(mixcloud.stderr).not.toContain(env.MIXCLOUD_ACCESS_TOKEN!);
  });

  it('gopro pull downloads into a folder and skips on a second run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-cli-pull-'));
    const first = JSON.parse(
      (await run(['gopro', 'pull', dir, '--from', '2026-10-01', '--to', '2026-10-08', '--json'], env)).stdout,
    ) as { copied: number };
    expect(first.copied).toBeGreaterThan(0);
    const second = JSON.parse(
      (await run(['gopro', 'pull', dir, '--from', '2026-10-01', '--to', '2026-10-08', '--json'], env)).stdout,
    ) as { copied: number; skipped: number };
    expect(second.copied).toBe(0);
    expect(second.skipped).toBe(first.copied);
    expect((await readdir(dir)).length).toBe(first.copied);
  });
});

describe('biggo and mixcloud commands, and copies to and from them', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startEmulator('biggo,mixcloud');
    env = await envFor(emulator);
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  it('biggo upload, videos, update, rm', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-cli-bg-'));
    await writeFile(join(dir, 'clip.mp4'), Buffer.alloc(4000, 9));
    const up = JSON.parse(
      (
        await run(
          ['biggo', 'upload', join(dir, 'clip.mp4'), '--title', 'CLI clip', '--access', 'unlisted', '--json'],
          env,
        )
      ).stdout,
    ) as { id: string };
    const videos = JSON.parse((await run(['biggo', 'videos', '--json'], env)).stdout) as Array<{
      id: string;
      title: string;
      access: number;
    }>;
    expect(videos.find((v) => v.id === up.id)).toMatchObject({ title: 'CLI clip', access: 2 });
    expect((await run(['biggo', 'update', up.id, '--access', 'public'], env)).code).toBe(0);
    expect((await run(['biggo', 'update', up.id, '--access', 'secret'], env)).code).toBe(2);
    expect((await run(['biggo', 'rm', up.id], env)).code).toBe(0);
    const gone = await run(['biggo', 'rm', up.id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('1004');
  });

  it('mixcloud get, search, upload with tags and sections, edit, follow', async () => {
    const bob = JSON.parse((await run(['mixcloud', 'get', 'bob', '--json'], env)).stdout) as {
      key: string;
      type: string;
    };
    expect(bob).toMatchObject({ key: '/bob/', type: 'user' });
    const found = JSON.parse(
      (await run(['mixcloud', 'search', 'house', '--limit', '3', '--json'], env)).stdout,
    ) as { items: unknown[] };
    expect(found.items).toHaveLength(3);
    const dir = await mkdtemp(join(tmpdir(), 'mf-cli-mc-'));
    await writeFile(join(dir, 'mix.mp3'), Buffer.alloc(20_000, 3));
    const uploaded = JSON.parse(
      (
        await run(
          [
            'mixcloud',
            'upload',
            join(dir, 'mix.mp3'),
            '--name',
            'CLI Mix',
            '--tag',
            'house',
            '--tag',
            'deep',
            '--section',
            '0:Intro',
            '--section',
            '60:Somebody - Some song',
            '--json',
          ],
          env,
        )
      ).stdout,
    ) as { key: string };
    expect(uploaded.key).toBe('/ferry/cli-mix/');
    const show = JSON.parse((await run(['mixcloud', 'get', 'ferry/cli-mix', '--json'], env)).stdout) as {
      sections: unknown[];
      tags: unknown[];
    };
    expect(show.sections).toHaveLength(2);
    expect(show.tags).toHaveLength(2);
    expect((await run(['mixcloud', 'edit', 'cli-mix', '--tag', 'ambient'], env)).code).toBe(0);
    expect((await run(['mixcloud', 'follow', 'bob'], env)).stdout).toContain('Now following bob');
    const bad = await run(
      [
        'mixcloud',
        'upload',
        join(dir, 'mix.mp3'),
        '--name',
        'x',
        '--tag',
        'a',
        '--tag',
        'b',
        '--tag',
        'c',
        '--tag',
        'd',
        '--tag',
        'e',
        '--tag',
        'f',
      ],
      env,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('5 tags at most');
  });

  it('copy a folder to biggo:// and mixcloud://me, then biggo:// back to disk', async () => {
    // Each media target takes only its kind: the video goes to BigGo, the mix to Mixcloud.
    const dir = await mkdtemp(join(tmpdir(), 'mf-cli-copy-'));
    await writeFile(join(dir, 'harbour.mp4'), sampleMp4(6000));
    await writeFile(join(dir, 'mix.mp3'), sampleMp3(20));
    const toBigGo = JSON.parse((await run(['copy', dir, 'biggo://', '--json'], env)).stdout) as {
      copied: number;
      failed: number;
    };
    expect(toBigGo).toMatchObject({ copied: 1, failed: 0 });
    const again = JSON.parse((await run(['copy', dir, 'biggo://', '--json'], env)).stdout) as {
      copied: number;
      items: Array<{ path: string; status: string; reason?: string }>;
    };
    expect(again.copied).toBe(0);
    expect(again.items.find((i) => i.path === 'harbour.mp4')).toMatchObject({ status: 'skipped' });
    expect(again.items.find((i) => i.path === 'mix.mp3')?.reason).toMatch(/not video/);
    const toMixcloud = JSON.parse((await run(['copy', dir, 'mixcloud://me', '--json'], env)).stdout) as {
      copied: number;
    };
    expect(toMixcloud.copied).toBe(1);
    await fetch(`${emulator.endpoints.biggo!.url}/__emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceMs: 60_000 }),
    });
    const back = await mkdtemp(join(tmpdir(), 'mf-cli-back-'));
    const fromBigGo = JSON.parse((await run(['copy', 'biggo://', back, '--json'], env)).stdout) as {
      copied: number;
      failed: number;
    };
    expect(fromBigGo.failed).toBe(0);
    expect(await readdir(back)).toContain('harbour.mp4');
  });
});

describe('mediaferry demo (npm start)', () => {
  it('runs the main job on embedded emulators and prints a summary', async () => {
    const result = await run(['demo', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      steps: Array<{ name: string; items: number; bytes: number }>;
    };
    expect(summary.steps.map((s) => s.name)).toEqual([
      'GoPro → disk',
      'disk → B2',
      'disk → BigGo',
      'disk → Mixcloud',
    ]);
    for (const step of summary.steps) expect(step.items).toBeGreaterThan(0);
  });
});

import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finish, isolatedEnv, run, start, startEmulator } from './support/cli.js';

type Emulated = Awaited<ReturnType<typeof startEmulator>>;

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
    emulator = await startEmulator('b2,gopro');
    const { b2, gopro } = emulator.endpoints;
    env = await isolatedEnv({
      MEDIAFERRY_B2_URL: b2!.url,
      B2_APPLICATION_KEY_ID: b2!.keyId!,
      B2_APPLICATION_KEY: b2!.key!,
      MEDIAFERRY_GOPRO_URL: gopro!.url,
      GP_ACCESS_TOKEN: gopro!.accessToken!,
    });
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
    // The fifth upload hangs until the copy is interrupted.
    await control('b2', 'wire-faults', { on: 'b2_upload_file', kind: 'stall', ms: 60_000, skip: 4 });
    const child = start(['copy', 'gopro://2026-10-01..2026-10-31', target, '-j', '1', '--json'], env);
    const done = finish(child);
    for (let i = 0; i < 100; i += 1) {
      const uploads = (await control('b2', 'journal?endpoint=b2_upload_file')) as { entries: unknown[] };
      const faults = (await control('b2', 'wire-faults')) as { faults: unknown[] };
      if (faults.faults.length === 0 || uploads.entries.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const first = await done;
    expect(first.code).toBe(130);
    const partial = JSON.parse(first.stdout) as { copied: number; interrupted: boolean };
    expect(partial.interrupted).toBe(true);
    expect(partial.copied).toBeGreaterThan(0);
    const rerun = JSON.parse(
      (await run(['copy', 'gopro://2026-10-01..2026-10-31', target, '--json'], env)).stdout,
    ) as { copied: number; skipped: number; failed: number };
    expect(rerun.skipped).toBe(partial.copied);
    expect(rerun.failed).toBe(0);
    expect(rerun.copied + rerun.skipped).toBeGreaterThanOrEqual(14);
  });

  it('gopro pull downloads into a folder and skips on a second run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-cli-pull-'));
    const first = JSON.parse(
      (await run(['gopro', 'pull', dir, '--from', '2026-10-01', '--to', '2026-10-08', '--json'], env)).stdout,
    ) as { downloaded: unknown[] };
    expect(first.downloaded.length).toBeGreaterThan(0);
    const second = JSON.parse(
      (await run(['gopro', 'pull', dir, '--from', '2026-10-01', '--to', '2026-10-08', '--json'], env)).stdout,
    ) as { downloaded: unknown[]; skipped: unknown[] };
    expect(second.downloaded).toEqual([]);
    expect(second.skipped).toHaveLength(first.downloaded.length);
    expect((await readdir(dir)).length).toBe(first.downloaded.length);
  });
});

describe('mediaferry demo (npm start)', () => {
  it('runs the main job on embedded emulators and prints a summary', async () => {
    const result = await run(['demo', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      steps: Array<{ name: string; items: number; bytes: number }>;
    };
    expect(summary.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['GoPro → disk', 'disk → B2']));
    for (const step of summary.steps) expect(step.items).toBeGreaterThan(0);
  });
});

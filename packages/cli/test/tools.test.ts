/**
 * Shell completion, `--version`, `ls`/`lsjson` across every service, `emulator reset` and `--max-state`,
 * through the built binary.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMp4 } from '../src/commands/samples.js';
import { control, type Emulated, envFor, isolatedEnv, run, startEmulator } from './support/cli.js';

/** Sources the bash completion script in a bash subprocess and returns what `compgen` offers for `line`. */
async function complete(script: string, line: string): Promise<string[]> {
  const words = line.split(' ');
  const bash = `${script}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_mediaferry
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const child = spawn('bash', ['--norc', '--noprofile', '-c', bash], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0 || err) throw new Error(`bash failed (${code}): ${err}`);
  return out.split('\n').filter(Boolean).sort();
}

describe('completion and --version', () => {
  it('bash completion is generated from the command tree: commands, subcommands, flags, fixed words', async () => {
    const result = await run(['completion', 'bash']);
    expect(result.code).toBe(0);
    const script = result.stdout;
    expect(await complete(script, 'mediaferry sy')).toEqual(['sync']);
    expect(await complete(script, 'mediaferry b2 ')).toEqual([
      'buckets',
      'download',
      'hide',
      'keys',
      'ls',
      'rm',
      'upload',
    ]);
    expect(await complete(script, 'mediaferry sync ./a b2://x --del')).toEqual([
      '--delete',
      '--delete-versions',
    ]);
    expect(await complete(script, 'mediaferry --json emulator re')).toEqual(['reset']);
    expect(await complete(script, 'mediaferry login ')).toEqual(['b2', 'biggo', 'gopro', 'mixcloud']);
    expect(await complete(script, 'mediaferry completion ')).toEqual(['bash', 'fish', 'zsh']);
    expect(await complete(script, 'mediaferry gopro pull ./d --lay')).toEqual(['--layout']);
    expect(await complete(script, 'mediaferry copy --no-def')).toEqual(['--no-default-excludes']);
    for (const shell of ['zsh', 'fish']) {
      const other = await run(['completion', shell]);
      expect(other.code).toBe(0);
      expect(other.stdout).toContain('sync');
      expect(other.stdout).toContain('delete-versions');
    }
    expect((await run(['completion', 'tcsh'])).code).toBe(2);
  });

  it('--version names every package and Node', async () => {
    const result = await run(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^mediaferry \d+\.\d+\.\d+/);
    for (const name of [
      '@mediaferry/core',
      '@mediaferry/b2',
      '@mediaferry/gopro',
      '@mediaferry/biggo',
      '@mediaferry/mixcloud',
      '@mediaferry/emulator',
      'node',
    ])
      expect(result.stdout).toMatch(new RegExp(`${name.replace('/', '\\/')}\\s+\\d+\\.\\d+\\.\\d+`));
    expect(JSON.parse((await run(['--version', '--json'])).stdout).node).toBe(process.versions.node);
  });
});

describe('ls and lsjson across every service', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startEmulator();
    env = await envFor(emulator);
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  it('lists local folders and b2:// the same way a copy sees them; ls -l shows size, time and SHA-1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-ls-'));
    await writeFile(join(dir, 'clip.mp4'), sampleMp4(3000));
    await writeFile(join(dir, '.DS_Store'), 'junk');
    const local = await run(['ls', dir], env);
    expect(local.stdout).toMatch(/^ +3036 clip\.mp4\n$/);
    const hashed = JSON.parse((await run(['lsjson', dir, '--checksum'], env)).stdout) as Array<{
      Hashes?: { sha1: string };
    }>;
    expect(hashed[0]?.Hashes?.sha1).toMatch(/^[0-9a-f]{40}$/);
    await run(['copy', dir, 'b2://mediaferry-demo/ls/'], env);
    const long = await run(['-q', 'ls', '-l', 'b2://mediaferry-demo/ls/'], env);
    expect(long.stdout).toBe(
      `        3036  ${(JSON.parse((await run(['lsjson', dir], env)).stdout) as Array<{ ModTime: string }>)[0]!.ModTime}  ${hashed[0]!.Hashes!.sha1}  clip.mp4\n`,
    );
    const b2ls = await run(['b2', 'ls', '-l', 'b2://mediaferry-demo/ls/'], env);
    expect(b2ls.stdout).toContain(hashed[0]!.Hashes!.sha1);
  });

  it('lists gopro:// with the names a copy or pull would write', async () => {
    const gopro = JSON.parse(
      (await run(['lsjson', 'gopro://2026-10-01..2026-10-08', '--layout', 'date'], env)).stdout,
    ) as Array<{ Path: string; Size: number; ModTime: string }>;
    expect(gopro.length).toBeGreaterThan(0);
    for (const item of gopro) {
      expect(item.Path.startsWith(item.ModTime.slice(0, 10).replace(/-/g, '/'))).toBe(true);
      expect(item.Size).toBeGreaterThan(0);
    }
    const filtered = await run(['ls', 'gopro://2026-10-01..2026-10-08', '--exclude', '*.MP4'], env);
    expect(filtered.stdout).not.toMatch(/\.MP4\n/);
    const pulled = JSON.parse(
      (
        await run(
          ['gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-08', '--layout', 'date', '--json'],
          env,
        )
      ).stdout,
    ) as Array<{ name: string }>;
    expect(gopro.map((g) => g.Path).sort()).toEqual(pulled.map((p) => p.name).sort());
  });

  it('lists biggo:// (processed videos, as <title>.mp4) and mixcloud://user (shows)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-ls-media-'));
    await writeFile(join(dir, 'clip.mp4'), sampleMp4(3000));
    await run(['biggo', 'upload', join(dir, 'clip.mp4'), '--title', 'Listed'], env);
    // Processing takes virtual time: move the emulator's clock instead of waiting.
    await control(emulator, 'biggo', 'clock', { advanceMs: 10_000 });
    const biggo = JSON.parse((await run(['lsjson', 'biggo://'], env)).stdout) as Array<{ Path: string }>;
    expect(biggo.map((b) => b.Path)).toContain('Listed.mp4');
    const mixcloud = JSON.parse((await run(['lsjson', 'mixcloud://me'], env)).stdout) as Array<{
      Path: string;
      Title: string;
      Size: number;
    }>;
    expect(mixcloud.length).toBeGreaterThan(0);
    expect(mixcloud[0]).toMatchObject({ Size: -1, Title: expect.any(String) });
  });
});

describe('emulator reset and --max-state', () => {
  it('reset brings the embedded emulators back to the demo data; --max-state resets state that grew past it', async () => {
    const env = await isolatedEnv({ MEDIAFERRY_EMULATOR: '1' });
    const dir = await mkdtemp(join(tmpdir(), 'mf-reset-'));
    await writeFile(join(dir, 'big.bin'), Buffer.alloc(300_000, 7));
    expect((await run(['b2', 'upload', join(dir, 'big.bin'), 'b2://mediaferry-demo/grow/'], env)).code).toBe(
      0,
    );
    const listed = async (extra: string[] = []) =>
      (await run([...extra, 'b2', 'ls', 'b2://mediaferry-demo/grow/', '-r', '--json'], env)).stdout;
    expect(await listed()).toContain('grow/big.bin');
    const reset = await run(['emulator', 'reset', '--json'], env);
    expect(reset.code).toBe(0);
    const parsed = JSON.parse(reset.stdout) as { reset: string[]; before: number; after: number };
    expect(parsed.reset).toContain('b2');
    expect(parsed.before - parsed.after).toBeGreaterThanOrEqual(300_000);
    expect(JSON.parse(await listed())).toEqual([]);
    // Over the bound: the next command finds the state too big, says so, and starts from the demo data.
    expect((await run(['b2', 'upload', join(dir, 'big.bin'), 'b2://mediaferry-demo/grow/'], env)).code).toBe(
      0,
    );
    const bounded = await run(
      ['--max-state', '200K', 'b2', 'ls', 'b2://mediaferry-demo/grow/', '-r', '--json'],
      env,
    );
    expect(bounded.stderr).toMatch(/had grown to .* over --max-state 200 KiB: reset to the demo data/);
    expect(JSON.parse(bounded.stdout)).toEqual([]);
    const blobs = await readdir(join(env.XDG_STATE_HOME!, 'mediaferry', 'emulators', 'b2', 'blobs')).catch(
      () => [],
    );
    expect(blobs.length).toBeLessThan(20);
  });
});

/**
 * Progress a person can trust, through the built binary: a frame on a pseudo-terminal (the job's total and a
 * bar per file in flight), plain periodic lines in a pipe, single-file commands, -v and -q.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMp3, sampleMp4 } from '../src/commands/samples.js';
import { frame } from '../src/progress/render.js';
import { JobStats } from '../src/progress/stats.js';
import { control, type Emulated, envFor, finish, run, startEmulator, until } from './support/cli.js';
import { screen, startInPty } from './support/terminal.js';

const BUCKET = 'b2://mediaferry-demo';
/** Rates and times depend on the machine: masked before frames are compared. */
const mask = (line: string) =>
  line.replace(/[\d.]+ (B|KiB|MiB|GiB)\/s/g, '<rate>').replace(/ETA [^·]+$/, 'ETA <eta>');

describe('the frame renderer', () => {
  it('draws the total, the job bar and one bar per transfer in flight, never wider than the terminal', () => {
    let now = 0;
    const stats = new JobStats(() => now);
    for (const size of [1000, 3000, 2000]) stats.listed(size);
    stats.listing = false;
    stats.start('a', 'a.bin', 1000);
    stats.start('b', 'a-very-long-name-of-a-gopro-clip-GX010001.MP4', 3000);
    now = 1000;
    stats.progress('a', 1000);
    stats.finish('a', 1000, 'copied', 1000);
    stats.progress('b', 1500);
    stats.finish('c', 2000, 'skipped');
    now = 2000;
    expect(frame(stats, 64)).toEqual([
      '2/3 files (1 skipped) · 2.4 KiB / 3.9 KiB · 1.5 KiB/s · ETA 1 s',
      `${'█'.repeat(25)}${'░'.repeat(15)}  62%`,
      `  a-very-lo…0001.MP4  ${'█'.repeat(8)}${'░'.repeat(8)}   50%  1.5 KiB / 2.9 KiB`,
    ]);
    for (const line of frame(stats, 40)) expect([...line].length).toBeLessThanOrEqual(39);
    stats.listing = true;
    expect(frame(stats, 80)[0]).toBe('2/3+ files (1 skipped) · 2.4 KiB / 3.9 KiB+ · 1.5 KiB/s · listing…');
  });
});

describe('progress through the binary', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    emulator = await startEmulator();
    env = await envFor(emulator);
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  it('on a terminal: after listing, the total and a bar for the file in flight; finished files above', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-pty-src-'));
    await writeFile(join(src, 'a.bin'), randomBytes(300_000));
    await writeFile(join(src, 'b.bin'), randomBytes(200_000));
    expect((await run(['copy', src, `${BUCKET}/pty/`, '-q'], env)).code).toBe(0);
    // The second download is held before its answer: the frame shows it in flight at 0 %.
    await control(emulator, 'b2', 'wire-faults', {
      on: 'b2_download_file_by_id',
      kind: 'stall',
      ms: 1500,
      skip: 1,
      count: 1,
    });
    const dest = await mkdtemp(join(tmpdir(), 'mf-pty-dest-'));
    const child = startInPty(
      ['copy', `${BUCKET}/pty/`, dest, '-j', '1'],
      { ...env, NO_COLOR: '1' },
      { cols: 90 },
    );
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    await until(() => /b\.bin +░+ +0%/.test(output));
    const seen = screen(output).map(mask);
    child.stdin?.end();
    const result = await finish(child);
    expect(result.code).toBe(0);
    expect(seen).toEqual([
      expect.stringMatching(/^copied {2}a\.bin \(293 KiB, sha1 [0-9a-f]{12}…\)$/),
      '1/2 files · 293 KiB / 488 KiB · <rate> · ETA <eta>',
      `${'█'.repeat(24)}${'░'.repeat(16)}  60%`,
      `  b.bin${' '.repeat(45)}${'░'.repeat(16)}    0%  0 B / 195 KiB`,
    ]);
    // At the end the live region is gone: the log lines and the summary stay.
    const last = screen(output);
    expect(last.at(-1)).toMatch(/✓ b2:\/\/mediaferry-demo\/pty\/ → .*: 2 copied, 0 skipped, 0 failed/);
    expect(last.some((line) => line.includes('░'))).toBe(false);
  });

  it('in a pipe: plain periodic lines with the job total; skipped files counted, and listed with -v only', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-plain-'));
    for (const name of ['a', 'b', 'c']) await writeFile(join(src, `${name}.bin`), randomBytes(50_000));
    await control(emulator, 'b2', 'wire-faults', { on: 'b2_upload_file', kind: 'stall', ms: 400, count: 3 });
    const first = await run(['copy', src, `${BUCKET}/plain/`, '--stats', '100ms', '-j', '1'], env);
    expect(first.stderr).toMatch(
      /^progress \d\/3 files · [\d.]+ (B|KiB) \/ 146 KiB · [\d.]+ (B|KiB|MiB)\/s · ETA /m,
    );
    expect(first.stderr.match(/^copied {2}/gm)).toHaveLength(3);
    const second = await run(['copy', src, `${BUCKET}/plain/`], env);
    expect(second.stdout).toMatch(/0 copied, 3 skipped/);
    expect(second.stderr).not.toContain('skipped');
    const verbose = await run(['copy', src, `${BUCKET}/plain/`, '-v'], env);
    expect(verbose.stderr.match(/^skipped a\.bin \(same size and modification time\)$/m)).not.toBeNull();
    const quiet = await run(['copy', src, `${BUCKET}/plain2/`, '-q', '--stats', '1ms'], env);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
  });

  it('single-file commands show progress too; -q hides it but never the output asked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-single-'));
    await writeFile(join(dir, 'big.bin'), randomBytes(400_000));
    await writeFile(join(dir, 'clip.mp4'), sampleMp4(200_000));
    await writeFile(join(dir, 'mix.mp3'), sampleMp3(300));
    await control(emulator, 'b2', 'wire-faults', { on: 'b2_upload_file', kind: 'stall', ms: 300, count: 1 });
    const up = await run(['b2', 'upload', join(dir, 'big.bin'), `${BUCKET}/single/`, '--stats', '50ms'], env);
    expect(up.code).toBe(0);
    expect(up.stderr).toMatch(/^progress 0\/1 files · .* \/ 391 KiB · /m);
    await control(emulator, 'b2', 'wire-faults', {
      on: 'b2_download_file_by_id',
      kind: 'stall',
      ms: 300,
      count: 1,
    });
    const down = await run(['b2', 'download', `${BUCKET}/single/big.bin`, dir, '--stats', '50ms'], env);
    expect(down.stderr).toMatch(/^progress 0\/1 files · /m);
    // Each upload stalls once (as the B2 ones above): the bar is drawn however fast the transfer itself is.
    await control(emulator, 'mixcloud', 'wire-faults', { on: 'upload', kind: 'stall', ms: 300, count: 1 });
    await control(emulator, 'biggo', 'wire-faults', { on: 'upload', kind: 'stall', ms: 300, count: 1 });
    const pty = startInPty(['mixcloud', 'upload', join(dir, 'mix.mp3'), '--name', 'Progress Mix'], {
      ...env,
      NO_COLOR: '1',
    });
    pty.stdin?.end();
    const shown = await finish(pty);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/mix\.mp3 +[█░]+ +\d+%/);
    const biggo = startInPty(['biggo', 'upload', join(dir, 'clip.mp4'), '--title', 'Progress'], {
      ...env,
      NO_COLOR: '1',
    });
    biggo.stdin?.end();
    expect((await finish(biggo)).stdout).toMatch(/clip\.mp4 +[█░]+ +\d+%/);
    // -q: no progress, no note, but a listing asked for still prints.
    const quiet = await run(['-q', 'b2', 'buckets'], env);
    expect(quiet.stdout).toContain('mediaferry-demo');
    const quietUp = await run(
      ['-q', 'b2', 'upload', join(dir, 'big.bin'), `${BUCKET}/single2/`, '--stats', '1ms'],
      env,
    );
    expect(quietUp.stdout + quietUp.stderr).toBe('');
  });
});

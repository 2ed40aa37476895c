/**
 * `mediaferry copy` against `mediaferry emulator`: never a silent fake (issue 12 row 3), the destination is a
 * jail (rows 4, 12, 13), names are names (rows 5, 6), single files and malformed URLs (rows 10, 11).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  b2ClientFor,
  control,
  type Emulated,
  envFor,
  isolatedEnv,
  journal,
  report,
  run,
  startEmulator,
} from './support/cli.js';

const BUCKET = 'b2://mediaferry-demo';
const tmp = (name: string) => mkdtemp(join(tmpdir(), `mf-safe-${name}-`));

describe('copy: no silent fakes', () => {
  it('without credentials copy fails with exit 2 naming what is missing, even with -q, and creates nothing', async () => {
    const env = await isolatedEnv();
    const src = await tmp('src');
    await writeFile(join(src, 'a.bin'), 'data');
    const up = await run(['copy', src, `${BUCKET}/x/`, '-q'], env);
    expect(up.code).toBe(2);
    expect(up.stderr).toMatch(
      /b2: no credentials \(B2_APPLICATION_KEY_ID and B2_APPLICATION_KEY are not set\)/,
    );
    expect(up.stderr).toContain('mediaferry config set b2 keyId');
    expect(up.stderr).toContain('--emulator');
    const dest = join(await tmp('dest'), 'october');
    const pull = await run(['copy', 'gopro://2026-10-01..2026-10-31', dest, '-q'], env);
    expect(pull.code).toBe(2);
    expect(pull.stderr).toMatch(/GP_ACCESS_TOKEN are not set/);
    await expect(stat(dest)).rejects.toThrow(/ENOENT/);
    await expect(stat(join(env.XDG_STATE_HOME!, 'mediaferry'))).rejects.toThrow(/ENOENT/);
    const half = await run(['b2', 'buckets'], { ...env, B2_APPLICATION_KEY_ID: 'only-the-id' });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/B2_APPLICATION_KEY is missing/);
  });

  it('the embedded emulators run only when asked, and keep their state readable by the owner only', async () => {
    const env = await isolatedEnv();
    const src = await tmp('emu');
    await writeFile(join(src, 'kept.txt'), 'kept');
    const up = await run(['copy', src, `${BUCKET}/emu/`, '--emulator', '--json'], env);
    expect(up.code).toBe(0);
    const listed = await run(['b2', 'ls', `${BUCKET}/emu/`, '--json'], { ...env, MEDIAFERRY_EMULATOR: '1' });
    expect(JSON.parse(listed.stdout).map((f: { name: string }) => f.name)).toEqual(['emu/kept.txt']);
    const state = join(env.XDG_STATE_HOME!, 'mediaferry', 'emulators');
    expect((await stat(state)).mode & 0o777).toBe(0o700);
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else files.push(path);
      }
    };
    await walk(state);
    expect(files.length).toBeGreaterThan(1);
    for (const file of files)
      expect({ file, mode: (await stat(file)).mode & 0o777 }).toEqual({ file, mode: 0o600 });
    // BigGo downloads go through the client transport, so the embedded BigGo works as a source too.
    const bg = await tmp('bg-emu');
    const fromBigGo = await run(['copy', 'biggo://', bg, '--emulator', '--json'], env);
    expect(fromBigGo.code).toBe(0);
    expect(report(fromBigGo).copied).toBeGreaterThan(0);
  });
});

describe('copy: destinations, names and locations', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    emulator = await startEmulator('b2,gopro,biggo');
    env = await envFor(emulator);
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  /** Puts a file on B2 through the library (the CLI is what is under test, not the setup). */
  const upload = async (name: string, bytes: Uint8Array | string) => {
    const { put } = await b2ClientFor(emulator);
    await put(name, bytes);
  };

  it('never writes through a symbolic link in the destination', async () => {
    await upload('jail/evil/pwned', 'pwned');
    await upload('jail/clip.mp4', 'clip');
    await upload('jail/ok.txt', 'ok');
    const dest = await tmp('jail');
    const outside = await tmp('outside');
    await writeFile(join(outside, 'target'), 'untouched');
    await symlink(outside, join(dest, 'evil'));
    await symlink(join(outside, 'target'), join(dest, 'clip.mp4'));
    const result = await run(['copy', `${BUCKET}/jail/`, dest, '--json'], env);
    expect(result.code).toBe(1);
    const items = report(result).items;
    expect(items.find((i) => i.path === 'evil/pwned')?.error).toMatch(/evil is a symbolic link/);
    expect(items.find((i) => i.path === 'clip.mp4')?.error).toMatch(/not a regular file/);
    expect(items.find((i) => i.path === 'ok.txt')?.status).toBe('copied');
    expect(await readdir(outside)).toEqual(['target']);
    expect(await readFile(join(outside, 'target'), 'utf8')).toBe('untouched');
  });

  it('two BigGo videos with the same title both land, under stable names, and a re-run skips them', async () => {
    const dir = await tmp('bg');
    for (const body of ['first video', 'second video']) {
      await writeFile(join(dir, 'clip.mp4'), body);
      expect((await run(['biggo', 'upload', join(dir, 'clip.mp4'), '--title', 'Same Title'], env)).code).toBe(
        0,
      );
    }
    await control(emulator, 'biggo', 'clock', { advanceMs: 600_000 });
    const dest = await tmp('bg-dest');
    const first = report(await run(['copy', 'biggo://', dest, '--json'], env));
    expect(first.failed).toBe(0);
    const same = (await readdir(dest)).filter((n) => n.startsWith('Same Title')).sort();
    // The older keeps the title; the other gets its video id.
    expect(same).toEqual([expect.stringMatching(/^Same Title-[0-9a-f]+\.mp4$/), 'Same Title.mp4']);
    const contents = await Promise.all(same.map((n) => readFile(join(dest, n), 'utf8')));
    expect(new Set(contents).size).toBe(2);
    const second = report(await run(['copy', 'biggo://', dest, '--json'], env));
    expect(second.copied).toBe(0);
    expect(second.skipped).toBe(first.copied);
  });

  it('a BigGo download cut mid-body starts over (no validator proves a range is the same bytes) and lands whole', async () => {
    const dir = await tmp('bg-cut');
    const bytes = randomBytes(3_000_000);
    await writeFile(join(dir, 'long.mp4'), bytes);
    const up = await run(['biggo', 'upload', join(dir, 'long.mp4'), '--title', 'Long Cut', '--json'], env);
    expect(up.code).toBe(0);
    const { id } = JSON.parse(up.stdout) as { id: string };
    await control(emulator, 'biggo', 'clock', { advanceMs: 600_000 });
    await control(emulator, 'biggo', 'journal', undefined, 'DELETE');
    await control(emulator, 'biggo', 'wire-faults', {
      on: 'media',
      kind: 'reset_mid_body',
      afterBytes: 1_000_000,
      count: 1,
      skip: 1, // the HEAD that sizes the entry
    });
    const dest = await tmp('bg-cut-dest');
    const copied = report(await run(['copy', `biggo://${id}`, dest, '--json'], env));
    expect(copied).toMatchObject({ copied: 1, failed: 0 });
    expect(copied.items[0]).toMatchObject({ path: 'Long Cut.mp4', size: 3_000_000 });
    expect((await readFile(join(dest, 'Long Cut.mp4'))).equals(bytes)).toBe(true);
    const media = await journal(emulator, 'biggo', 'media');
    expect(media.map((m) => `${m.method}:${m.status}:${m.fault}`)).toEqual([
      'HEAD:200:null',
      'GET:200:reset_mid_body',
      'GET:200:null',
    ]);
    expect(await readdir(dest)).toEqual(['Long Cut.mp4']);
  });

  it('a B2 name with "..", "." or "//" is a name: b2 download and copy fetch that file, never another', async () => {
    await upload('h3/../t1/one.bin', 'the literal one');
    await upload('t1/one.bin', 'the other one');
    const dir = await tmp('names');
    const down = await run(['b2', 'download', `${BUCKET}/h3/../t1/one.bin`, join(dir, 'got')], env);
    expect(down.code).toBe(0);
    expect(await readFile(join(dir, 'got'), 'utf8')).toBe('the literal one');
    const single = await run(['copy', `${BUCKET}/h3/../t1/one.bin`, join(dir, 'single'), '--json'], env);
    expect(single.code).toBe(0);
    expect(await readFile(join(dir, 'single', 'one.bin'), 'utf8')).toBe('the literal one');
    // On disk such a name cannot be represented: a clear error for that item.
    const folder = await run(['copy', `${BUCKET}/h3/`, join(dir, 'folder'), '--json'], env);
    expect(folder.code).toBe(1);
    expect(report(folder).items[0]?.error).toMatch(/"\.\." segment/);
    // B2 to B2 keeps it literally.
    expect((await run(['copy', `${BUCKET}/h3/`, `${BUCKET}/kept/`], env)).code).toBe(0);
    const listed = JSON.parse((await run(['b2', 'ls', `${BUCKET}/kept/`, '-r', '--json'], env)).stdout);
    expect(listed.map((f: { name: string }) => f.name)).toEqual(['kept/../t1/one.bin']);
  });

  it('a single B2 file as source: that file, not its neighbours', async () => {
    await upload('single/dir/file.mp4', 'one file');
    await upload('single/dir/file.mp4.bak', 'not this one');
    const dest = await tmp('single-b2');
    const b2 = await run(['copy', `${BUCKET}/single/dir/file.mp4`, dest, '--json'], env);
    expect(report(b2)).toMatchObject({ copied: 1, failed: 0 });
    expect(await readdir(dest)).toEqual(['file.mp4']);
  });

  it('a single GoPro media and a single BigGo video as sources', async () => {
    const dest = await tmp('single-media');
    const media = JSON.parse(
      (await run(['gopro', 'ls', '--from', '2026-10-01', '--to', '2026-10-03', '--json'], env)).stdout,
    ) as Array<{ id: string }>;
    const gopro = await run(['copy', `gopro://${media[0]!.id}`, join(dest, 'gopro'), '--json'], env);
    expect(report(gopro)).toMatchObject({ copied: 1, failed: 0 });
    const videos = JSON.parse((await run(['biggo', 'videos', '--json'], env)).stdout) as Array<{
      id: string;
      title: string;
      processed: boolean;
    }>;
    const video = videos.find((v) => v.processed)!;
    const biggo = await run(['copy', `biggo://${video.id}`, join(dest, 'biggo'), '--json'], env);
    expect(report(biggo)).toMatchObject({ copied: 1, failed: 0 });
    expect(await readdir(join(dest, 'biggo'))).toEqual([`${video.title}.mp4`]);
  });

  it('a single local file as source', async () => {
    const dir = await tmp('single-local');
    await writeFile(join(dir, 'one.bin'), 'local single');
    const local = await run(['copy', join(dir, 'one.bin'), `${BUCKET}/single-local/`, '--json'], env);
    expect(report(local)).toMatchObject({ copied: 1, failed: 0 });
    const listed = JSON.parse((await run(['b2', 'ls', `${BUCKET}/single-local/`, '--json'], env)).stdout);
    expect(listed.map((f: { name: string }) => f.name)).toEqual(['single-local/one.bin']);
  });

  it('a malformed service URL is a usage error, never a local folder', async () => {
    const cwd = await tmp('cwd');
    for (const location of ['b2:/mediaferry-demo/x', 'b2:mediaferry-demo', 'gopro:2026-10-01..2026-10-02']) {
      const result = await run(['copy', cwd, location], env);
      expect({ location, code: result.code }).toEqual({ location, code: 2 });
      expect(result.stderr).toMatch(/take two slashes/);
    }
    expect(await readdir(cwd)).toEqual([]);
  });

  it('names of 255 bytes work (their temporary files fit too); longer ones fail alone with a clear error', async () => {
    const long = `${'é'.repeat(125)}.mp4`; // 254 bytes
    const tooLong = `${'x'.repeat(300)}.mp4`;
    await upload(`long/${long}`, randomBytes(2000));
    await upload(`long/${tooLong}`, 'too long');
    const dest = await tmp('long');
    const result = await run(['copy', `${BUCKET}/long/`, dest, '--json'], env);
    expect(result.code).toBe(1);
    const items = report(result).items;
    expect(items.find((i) => i.path === long)?.status).toBe('copied');
    expect(items.find((i) => i.path === tooLong)?.error).toMatch(/304 bytes; file names are limited to 255/);
    expect(await readdir(dest)).toEqual([long]);
    const down = await run(['b2', 'download', `${BUCKET}/long/${long}`, join(dest, 'again')], env);
    expect(down.code).toBe(0);
  });

  it('a destination that cannot be a folder fails fast with one line', async () => {
    const file = join(await tmp('file'), 'a-file');
    await writeFile(file, 'x');
    await upload('fast/a.bin', 'a');
    for (const dest of ['/proc/x', file, join(file, 'below')]) {
      const started = Date.now();
      const result = await run(['copy', `${BUCKET}/fast/`, dest], env);
      expect({ dest, code: result.code }).toEqual({ dest, code: 1 });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.stderr.split('\n')[0]).toMatch(
        new RegExp(`^error ${dest.replace(/[/.]/g, '\\$&')} cannot be used`),
      );
    }
  });

  it('a folder walked as a source never uploads partial files of an interrupted download', async () => {
    const src = await tmp('walk');
    await mkdir(join(src, '.mediaferry-partial'));
    await writeFile(join(src, '.mediaferry-partial', '0123-4567.part'), 'half');
    await writeFile(join(src, '.clip.mp4.0123456789ab.mfpart'), 'half');
    await writeFile(join(src, 'clip.mp4'), 'whole');
    const result = report(await run(['copy', src, `${BUCKET}/walk/`, '--json'], env));
    expect(result.items.map((i) => i.path)).toEqual(['clip.mp4']);
  });

  it('a connection reset while reading GoPro JSON (search, download) is retried, not the end of the copy', async () => {
    for (const on of ['search', 'download'])
      await control(emulator, 'gopro', 'wire-faults', { on, kind: 'reset_mid_body', afterBytes: 20 });
    const dest = await tmp('gopro-json');
    const result = await run(['copy', 'gopro://2026-10-01..2026-10-03', dest, '--json'], env);
    expect(report(result).failed).toBe(0);
    expect(report(result).copied).toBeGreaterThan(0);
    expect((await control<{ faults: unknown[] }>(emulator, 'gopro', 'wire-faults')).faults).toEqual([]);
  });
});

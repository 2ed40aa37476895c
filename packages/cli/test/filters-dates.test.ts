/**
 * Filters, media-only targets and kept dates, through the built binary against `mediaferry emulator`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { B2Client } from '@mediaferry/b2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMp3, sampleMp4 } from '../src/commands/samples.js';
import { b2ClientFor, type Emulated, envFor, journal, report, run, startEmulator } from './support/cli.js';

const BUCKET = 'b2://mediaferry-demo';

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }))
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
  };
  await walk(dir);
  return out.sort();
}

describe('filters, media targets and dates', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  let b2: B2Client;
  let bucketId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    env = await envFor(emulator);
    ({ b2, bucketId } = await b2ClientFor(emulator));
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  it('--include/--exclude (first match wins), sizes, ages and the default excludes', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-filter-'));
    await mkdir(join(src, 'keep'));
    await mkdir(join(src, '.Trashes/501'), { recursive: true });
    const put = async (name: string, size: number, ageDays = 0) => {
      await writeFile(join(src, name), randomBytes(size));
      const at = new Date(Date.now() - ageDays * 86_400_000);
      await utimes(join(src, name), at, at);
    };
    await put('keep/a.mp4', 2000);
    await put('b.mp4', 2000);
    await put('small.mp4', 10);
    await put('old.mp4', 2000, 40);
    await put('notes.txt', 2000);
    await put('.DS_Store', 100);
    await put('Thumbs.db', 100);
    await put('.Trashes/501/x.mp4', 2000);
    const dest = `${BUCKET}/filters/`;
    const copied = report(
      await run(
        [
          'copy',
          src,
          dest,
          '--include',
          'keep/*.mp4',
          '--exclude',
          'b.mp4',
          '--include',
          '*.mp4',
          '--min-size',
          '1K',
          '--max-age',
          '30d',
          '--json',
        ],
        env,
      ),
    ) as ReturnType<typeof report> & { excluded: number };
    expect(copied.items.map((i) => i.path).sort()).toEqual(['keep/a.mp4']);
    expect(copied.excluded).toBe(7);
    // -v names each exclusion and its rule; without it they are only counted.
    const verbose = await run(
      ['copy', src, `${BUCKET}/filters-v/`, '--exclude', '*.txt', '--dry-run', '-v'],
      env,
    );
    expect(verbose.stderr).toContain('excluded notes.txt (excluded by --exclude *.txt)');
    expect(verbose.stderr).toMatch(/excluded \.DS_Store \(excluded by a default exclude/);
    expect(verbose.stderr).toMatch(/excluded \.Trashes\/501\/x\.mp4/);
    const quiet = await run(['copy', src, `${BUCKET}/filters-v/`, '--exclude', '*.txt', '--dry-run'], env);
    expect(quiet.stderr).not.toContain('excluded');
    expect(quiet.stdout).toMatch(/4 excluded/);
    // --no-default-excludes takes the junk too.
    const all = report(
      await run(['copy', src, `${BUCKET}/filters-all/`, '--no-default-excludes', '--dry-run', '--json'], env),
    );
    expect(all.items.map((i) => i.path)).toEqual(
      expect.arrayContaining(['.DS_Store', 'Thumbs.db', '.Trashes/501/x.mp4']),
    );
  });

  it('BigGo takes only video and Mixcloud only audio, by extension and by their bytes; the rest is skipped with a reason', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-media-'));
    await writeFile(join(src, 'clip.mp4'), sampleMp4(4000));
    await writeFile(join(src, 'mix.mp3'), sampleMp3(20));
    await writeFile(
      join(src, 'cover.jpg'),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]),
    );
    await writeFile(join(src, 'fake.mp3'), 'plain text pretending to be audio');
    await writeFile(join(src, 'fake.mp4'), 'plain text pretending to be video');
    // Listed before clip.mp4 and of the same title: refused by its name, it never takes clip's title.
    await writeFile(join(src, 'clip.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
    const toMixcloud = report(await run(['copy', src, 'mixcloud://me', '--json'], env));
    const reasons = Object.fromEntries(toMixcloud.items.map((i) => [i.path, i.reason ?? i.status]));
    expect(reasons['mix.mp3']).toBe('copied');
    expect(reasons['cover.jpg']).toMatch(/not audio: Mixcloud publishes audio files only/);
    expect(reasons['clip.mp4']).toMatch(/not audio/);
    expect(reasons['fake.mp3']).toMatch(/named \.mp3 but its bytes are not audio/);
    const toBigGo = report(await run(['copy', src, 'biggo://', '--json'], env));
    const video = Object.fromEntries(toBigGo.items.map((i) => [i.path, i.reason ?? i.status]));
    expect(video['clip.mp4']).toBe('copied');
    expect(video['mix.mp3']).toMatch(/not video: BigGo publishes video files only/);
    expect(video['clip.jpg']).toMatch(/not video/);
    expect(video['fake.mp4']).toMatch(/its bytes are not video/);
    // Skips are not failures.
    expect(toBigGo.failed).toBe(0);
  });

  it('local → B2 → local keeps modification times; b2 upload and b2 download keep them too', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-dates-'));
    const at = new Date('2024-05-06T07:08:09.123Z');
    await writeFile(join(src, 'old.bin'), randomBytes(1500));
    await utimes(join(src, 'old.bin'), at, at);
    expect(report(await run(['copy', src, `${BUCKET}/dates/`, '--json'], env)).copied).toBe(1);
    const [file] = await b2.files.list({ bucketId, prefix: 'dates/old.bin' }).toArray({ limit: 1 });
    expect(file?.fileInfo.src_last_modified_millis).toBe(String(at.getTime()));
    const back = await mkdtemp(join(tmpdir(), 'mf-dates-back-'));
    expect(report(await run(['copy', `${BUCKET}/dates/`, back, '--json'], env)).copied).toBe(1);
    expect((await stat(join(back, 'old.bin'))).mtime.toISOString()).toBe(at.toISOString());

    expect((await run(['b2', 'upload', join(src, 'old.bin'), `${BUCKET}/dates-single/`], env)).code).toBe(0);
    const got = await mkdtemp(join(tmpdir(), 'mf-dates-dl-'));
    expect((await run(['b2', 'download', `${BUCKET}/dates-single/old.bin`, got], env)).code).toBe(0);
    expect((await stat(join(got, 'old.bin'))).mtime.toISOString()).toBe(at.toISOString());
    // A file uploaded without a recorded time gets its upload time.
    await b2.files.upload({ bucketId, fileName: 'dates-plain/p.bin', source: new Uint8Array(10) }).done();
    const plain = await mkdtemp(join(tmpdir(), 'mf-dates-plain-'));
    await run(['copy', `${BUCKET}/dates-plain/`, plain], env);
    const [uploaded] = await b2.files.list({ bucketId, prefix: 'dates-plain/' }).toArray({ limit: 1 });
    expect((await stat(join(plain, 'p.bin'))).mtime.getTime()).toBe(uploaded!.uploadTimestamp.getTime());
    const single = join(plain, 'single.bin');
    expect((await run(['b2', 'download', `${BUCKET}/dates-plain/p.bin`, single], env)).code).toBe(0);
    expect((await stat(single)).mtime.getTime()).toBe(uploaded!.uploadTimestamp.getTime());
  });

  it('b2 download: parallel ranges with -j 4, one stream with -j 1, by default as many as the link calls for', async () => {
    const data = randomBytes(70 * 1024 * 1024);
    await b2.files.upload({ bucketId, fileName: 'ranges/big.bin', source: data }).done();
    const downloads = async () =>
      (await journal(emulator, 'b2', 'b2_download_file_by_id'))
        .concat(await journal(emulator, 'b2', 'download_file_by_name'))
        .filter((entry) => entry.method === 'GET');
    const dir = await mkdtemp(join(tmpdir(), 'mf-ranges-'));
    const before = (await downloads()).length;
    expect(
      (await run(['b2', 'download', `${BUCKET}/ranges/big.bin`, join(dir, 'a.bin'), '-j', '4'], env)).code,
    ).toBe(0);
    const parallel = (await downloads()).slice(before);
    expect(parallel.filter((entry) => entry.status === 206).length).toBeGreaterThanOrEqual(3);
    expect((await readFile(join(dir, 'a.bin'))).equals(data)).toBe(true);
    const adaptive = (await downloads()).length;
    expect((await run(['b2', 'download', `${BUCKET}/ranges/big.bin`, join(dir, 'c.bin')], env)).code).toBe(0);
    // The whole file as one range: more come only after a quarter second mostly spent waiting for bytes.
    expect((await downloads()).length - adaptive).toBeGreaterThanOrEqual(1);
    expect((await readFile(join(dir, 'c.bin'))).equals(data)).toBe(true);
    const middle = (await downloads()).length;
    expect(
      (await run(['b2', 'download', `${BUCKET}/ranges/big.bin`, join(dir, 'b.bin'), '-j', '1'], env)).code,
    ).toBe(0);
    expect((await downloads()).slice(middle).map((entry) => entry.status)).toEqual([200]);
    expect((await readFile(join(dir, 'b.bin'))).equals(data)).toBe(true);
    const refused = await run(['b2', 'download', `${BUCKET}/ranges/big.bin`, dir, '-j', '0'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('-j/--jobs must be a positive integer');
  });

  it('GoPro → local: mtime is the capture time, --layout date files by day, and gopro ls shows the names pull writes', async () => {
    const range = ['--from', '2026-10-01', '--to', '2026-10-08'];
    const listed = JSON.parse(
      (await run(['gopro', 'ls', ...range, '--layout', 'date', '--json'], env)).stdout,
    ) as Array<{
      name: string;
      captured: string;
    }>;
    expect(listed.length).toBeGreaterThan(0);
    for (const item of listed)
      expect(item.name.startsWith(item.captured.slice(0, 10).replace(/-/g, '/'))).toBe(true);
    const dest = await mkdtemp(join(tmpdir(), 'mf-gopro-date-'));
    const pulled = report(await run(['gopro', 'pull', dest, ...range, '--layout', 'date', '--json'], env));
    expect(pulled.failed).toBe(0);
    expect(await files(dest)).toEqual(listed.map((l) => l.name).sort());
    for (const item of listed)
      expect((await stat(join(dest, item.name))).mtime.toISOString()).toBe(item.captured);
    // The same names through copy, and a second pull skips everything (same size and capture time).
    const again = report(await run(['gopro', 'pull', dest, ...range, '--layout', 'date', '--json'], env));
    expect(again.skipped).toBe(listed.length);
    const viaCopy = await mkdtemp(join(tmpdir(), 'mf-gopro-copy-'));
    await run(['copy', 'gopro://2026-10-01..2026-10-08', viaCopy, '--layout', 'date'], env);
    expect(await files(viaCopy)).toEqual(listed.map((l) => l.name).sort());
  });
});

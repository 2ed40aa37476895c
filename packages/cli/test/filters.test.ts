import { describe, expect, it } from 'vitest';
import { sampleMp3, sampleMp4 } from '../src/commands/samples.js';
import { Filter } from '../src/filters/filter.js';
import { compileGlob } from '../src/filters/glob.js';
import { sniff } from '../src/filters/media.js';
import { collectRule, type RuleFlag } from '../src/filters/rules.js';

const rules = (...flags: Array<['include' | 'exclude', string]>) => {
  const include: RuleFlag[] = [];
  const exclude: RuleFlag[] = [];
  for (const [kind, pattern] of flags) (kind === 'include' ? include : exclude).push(...collectRule(pattern));
  return { include, exclude };
};

describe('rclone globs', () => {
  it.each([
    ['*.jpg', 'a.jpg', true],
    ['*.jpg', 'dir/a.jpg', true],
    ['*.jpg', 'a.jpgx', false],
    ['file.jpg', 'dir/file.jpg', true],
    ['file.jpg', 'dir/afile.jpg', false],
    ['/file.jpg', 'file.jpg', true],
    ['/file.jpg', 'dir/file.jpg', false],
    ['dir/*.mp4', 'top/dir/a.mp4', true],
    ['dir/*.mp4', 'dir/sub/a.mp4', false],
    ['dir/**', 'dir/sub/a.mp4', true],
    ['.Trashes/', '.Trashes/501/x.mp4', true],
    ['.Trashes/', 'a/.Trashes/x', true],
    ['?.mp4', 'a.mp4', true],
    ['?.mp4', 'ab.mp4', false],
    ['[ab].mp4', 'b.mp4', true],
    ['[!ab].mp4', 'b.mp4', false],
    ['*.{jpg,png}', 'x/y.png', true],
    ['*.{jpg,png}', 'x/y.gif', false],
    ['\\*.mp4', '*.mp4', true],
    ['\\*.mp4', 'a.mp4', false],
    ['a+b (1).mp4', 'a+b (1).mp4', true],
  ])('%s against %s → %s', (pattern, path, matches) => {
    expect(compileGlob(pattern).test(path)).toBe(matches);
  });

  it('refuses malformed patterns with a usage error', () => {
    for (const bad of ['', '[abc', '{a,b', 'x\\']) expect(() => compileGlob(bad)).toThrow();
  });
});

describe('filters', () => {
  it('the first matching rule decides, in command-line order across --include and --exclude', () => {
    const keepThenDrop = new Filter(rules(['include', 'keep/*.mp4'], ['exclude', '*.mp4']));
    expect(keepThenDrop.verdict({ path: 'keep/a.mp4' })).toBeUndefined();
    expect(keepThenDrop.verdict({ path: 'other/a.mp4' })).toMatch(/--exclude \*\.mp4/);
    // With any --include, what no rule matches is out.
    expect(keepThenDrop.verdict({ path: 'notes.txt' })).toBe('matches no --include');
    const dropThenKeep = new Filter(rules(['exclude', '*.mp4'], ['include', 'keep/*.mp4']));
    expect(dropThenKeep.verdict({ path: 'keep/a.mp4' })).toMatch(/--exclude/);
    expect(new Filter(rules(['exclude', '*.tmp'])).verdict({ path: 'a.txt' })).toBeUndefined();
  });

  it('skips junk by default, case-insensitively, unless --no-default-excludes', () => {
    const filter = new Filter();
    for (const junk of [
      '.DS_Store',
      'a/Thumbs.db',
      'THUMBS.DB',
      'desktop.ini',
      '.Trashes/501/a.mp4',
      '.Spotlight-V100/Store-V2/x',
      'clip.mp4.ab12.mfpart',
      '.mediaferry-partial/x.part',
    ])
      expect(filter.verdict({ path: junk }), junk).toMatch(/default exclude/);
    expect(filter.verdict({ path: 'clip.mp4' })).toBeUndefined();
    expect(new Filter({ defaultExcludes: false }).verdict({ path: '.DS_Store' })).toBeUndefined();
  });

  it('bounds sizes and ages; an entry whose size or date is unknown does not pass such a bound', () => {
    const now = Date.parse('2026-10-31T00:00:00Z');
    const sized = new Filter({ minSize: '1K', maxSize: '1M' }, now);
    expect(sized.verdict({ path: 'a', size: 1000 })).toMatch(/smaller than --min-size 1.0 KiB/);
    expect(sized.verdict({ path: 'a', size: 1024 })).toBeUndefined();
    expect(sized.verdict({ path: 'a', size: 1024 ** 2 + 1 })).toMatch(/larger than --max-size/);
    expect(sized.verdict({ path: 'a' })).toMatch(/size unknown/);
    const aged = new Filter({ maxAge: '7d', minAge: '2026-10-30' }, now);
    expect(aged.verdict({ path: 'a', modifiedMs: Date.parse('2026-10-20T00:00:00Z') })).toBe(
      'older than --max-age',
    );
    expect(aged.verdict({ path: 'a', modifiedMs: Date.parse('2026-10-29T00:00:00Z') })).toBeUndefined();
    expect(aged.verdict({ path: 'a', modifiedMs: Date.parse('2026-10-30T12:00:00Z') })).toBe(
      'newer than --min-age',
    );
    expect(() => new Filter({ minSize: '2M', maxSize: '1M' })).toThrow(/nothing would pass/);
    expect(() => new Filter({ maxAge: 'soon' })).toThrow(/--max-age must be an age/);
  });
});

describe('media sniffing', () => {
  it('tells video from audio by their first bytes', () => {
    expect([...sniff(sampleMp4(64))]).toEqual(['video']);
    expect([...sniff(sampleMp3(1))]).toEqual(['audio']);
    expect(sniff(new TextEncoder().encode('just some notes, not media')).size).toBe(0);
    expect(sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46])).size).toBe(0); // a JPEG
  });
});

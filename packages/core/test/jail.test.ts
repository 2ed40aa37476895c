import { mkdir, mkdtemp, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, openJail, tempPathBeside, UnsafePathError } from '../src/index.js';

const fresh = () => mkdtemp(join(tmpdir(), 'mf-jail-'));

describe('openJail', () => {
  it('places names inside the root, creating their folders', async () => {
    const root = join(await fresh(), 'new', 'root');
    const jail = await openJail(root);
    const path = await jail.place('a/b/clip.mp4');
    expect(path).toBe(join(jail.root, 'a', 'b', 'clip.mp4'));
    expect((await stat(join(jail.root, 'a', 'b'))).isDirectory()).toBe(true);
    await writeFile(path, 'x');
    await expect(jail.verify(path)).resolves.toBeUndefined();
  });

  it('refuses a folder that is a symbolic link, a final name that is one, and names that leave the root', async () => {
    const root = await fresh();
    const outside = await fresh();
    await symlink(outside, join(root, 'evil'));
    await symlink(join(outside, 'file'), join(root, 'link.mp4'));
    const jail = await openJail(root);
    await expect(jail.place('evil/pwned')).rejects.toThrow(UnsafePathError);
    await expect(jail.place('evil/deeper/pwned')).rejects.toThrow(/evil is a symbolic link/);
    await expect(jail.place('../x')).rejects.toThrow(UnsafePathError);
    await expect(jail.verify(join(jail.root, 'link.mp4'))).rejects.toThrow(/not a regular file/);
    await mkdir(join(root, 'dir'));
    await writeFile(join(root, 'file'), 'x');
    await expect(jail.place('file/below')).rejects.toThrow(/file exists and is not a folder/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses a segment over 255 bytes, accepts 255', async () => {
    const jail = await openJail(await fresh());
    await expect(jail.place(`${'x'.repeat(256)}`)).rejects.toThrow(
      /256 bytes; file names are limited to 255/,
    );
    await expect(jail.place(`${'é'.repeat(127)}x`)).resolves.toContain('é');
  });

  it('a destination that cannot be a folder fails at once', async () => {
    const file = join(await fresh(), 'file');
    await writeFile(file, 'x');
    for (const root of ['/proc/x', file, join(file, 'below')]) {
      const error = await openJail(root).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe('destination');
    }
  });
});

describe('tempPathBeside', () => {
  it('keeps the temporary name within 255 bytes for the longest final names', () => {
    const name = `${'é'.repeat(127)}x`;
    expect(Buffer.byteLength(name)).toBe(255);
    const temp = tempPathBeside(join('/some/dir', name));
    expect(temp.startsWith('/some/dir/.')).toBe(true);
    expect(Buffer.byteLength(temp.slice('/some/dir/'.length))).toBeLessThanOrEqual(255);
    expect(temp.endsWith('.mfpart')).toBe(true);
  });
});

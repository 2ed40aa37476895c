import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeJoin, UnsafePathError } from '../src/index.js';

describe('safeJoin', () => {
  const root = resolve('/tmp/dest');
  it('keeps ordinary names and sub-folders inside the root', () => {
    expect(safeJoin(root, 'GOPR0001.MP4')).toBe(join(root, 'GOPR0001.MP4'));
    expect(safeJoin(root, '2026/11/clip one.mp4')).toBe(join(root, '2026', '11', 'clip one.mp4'));
    expect(safeJoin(root, '..hidden..name')).toBe(join(root, '..hidden..name'));
  });
  it.each([
    ['../escape.mp4', /"\." or "\.\."/],
    ['a/../../b', /"\." or "\.\."/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/x', /absolute/],
    ['..\\..\\x', /backslash/],
    ['\\\\server\\share', /backslash/],
    ['ok\u0000.mp4', /NUL/],
    ['line\nbreak', /control/],
    ['', /empty/],
    ['.', /"\."/],
    ['a//b', /empty segment/],
  ])('rejects %j', (name, reason) => {
    expect(() => safeJoin(root, name)).toThrow(UnsafePathError);
    expect(() => safeJoin(root, name)).toThrow(reason);
  });
});

/**
 * File names received from servers are never trusted as paths: {@link safeJoin} only returns a path
 * inside the target folder, or throws {@link UnsafePathError}.
 *
 * @module
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UnsafePathError } from '../errors.js';

/**
 * Resolves `name` (which may contain `/`-separated sub-folders) inside `root`. Rejects empty names, NUL
 * and control characters, absolute paths (POSIX, drive letters, UNC), backslashes and `.`/`..` segments.
 */
export function safeJoin(root: string, name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new UnsafePathError(String(name), 'empty name');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw new UnsafePathError(name, 'contains NUL or control characters');
  if (name.includes('\\')) throw new UnsafePathError(name, 'contains a backslash');
  if (name.startsWith('/') || /^[a-z]:/i.test(name) || isAbsolute(name))
    throw new UnsafePathError(name, 'is an absolute path');
  const segments = name.split('/');
  if (segments.some((s) => s === '..' || s === '.'))
    throw new UnsafePathError(name, 'contains a "." or ".." segment');
  if (segments.some((s) => s === '')) throw new UnsafePathError(name, 'contains an empty segment');
  const base = resolve(root);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new UnsafePathError(name, 'escapes the destination folder');
  }
  return target;
}

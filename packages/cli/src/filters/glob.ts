/**
 * rclone's glob patterns, compiled to regular expressions over `/`-separated relative paths:
 * - `*` any run of characters but `/`; `**` any run, `/` included; `?` one character but `/`;
 * - `[abc]`, `[a-z]`, `[!abc]` character classes; `{jpg,png}` alternatives (which may hold patterns);
 * - `\` escapes the next character;
 * - a leading `/` anchors the pattern at the root of the listing; otherwise it matches at the end of the
 *   path, on whole path elements (`*.jpg` matches `a.jpg` and `dir/a.jpg`, `b.jpg` does not match `ab.jpg`);
 * - a trailing `/` names a folder and everything in it (`.Trashes/` is `.Trashes/**`).
 *
 * @module
 */
import { UsageError } from '../errors.js';

const SPECIAL = /[.+^$()|\\]/;

function translate(pattern: string, whole: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const char = pattern[i]!;
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new UsageError(`the pattern ${whole} ends with a lone \\`);
      out += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i += 1;
    } else if (char === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i += 1;
      } else out += '[^/]*';
    } else if (char === '?') out += '[^/]';
    else if (char === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new UsageError(`the pattern ${whole} has a [ without its ]`);
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (char === '{') {
      let depth = 1;
      let j = i + 1;
      const options: string[] = [];
      let start = j;
      for (; j < pattern.length && depth > 0; j += 1) {
        const c = pattern[j];
        if (c === '\\') j += 1;
        else if (c === '{') depth += 1;
        else if (c === '}') {
          depth -= 1;
          if (depth === 0) options.push(pattern.slice(start, j));
        } else if (c === ',' && depth === 1) {
          options.push(pattern.slice(start, j));
          start = j + 1;
        }
      }
      if (depth > 0) throw new UsageError(`the pattern ${whole} has a { without its }`);
      out += `(?:${options.map((option) => translate(option, whole)).join('|')})`;
      i = j - 1;
    } else if (SPECIAL.test(char)) out += `\\${char}`;
    else out += char;
  }
  return out;
}

/** Compiles one rclone glob (see the module comment); `caseInsensitive` for the default junk patterns. */
export function compileGlob(pattern: string, caseInsensitive = false): RegExp {
  if (pattern === '')
    throw new UsageError('an empty filter pattern matches nothing', 'e.g. --exclude "*.tmp"');
  let body = pattern;
  const anchored = body.startsWith('/');
  if (anchored) body = body.slice(1);
  if (body.endsWith('/')) body = `${body}**`;
  return new RegExp(`${anchored ? '^' : '(?:^|/)'}${translate(body, pattern)}$`, caseInsensitive ? 'i' : '');
}

/**
 * Names of temporary files. A temporary name must fit the same 255-byte limit as the final name it stands
 * for (a 250-byte B2 name is a valid file name; its temporary file must be one too).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The longest file name (one path segment) common filesystems accept, in bytes. */
export const NAME_MAX_BYTES = 255;

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

/**
 * A fresh temporary path beside `destination`: `.<name>.<12 hex>.mfpart`, the name shortened so that the
 * whole stays within {@link NAME_MAX_BYTES}.
 */
export function tempPathBeside(destination: string): string {
  const suffix = `.${randomBytes(6).toString('hex')}.mfpart`;
  const room = NAME_MAX_BYTES - 1 - Buffer.byteLength(suffix);
  return join(dirname(destination), `.${truncateUtf8(basename(destination), room)}${suffix}`);
}

/** True for a name {@link tempPathBeside} (or a kept `<name>.mfpart`) produces: never data to copy. */
export function isTemporaryName(name: string): boolean {
  return name.endsWith('.mfpart');
}

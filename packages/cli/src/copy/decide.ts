import type { Entry, Existing, Source } from './types.js';

/**
 * How a copy decides that the target already holds an entry (rclone's rules):
 * - `default`: the same SHA-1 where both sides know it, otherwise the same size and modification time;
 * - `checksum`: the same SHA-1, reading either side to hash it when it must (size and time only where a side
 *   cannot be hashed at all);
 * - `size-only`: the same size (explicit opt-in: an in-place edit goes unnoticed).
 */
export type CompareMode = 'default' | 'checksum' | 'size-only';

/** Why an entry is skipped, or undefined when it must be copied. */
export async function alreadyThere(
  entry: Entry,
  existing: Existing,
  mode: CompareMode,
  source: Source,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (existing.byNameOnly) return `already there (${existing.byNameOnly})`;
  if (entry.size !== undefined && existing.size !== undefined && entry.size !== existing.size)
    return undefined;
  const sameSize = entry.size !== undefined && entry.size === existing.size;
  if (mode === 'size-only') return sameSize ? 'same size (--size-only)' : undefined;
  if (!sameSize) return undefined;
  let ours = entry.sha1;
  let theirs = existing.sha1;
  if (mode === 'checksum') {
    ours ??= (await source.digest?.(entry, signal))?.sha1;
    theirs ??= await existing.digest?.(signal);
  }
  if (ours && theirs) return ours === theirs ? 'same SHA-1' : undefined;
  if (entry.modifiedMs === undefined || existing.modifiedMs === undefined) return undefined;
  if (entry.modifiedMs !== existing.modifiedMs) return undefined;
  return mode === 'checksum'
    ? 'same size and modification time (no SHA-1 on one side)'
    : 'same size and modification time';
}

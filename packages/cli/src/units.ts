import { UsageError } from './errors.js';

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `64M`, `1.5G`, `10MiB`, `100k`, `4096` (bytes) → bytes (binary units, as rclone's). */
export function parseSize(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i.exec(text.trim());
  const bytes = match ? Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 0)
    throw new UsageError(`${flag} must be a size like 64M, 1.5G or 4096 (bytes), got ${text}`);
  return bytes;
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

/** `90s`, `15m`, `2h`, `7d`, `2w`, `3M`, `1y` (rclone's units; a bare number is seconds) → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|M|y)?$/.exec(text.trim());
  if (!match)
    throw new UsageError(
      `${flag} must be an age like 90s, 15m, 2h, 7d, 2w, 3M, 1y or a date like 2026-10-01, got ${text}`,
    );
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 's']!);
}

/** An age flag as a point in time: a duration before `now`, or an absolute date (`2026-10-01`, ISO 8601). */
export function parseAgeLimit(text: string, flag: string, now: number): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(at)) throw new UsageError(`${flag}: ${text} is not a date`);
    return at;
  }
  return now - parseDuration(text, flag);
}

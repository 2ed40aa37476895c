/**
 * Progress as text: the job's total line, a bar, and one line per transfer in flight (a terminal frame), or
 * one plain line for logs. Pure functions of {@link JobStats}, so a frame can be compared in tests.
 *
 * @module
 */
import { formatBytes } from '../output.js';
import type { InFlight, JobStats } from './stats.js';

/** `3 s`, `2 min 5 s`, `1 h 4 min`. */
export function formatEta(ms: number | undefined): string {
  if (ms === undefined) return '-';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** A bar of `width` cells, `fraction` of them full. */
export function bar(fraction: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
}

const percent = (done: number, total: number) =>
  total > 0 ? `${Math.floor((Math.min(done, total) / total) * 100)}%` : '100%';

/** The whole job in one line: `4/10 files (1 skipped) · 12.0 MiB / 40.0 MiB · 4.2 MiB/s · ETA 7 s`. */
export function totalLine(stats: JobStats): string {
  const more = stats.listing ? '+' : '';
  const parts = [`${stats.done}/${stats.files}${more} files`];
  const notes = [
    ...(stats.skipped ? [`${stats.skipped} skipped`] : []),
    ...(stats.failed ? [`${stats.failed} failed`] : []),
  ];
  if (notes.length) parts[0] += ` (${notes.join(', ')})`;
  const total = stats.unknownSizes > 0 ? '?' : `${formatBytes(stats.bytesTotal)}${more}`;
  parts.push(`${formatBytes(stats.bytesDone)} / ${total}`);
  parts.push(`${formatBytes(stats.rate())}/s`);
  parts.push(stats.listing ? 'listing…' : `ETA ${formatEta(stats.eta())}`);
  return parts.join(' · ');
}

/** One transfer: `  clip.mp4  ██████░░░░  41%  2.0 MiB / 4.9 MiB`, fitted to `width`. */
export function transferLine(transfer: InFlight, width: number): string {
  const size = transfer.size;
  const numbers =
    size === undefined
      ? `${formatBytes(transfer.loaded)}`
      : `${percent(transfer.loaded, size).padStart(4)}  ${formatBytes(transfer.loaded)} / ${formatBytes(size)}`;
  const cells = 16;
  // Two spaces of indent, two between each column, and the last column left free (no wrap).
  const nameRoom = Math.max(8, width - 1 - (2 + 2 + cells + 2 + numbers.length));
  return `  ${fit(transfer.name, nameRoom).padEnd(nameRoom)}  ${size === undefined ? ' '.repeat(cells) : bar(transfer.loaded / Math.max(1, size), cells)}  ${numbers}`;
}

/** Shortens a name in the middle (`GX0100…01.MP4`), keeping its end, where the extension is. */
export function fit(text: string, room: number): string {
  const chars = [...text];
  if (chars.length <= room) return text;
  const tail = Math.floor((room - 1) / 2);
  return `${chars.slice(0, room - 1 - tail).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/**
 * A terminal frame: the total line, the job's bar, then each transfer in flight (at most `maxTransfers`,
 * then how many more). Every line is cut to `width - 1` so the terminal never wraps one.
 */
export function frame(stats: JobStats, width: number, maxTransfers = 8): string[] {
  const total = stats.unknownSizes > 0 || stats.listing ? undefined : stats.bytesTotal;
  const barWidth = Math.max(10, Math.min(40, width - 8));
  const lines = [
    totalLine(stats),
    total === undefined
      ? ''
      : `${bar(stats.bytesDone / Math.max(1, total), barWidth)} ${percent(stats.bytesDone, total).padStart(4)}`,
  ];
  const transfers = [...stats.inFlight.values()];
  for (const transfer of transfers.slice(0, maxTransfers)) lines.push(transferLine(transfer, width));
  if (transfers.length > maxTransfers) lines.push(`  … and ${transfers.length - maxTransfers} more`);
  return lines.filter((line, index) => index !== 1 || line !== '').map((line) => cut(line, width - 1));
}

function cut(line: string, room: number): string {
  const chars = [...line];
  return chars.length <= room ? line : chars.slice(0, room).join('');
}

/** One line for a log (no terminal): `progress 4/10 files · 12.0 MiB / 40.0 MiB · 4.2 MiB/s · ETA 7 s`. */
export function plainLine(stats: JobStats): string {
  return `progress ${totalLine(stats)}`;
}

/** The figures a comparative bench prints: one table (tool, size, seconds, MiB/s, ratio, peak RSS). */
import { loadavg } from 'node:os';
import { MiB } from './files.js';

export interface FigureRow {
  readonly tool: string;
  readonly size: number;
  /** Median wall time, ms. */
  readonly ms: number;
  /** Time divided by the reference's time (lower is faster); undefined when there is no reference. */
  readonly ratio: number | undefined;
  /** Largest peak RSS over the repetitions, bytes. */
  readonly peakRss: number | undefined;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const mibPerSecond = (bytes: number, ms: number): number => bytes / MiB / (ms / 1000);

function cells(row: FigureRow): string[] {
  return [
    row.tool,
    `${(row.size / MiB).toFixed(0)} MiB`,
    (row.ms / 1000).toFixed(2),
    mibPerSecond(row.size, row.ms).toFixed(0),
    row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
    row.peakRss === undefined ? '—' : `${(row.peakRss / MiB).toFixed(0)} MiB`,
  ];
}

/** A plain-text table; numbers right-aligned. */
export function formatTable(rows: readonly FigureRow[]): string {
  const header = ['tool', 'size', 'seconds', 'MiB/s', 'ratio', 'peak RSS'];
  const body = rows.map(cells);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** `uptime`'s load averages, to read noisy figures against. */
export function loadLine(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
}

import type { Command } from 'commander';
import pc from 'picocolors';
import { UsageError } from './errors.js';

/** How the user asked to be talked to; shared by every command. */
export interface OutputOptions {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** How often progress is printed as a plain line when stderr is not a terminal; 0: never. */
  readonly statsMs: number;
}

/** Plain progress lines every 10 s by default (`--stats`). */
const DEFAULT_STATS_MS = 10_000;

/** `--stats 500ms`, `--stats 10s`, `--stats 1m`, `--stats 0`. */
function statsInterval(text: string | undefined): number {
  if (text === undefined) return DEFAULT_STATS_MS;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match)
    throw new UsageError(`--stats must be an interval like 500ms, 10s or 1m (0: never), got ${text}`);
  return Math.round(Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[match[2] ?? 's']!);
}

/** The global output flags, as any command sees them. */
export function outputOf(command: Command): OutputOptions {
  const all = command.optsWithGlobals<{
    json?: boolean;
    quiet?: boolean;
    verbose?: boolean;
    stats?: string;
  }>();
  return {
    json: all.json ?? false,
    quiet: all.quiet ?? false,
    verbose: all.verbose ?? false,
    statsMs: statsInterval(all.stats),
  };
}

/** Output the user asked for (a listing, a table): printed even with --quiet. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Colours only for a TTY, and never with NO_COLOR (picocolors checks both for stdout). */
export const colors = pc;

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A note about what was done (`uploaded …`): hidden by --quiet and --json. */
export function info(output: OutputOptions, message: string): void {
  if (!output.quiet && !output.json) process.stdout.write(`${message}\n`);
}

/** Notices go to stderr so `--json` stdout stays machine-readable. */
export function notice(output: OutputOptions, message: string): void {
  if (!output.quiet) process.stderr.write(`${colors.yellow('note')} ${message}\n`);
}

/** A plain aligned table; cells are strings already formatted for humans. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => visibleLength(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === cells.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  return [colors.bold(line(headers)), ...rows.map(line)].join('\n');
}

function visibleLength(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(value >= 100 ? 0 : 1)} ${UNITS[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

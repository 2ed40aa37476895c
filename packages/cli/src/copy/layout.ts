import { UsageError } from '../errors.js';
import type { Entry, Source } from './types.js';

/**
 * How copied files are laid out at the destination: `source` keeps the source's own paths; `date` files each
 * under the day it was modified or captured (UTC): `2026/10/03/GX010001.MP4`, `undated/…` when the source
 * states no time.
 */
export type Layout = 'source' | 'date';

export function parseLayout(text: string | undefined): Layout {
  if (text === undefined || text === 'source') return 'source';
  if (text === 'date') return 'date';
  throw new UsageError(
    `--layout must be source or date, got ${text}`,
    'e.g. --layout date → 2026/10/03/GX010001.MP4',
  );
}

/** The path an entry gets under a layout. */
export function laidOut(entry: Pick<Entry, 'path' | 'modifiedMs'>, layout: Layout): string {
  if (layout === 'source') return entry.path;
  const name = entry.path.slice(entry.path.lastIndexOf('/') + 1);
  if (entry.modifiedMs === undefined) return `undated/${name}`;
  const day = new Date(entry.modifiedMs).toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/${name}`;
}

/** A source whose entries carry the layout's paths (what the target names them, and what reports show). */
export function withLayout(source: Source, layout: Layout): Source {
  if (layout === 'source') return source;
  return {
    ...source,
    async *list(signal) {
      for await (const entry of source.list(signal)) yield { ...entry, path: laidOut(entry, layout) };
    },
  };
}

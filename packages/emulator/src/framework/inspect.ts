/**
 * What a service shows in the web console (`/__emulator/ui/`) and what the console may do to its state.
 * A service describes pages as plain data; the console renders them (escaped), so a service writes no HTML.
 */
import type { BlobStore } from './blobs.js';
import type { ServiceContext } from './define.js';

/** A value in a table cell or a field. */
export type ConsoleCell =
  | string
  | number
  | boolean
  | null
  | undefined
  /** Text, in monospace when `mono`; a link to another console page when `at` is set. */
  | { readonly text: string; readonly at?: string; readonly mono?: boolean; readonly title?: string }
  /** A download link for a blob, saved as `name`. */
  | { readonly download: string; readonly name: string; readonly label?: string }
  /** A blob shown as an image (a thumbnail). */
  | { readonly image: string; readonly alt: string }
  /** A button that runs one of the service's console actions on `target`. */
  | { readonly action: string; readonly target: string; readonly label: string; readonly confirm?: string }
  /** A short status word, coloured by tone. */
  | { readonly badge: string; readonly tone?: 'ok' | 'warn' | 'bad' | 'info' }
  /** Several values side by side. */
  | { readonly list: readonly ConsoleCell[] };

export type ConsoleNode =
  | {
      readonly kind: 'table';
      readonly title?: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly ConsoleCell[])[];
      /** Shown instead of an empty table. */
      readonly empty?: string;
      /** Shown under the table (e.g. "first 500 of 2,000"). */
      readonly note?: string;
    }
  | {
      readonly kind: 'fields';
      readonly title?: string;
      readonly fields: readonly (readonly [string, ConsoleCell])[];
    }
  /** A paragraph, under an optional heading. */
  | { readonly kind: 'text'; readonly title?: string; readonly text: string }
  /** A titled block that folds (`<details>`); `open` unfolds it by default. */
  | {
      readonly kind: 'group';
      readonly title: string;
      readonly summary?: string;
      readonly open?: boolean;
      readonly children: readonly ConsoleNode[];
    };

export interface ConsolePage {
  readonly title: string;
  /** The way back up: `[label, at]` pairs, the overview first (its `at` is ''). */
  readonly trail?: readonly (readonly [string, string])[];
  readonly nodes: readonly ConsoleNode[];
}

/**
 * Does something to `target` and says what it did; throws {@link ConsoleActionError} to refuse. `api` is
 * the emulator's own in-process `fetch`: an action that goes through the service's API obeys every rule the
 * API enforces (and shows in the journal), so the console never does what a client could not.
 */
export type ConsoleAction<S, O> = (
  ctx: ServiceContext<S, O>,
  target: string,
  api: typeof fetch,
) => string | Promise<string>;

/** A console action that could not be done; its message is shown to the user. */
export class ConsoleActionError extends Error {
  override readonly name = 'ConsoleActionError';
}

export interface ServiceConsole<S, O> {
  /** A few counts for the index of every service (`{ buckets: 2, files: 14 }`). */
  summary(ctx: ServiceContext<S, O>): Record<string, number>;
  /** The page at `at` (`''` is the overview, e.g. `bucket/<id>` below it), or undefined if there is none. */
  view(
    ctx: ServiceContext<S, O>,
    at: string,
    query: URLSearchParams,
  ): ConsolePage | undefined | Promise<ConsolePage | undefined>;
  readonly actions?: Readonly<Record<string, ConsoleAction<S, O>>>;
}

/** `1536` → `1.5 KiB`: sizes as the console shows them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A size cell: readable, with the exact byte count on hover. */
export const sizeCell = (bytes: number): ConsoleCell => ({
  text: formatBytes(bytes),
  title: `${bytes} bytes`,
});
/** A monospace cell (ids, digests). */
export const monoCell = (text: string): ConsoleCell => ({ text, mono: true });
/** Epoch ms as ISO 8601, or null. */
export const isoCell = (ms: number | null | undefined): ConsoleCell =>
  ms ? new Date(ms).toISOString() : null;

const IMAGE_MAGIC: ReadonlyArray<readonly number[]> = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
];

/**
 * Whether a blob holds a picture a browser can show (by its first bytes). Generated blobs (seeded
 * pseudo-random bytes) never do, and are not read.
 */
export async function isPicture(blobs: BlobStore, id: string): Promise<boolean> {
  const info = blobs.stat(id);
  if (!info || info.size < 12 || blobs.kind(id) === 'generated') return false;
  const reader = blobs.read(id, { start: 0, end: 11 }).getReader();
  const head: number[] = [];
  try {
    while (head.length < 12) {
      const { done, value } = await reader.read();
      if (done) break;
      head.push(...value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const webp =
    String.fromCharCode(...head.slice(0, 4)) === 'RIFF' &&
    String.fromCharCode(...head.slice(8, 12)) === 'WEBP';
  return webp || IMAGE_MAGIC.some((magic) => magic.every((byte, index) => head[index] === byte));
}

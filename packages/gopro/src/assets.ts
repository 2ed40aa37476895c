/**
 * gopro_api's pure helpers (spec §A5): which asset to download and under which file name.
 *
 * @module
 */
import { NoVariationsError } from './errors.js';
import type { DownloadAsset, MediaDownload, MediaItem, MediaVariation } from './models.js';

/** True only for a `.mp4` extension, in any case: other video containers take the files path, as in gopro_api. */
export function isVideoFilename(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && name.slice(dot + 1).toLowerCase() === 'mp4';
}

/** Inserts `n`, zero-padded to 3 digits, before the last dot: `GX010001.MP4`, 2 → `GX010001002.MP4`. */
export function getFileName(root: string, n: number): string {
  const dot = root.lastIndexOf('.');
  const index = String(n).padStart(3, '0');
  // No dot: Python's rpartition gives ('', '', root), hence "000.noext".
  return dot < 0 ? `${index}.${root}` : `${root.slice(0, dot)}${index}${root.slice(dot)}`;
}

/** The resolution a video variation is chosen for; unset: the tallest. */
export interface VariationTarget {
  readonly targetHeight?: number | undefined;
  readonly targetWidth?: number | undefined;
}

/**
 * Picks one variation: the tallest without targets (first wins a tie); otherwise the closest by squared
 * distance to the targets, ties going to the largest (height, width), then list order. `available` is
 * ignored, as gopro_api does.
 */
export function selectVideoVariation(
  variations: readonly MediaVariation[],
  target: VariationTarget = {},
): MediaVariation {
  const first = variations[0];
  if (!first) throw new NoVariationsError();
  const { targetHeight, targetWidth } = target;
  if (targetHeight === undefined && targetWidth === undefined) {
    return variations.reduce((best, v) => (v.height > best.height ? v : best), first);
  }
  const score = (v: MediaVariation) =>
    (targetHeight === undefined ? 0 : (v.height - targetHeight) ** 2) +
    (targetWidth === undefined ? 0 : (v.width - targetWidth) ** 2);
  const best = Math.min(...variations.map(score));
  const closest = variations.filter((v) => score(v) === best);
  return closest.reduce((winner, v) =>
    v.height > winner.height || (v.height === winner.height && v.width > winner.width) ? v : winner,
  );
}

/** An asset chosen for download and the file name it gets. */
export interface NamedAsset {
  readonly name: string;
  readonly asset: DownloadAsset;
}

/**
 * The assets to download for one media, with their output file names: the chosen variation for a video
 * (suffix 000), every file otherwise (suffix = list index, `available` not filtered), as gopro_api does.
 */
export function chooseAssets(result: MediaDownload, target: VariationTarget = {}): NamedAsset[] {
  if (isVideoFilename(result.filename)) {
    const variation = selectVideoVariation(result._embedded.variations, target);
    return [{ name: getFileName(result.filename, 0), asset: variation }];
  }
  return result._embedded.files.map((file, index) => ({
    name: getFileName(result.filename, index),
    asset: file,
  }));
}

/** A media to pull: its id, and its `file_size` from a search when known (the size its download must have). */
export type PullItem = Pick<MediaItem, 'id'> & { readonly file_size?: number | undefined };

/**
 * The size the search promised for this asset: `file_size` is the size of the original (`source`, or
 * `concat` for chaptered video) or of a media's only file; other variations and multi-file media differ.
 */
export function knownSize(
  item: PullItem | undefined,
  response: MediaDownload,
  asset: DownloadAsset,
): number | undefined {
  const size = item?.file_size;
  if (size === undefined) return undefined;
  if ('label' in asset) {
    const originals = response._embedded.variations.filter(
      (v) => v.label === 'source' || v.label === 'concat',
    );
    const whole =
      originals.find((v) => v.label === 'concat') ?? (originals.length === 1 ? originals[0] : undefined);
    return asset === whole ? size : undefined;
  }
  return response._embedded.files.length === 1 ? size : undefined;
}

/**
 * Issue 16's targets for `peers`, each judged for the library and for the CLI, with the issue's wording:
 * mediaferry upload and download each ≤ 1.0× b2sdk's time; download ≥ 0.8× curl-to-file; upload ≥ 0.9× curl
 * with the same parts in parallel; faster than npm backblaze-b2 on both.
 */
import type { Verdicts } from './measure.js';

type MedianOf = (id: string) => number | undefined;

/** A mediaferry time against a reference's, both ways it is read. */
export interface Comparison {
  /** `library.upload`, `cli.download`… */
  readonly mine: string;
  /** The reference's transfer id: `b2sdk.upload`, `curl.download`… */
  readonly theirs: string;
  readonly label: string;
  /** mediaferry's time ÷ the reference's (lower is faster). */
  readonly timeRatio: number;
  /** mediaferry's throughput ÷ the reference's (the reciprocal). */
  readonly throughputRatio: number;
}

const WHO = { library: 'mediaferry library', cli: 'mediaferry CLI' } as const;
const REFERENCES = {
  'b2sdk.upload': 'b2sdk',
  'b2sdk.download': 'b2sdk',
  'backblaze-b2.upload': 'npm backblaze-b2',
  'backblaze-b2.download': 'npm backblaze-b2',
  'curl.download': 'curl → file',
  'curl-synced.download': "curl → file, fsync'd (for reading)",
  'curl-null.download': 'curl → /dev/null',
  'curl.upload': 'curl, one stream',
  'curl-parts.upload': 'curl, same parts in parallel',
} as const;

/** Every mediaferry transfer against every reference of the same direction that was measured. */
export function peersComparisons(medianOf: MedianOf): Comparison[] {
  const comparisons: Comparison[] = [];
  for (const [id, who] of Object.entries(WHO))
    for (const [theirs, name] of Object.entries(REFERENCES)) {
      const direction = theirs.split('.')[1]!;
      const mine = `${id}.${direction}`;
      const a = medianOf(mine);
      const b = medianOf(theirs);
      if (a === undefined || b === undefined) continue;
      comparisons.push({
        mine,
        theirs,
        label: `${who} ${direction} vs ${name}`,
        timeRatio: a / b,
        throughputRatio: b / a,
      });
    }
  return comparisons;
}

/** The comparisons with curl, as lines: `mediaferry CLI download vs curl → file: 0.61× throughput (1.64× time)`. */
export function curlComparisonLines(comparisons: readonly Comparison[]): string {
  return comparisons
    .filter((c) => c.theirs.startsWith('curl'))
    .map((c) => `${c.label}: ${c.throughputRatio.toFixed(2)}× throughput (${c.timeRatio.toFixed(2)}× time)`)
    .join('\n');
}

/** PASS/MISS/SKIP for each target, for the library and the CLI. */
export function judgePeers(
  verdicts: Verdicts,
  comparisons: readonly Comparison[],
  layout: { partsSent: boolean },
): void {
  const find = (mine: string, theirs: string) =>
    comparisons.find((c) => c.mine === mine && c.theirs === theirs);
  const x = (n: number) => `${n.toFixed(2)}×`;
  const parts = layout.partsSent
    ? { id: 'curl-parts.upload', label: 'curl with the same parts in parallel' }
    : { id: 'curl.upload', label: 'curl with the same parts in parallel (mediaferry sent one stream)' };
  for (const [id, who] of Object.entries(WHO)) {
    for (const direction of ['upload', 'download'] as const) {
      const label = `${who} ${direction} ≤ 1.0× b2sdk's time`;
      const vs = find(`${id}.${direction}`, `b2sdk.${direction}`);
      if (vs) verdicts.check(label, `${x(vs.timeRatio)} its time`, vs.timeRatio <= 1.0, '≤ 1.0×; aim 0.8×');
      else verdicts.skip(label, 'b2sdk not measured', '≤ 1.0×');
    }
    const down = find(`${id}.download`, 'curl.download');
    if (down)
      verdicts.check(
        `${who} download ≥ 0.8× curl-to-file`,
        `${x(down.throughputRatio)} its throughput`,
        down.throughputRatio >= 0.8,
        '≥ 0.8×',
      );
    const up = find(`${id}.upload`, parts.id);
    if (up)
      verdicts.check(
        `${who} upload ≥ 0.9× ${parts.label}`,
        `${x(up.throughputRatio)} its throughput`,
        up.throughputRatio >= 0.9,
        '≥ 0.9×',
      );
    for (const direction of ['upload', 'download'] as const) {
      const label = `${who} faster than npm backblaze-b2 (${direction})`;
      const vs = find(`${id}.${direction}`, `backblaze-b2.${direction}`);
      if (vs) verdicts.check(label, `${x(vs.timeRatio)} its time`, vs.timeRatio < 1, '< 1.0× its time');
      else verdicts.skip(label, 'backblaze-b2 not measured', '< 1.0× its time');
    }
  }
}

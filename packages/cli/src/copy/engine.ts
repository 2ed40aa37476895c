import { HashingStream, IntegrityError, settleConcurrent } from '@mediaferry/core';
import type { Entry, Source, Target, Written } from './types.js';

export type Outcome =
  | {
      readonly status: 'copied';
      readonly entry: Entry;
      readonly bytes: number;
      readonly sha1: string;
      readonly location: string;
    }
  | { readonly status: 'skipped'; readonly entry: Entry; readonly reason: string }
  | { readonly status: 'planned'; readonly entry: Entry }
  | { readonly status: 'failed'; readonly entry: Entry; readonly error: unknown };

export interface CopyReport {
  readonly source: string;
  readonly target: string;
  readonly outcomes: Outcome[];
  readonly bytes: number;
  readonly ms: number;
  readonly interrupted: boolean;
}

/** Lifecycle of each transfer, for progress display. */
export interface CopyObserver {
  start?(entry: Entry): void;
  progress?(entry: Entry, loaded: number): void;
  finish?(outcome: Outcome): void;
}

export interface CopyOptions {
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly signal: AbortSignal;
  readonly observer?: CopyObserver;
}

/**
 * Already there: same size (and same SHA-1 when both sides know it). A target that only knows names (BigGo
 * titles, Mixcloud slugs) reports no size, and presence is enough.
 */
function alreadyThere(
  entry: Entry,
  existing: { size?: number | undefined; sha1?: string | undefined },
): string | undefined {
  if (existing.size === undefined) return 'already there (by name)';
  if (entry.size === undefined || existing.size !== entry.size) return undefined;
  if (entry.sha1 && existing.sha1) return entry.sha1 === existing.sha1 ? 'same size and SHA-1' : undefined;
  return 'same size';
}

/**
 * Copies every entry of a source to a target: streaming, `concurrency` transfers at a time, skipping what the
 * target already holds, verifying SHA-1 end to end. One failure does not stop the others; an abort does.
 */
export async function copy(source: Source, target: Target, options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const { signal, observer } = options;
  // The signal stops the listing (nothing new starts) and each transfer; settleConcurrent itself runs to the
  // end so the report still says what finished before the interruption.
  const results = await settleConcurrent(
    untilAborted(source.list(signal), signal),
    options.concurrency,
    async (entry): Promise<Outcome> => {
      let outcome: Outcome;
      try {
        outcome = await copyOne(entry, source, target, options);
      } catch (error) {
        outcome = { status: 'failed', entry, error };
      }
      observer?.finish?.(outcome);
      return outcome;
    },
  );
  const outcomes = results.map((settled) =>
    settled.status === 'fulfilled'
      ? settled.value
      : ({ status: 'failed', entry: { path: '(listing)' }, error: settled.reason } as const),
  );
  if (results.length === 0 && signal.aborted)
    outcomes.push({ status: 'failed', entry: { path: '(listing)' }, error: signal.reason });
  const bytes = outcomes.reduce((sum, o) => sum + (o.status === 'copied' ? o.bytes : 0), 0);
  return {
    source: source.label,
    target: target.label,
    outcomes,
    bytes,
    ms: performance.now() - started,
    interrupted: signal.aborted,
  };
}

async function* untilAborted<T>(items: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  try {
    for await (const item of items) {
      if (signal.aborted) return;
      yield item;
    }
  } catch (error) {
    // A listing cut short by the interruption is not a failure of its own.
    if (!signal.aborted) throw error;
  }
}

async function copyOne(entry: Entry, source: Source, target: Target, options: CopyOptions): Promise<Outcome> {
  const { signal, observer } = options;
  const existing = await target.stat(entry.path, signal);
  const same = existing && alreadyThere(entry, existing);
  if (same) return { status: 'skipped', entry, reason: same };
  if (options.dryRun) return { status: 'planned', entry };
  observer?.start?.(entry);
  let hashing = new HashingStream('sha1');
  let loaded = 0;
  let size = entry.size;
  let read = false;
  // Each call opens the source afresh and restarts the count: what is verified is the last complete pass.
  const open = async () => {
    read = true;
    const opened = await source.open(entry, signal);
    size = entry.size ?? opened.size;
    hashing = new HashingStream('sha1');
    loaded = 0;
    // The signal on the pipe stops any source, even one that would not notice the abort by itself.
    return opened.body.pipeThrough(hashing, { signal }).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          loaded += chunk.byteLength;
          observer?.progress?.(entry, loaded);
          controller.enqueue(chunk);
        },
      }),
    );
  };
  const written = await target.write(entry, open, { size, sha1: entry.sha1, signal });
  if (!read) return copiedOnServer(entry, written);
  const sha1 = hashing.digest();
  // The bytes that crossed must be the bytes the source vouched for, and the bytes the target stored.
  if (entry.sha1 && entry.sha1 !== sha1) throw new IntegrityError(entry.path, 'sha1', entry.sha1, sha1);
  if (written.sha1 && written.sha1 !== sha1) throw new IntegrityError(entry.path, 'sha1', sha1, written.sha1);
  if (size !== undefined && loaded !== size)
    throw new IntegrityError(entry.path, 'size', String(size), String(loaded));
  return { status: 'copied', entry, bytes: loaded, sha1, location: written.location };
}

/**
 * A target that stored the entry without reading it (a server-side copy) vouches for what it stored: its
 * SHA-1 and size must be the source's.
 */
function copiedOnServer(entry: Entry, written: Written): Outcome {
  const sha1 = written.sha1;
  if (!sha1 || !entry.sha1 || sha1 !== entry.sha1)
    throw new IntegrityError(entry.path, 'sha1', entry.sha1 ?? '(unknown)', sha1 ?? '(not reported)');
  if (entry.size !== undefined && written.size !== entry.size)
    throw new IntegrityError(entry.path, 'size', String(entry.size), String(written.size));
  return { status: 'copied', entry, bytes: written.size ?? 0, sha1, location: written.location };
}

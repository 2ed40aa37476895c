import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { IntegrityError, type StreamResponse, settleConcurrent, tapBody } from '@mediaferry/core';
import { alreadyThere, type CompareMode } from './decide.js';
import {
  type ByteRange,
  type Entry,
  type EntryBody,
  type Source,
  SourceChangedError,
  type Target,
} from './types.js';

export type Outcome =
  | {
      readonly status: 'copied';
      readonly entry: Entry;
      readonly name: string;
      readonly bytes: number;
      readonly sha1: string;
      readonly location: string;
    }
  | { readonly status: 'skipped'; readonly entry: Entry; readonly name: string; readonly reason: string }
  | { readonly status: 'planned'; readonly entry: Entry; readonly name: string }
  | { readonly status: 'failed'; readonly entry: Entry; readonly error: unknown };

export interface CopyReport {
  readonly source: string;
  readonly target: string;
  readonly outcomes: Outcome[];
  readonly bytes: number;
  readonly ms: number;
  readonly interrupted: boolean;
}

/** Lifecycle of the listing and of each transfer, for progress display. */
export interface CopyObserver {
  /** An entry came out of the listing (before any decision about it). */
  listed?(entry: Entry): void;
  /** The listing ended (complete or not): the totals are final. */
  listingDone?(): void;
  start?(entry: Entry): void;
  progress?(entry: Entry, loaded: number): void;
  finish?(outcome: Outcome): void;
}

export interface CopyOptions {
  readonly concurrency: number;
  readonly dryRun: boolean;
  readonly signal: AbortSignal;
  readonly compare?: CompareMode | undefined;
  readonly observer?: CopyObserver | undefined;
  /** Whether the target takes this entry at all (a media service takes only its kind of media). */
  readonly admit?: Admission | undefined;
}

/** A reason to skip an entry the target cannot take, or undefined to go on. */
export interface Admission {
  /** By what the listing says (the name's extension): checked before the entry claims a name. */
  byName(entry: Entry): string | undefined;
  /** By the first bytes (`peek` reads them), checked right before the transfer. */
  byBytes(entry: Entry, peek: () => Promise<Uint8Array>): Promise<string | undefined>;
}

type Placed =
  | { entry: Entry; name: string }
  | { entry: Entry; error: unknown }
  | { entry: Entry; refused: string };

/**
 * Copies every entry of a source to a target: streaming, `concurrency` transfers at a time, skipping only
 * what the target provably holds (see {@link alreadyThere}), verifying SHA-1 and size end to end, and taking
 * back anything committed from a source that changed meanwhile. One failure does not stop the others; an
 * abort does.
 */
export async function copy(source: Source, target: Target, options: CopyOptions): Promise<CopyReport> {
  const started = performance.now();
  const { signal, observer } = options;
  // The signal stops the listing (nothing new starts) and each transfer; settleConcurrent itself runs to the
  // end so the report still says what finished before the interruption.
  const results = await settleConcurrent(
    placed(listAhead(observed(untilAborted(source.list(signal), signal), observer)), target, options.admit),
    options.concurrency,
    async (item): Promise<Outcome> => {
      let outcome: Outcome;
      if ('error' in item) outcome = { status: 'failed', entry: item.entry, error: item.error };
      else if ('refused' in item)
        outcome = { status: 'skipped', entry: item.entry, name: item.entry.path, reason: item.refused };
      else {
        try {
          outcome = await copyOne(item.entry, item.name, source, target, options);
        } catch (error) {
          outcome = { status: 'failed', entry: item.entry, error };
        }
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
  const listed = !signal.aborted && !outcomes.some((o) => o.entry.path === '(listing)');
  if (!options.dryRun) await target.finish?.(listed);
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

/** Tells the observer about each listed entry, and when the listing is over. */
async function* observed(
  entries: AsyncIterable<Entry>,
  observer: CopyObserver | undefined,
): AsyncGenerator<Entry> {
  try {
    for await (const entry of entries) {
      observer?.listed?.(entry);
      yield entry;
    }
  } finally {
    observer?.listingDone?.();
  }
}

/** How many listed entries may wait for a transfer slot (rclone's --max-backlog): memory stays bounded. */
const BACKLOG = 10_000;

/**
 * Lists ahead of the transfers, up to {@link BACKLOG} entries, so the job's totals are known early, not only
 * when the last transfer starts. Entries come out in listing order; a listing error comes out where it
 * happened.
 */
async function* listAhead<T>(items: AsyncIterable<T>, backlog = BACKLOG): AsyncGenerator<T> {
  const queue: Array<{ item: T } | { error: unknown } | { end: true }> = [];
  let wake: (() => void) | undefined;
  let room: (() => void) | undefined;
  let stopped = false;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const pump = (async () => {
    try {
      for await (const item of items) {
        if (stopped) return;
        queue.push({ item });
        notify();
        while (queue.length >= backlog && !stopped) await new Promise<void>((resolve) => (room = resolve));
      }
      queue.push({ end: true });
    } catch (error) {
      queue.push({ error });
    }
    notify();
  })();
  try {
    for (;;) {
      const next = queue.shift();
      if (!next) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      room?.();
      room = undefined;
      if ('end' in next) return;
      if ('error' in next) throw next.error;
      yield next.item;
    }
  } finally {
    stopped = true;
    room?.();
    await pump;
  }
}

/** The first bytes of an entry (at most `count`), for sniffing its type; the rest is never read. */
async function peekAt(source: Source, entry: Entry, signal: AbortSignal, count = 64): Promise<Uint8Array> {
  if (entry.size === 0) return new Uint8Array(0);
  const end = Math.min(count, entry.size ?? count);
  const response = await source.open(entry, signal, source.rangeable ? { start: 0, end } : undefined);
  const reader = response.body.getReader();
  const bytes = new Uint8Array(count);
  let filled = 0;
  try {
    while (filled < count) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, count - filled);
      bytes.set(value.subarray(0, take), filled);
      filled += take;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return bytes.subarray(0, filled);
}

/** Names each entry at the target in listing order, so that collisions resolve the same way every run. */
async function* placed(
  entries: AsyncIterable<Entry>,
  target: Target,
  admit: Admission | undefined,
): AsyncGenerator<Placed> {
  for await (const entry of entries) {
    // An entry the target refuses by its name never claims one (a cover.jpg must not take clip's title).
    const refused = admit?.byName(entry);
    if (refused) {
      yield { entry, refused };
      continue;
    }
    try {
      yield { entry, name: target.place(entry.path) };
    } catch (error) {
      yield { entry, error };
    }
  }
}

/** The last complete pass over the whole source, as the engine counted and hashed it. */
interface Pass {
  sha1: string;
  bytes: number;
}

async function copyOne(
  entry: Entry,
  name: string,
  source: Source,
  target: Target,
  options: CopyOptions,
): Promise<Outcome> {
  const { observer } = options;
  const refused = await options.admit?.byBytes(entry, () => peekAt(source, entry, options.signal));
  if (refused) return { status: 'skipped', entry, name, reason: refused };
  const existing = await target.stat(name, options.signal);
  const same =
    existing && (await alreadyThere(entry, existing, options.compare ?? 'default', source, options.signal));
  if (same) return { status: 'skipped', entry, name, reason: same };
  if (options.dryRun) return { status: 'planned', entry, name };
  observer?.start?.(entry);
  // Each item has its own abort: a source that changes under us stops the item at once, retries included.
  const item = new AbortController();
  const signal = AbortSignal.any([options.signal, item.signal]);
  // Every part, retry and stream of the item listens on it (a large file has many): by design, not a leak.
  setMaxListeners(0, signal);
  let pass: Pass | undefined;
  const progress = { ranged: 0 };
  const body: EntryBody = {
    size: entry.size,
    sha1: entry.sha1,
    modifiedMs: entry.modifiedMs,
    version: entry.version,
    ref: entry.ref,
    rangeable: source.rangeable,
    open: async (range?: ByteRange) => {
      const response = await source.open(entry, signal, range);
      const whole = !range || (range.start === 0 && range.end === undefined) || response.status === 200;
      // A target that hashes what it stores vouches for the whole pass itself; hashing it here too would only
      // hash the same bytes in memory twice.
      const onComplete =
        whole && !target.hashesWrites
          ? (done: Pass) => {
              pass = done;
            }
          : undefined;
      return watched(response, entry, item, signal, range?.sha1, onComplete, whole, (n) => {
        if (whole) return observer?.progress?.(entry, n);
        progress.ranged += n;
        observer?.progress?.(entry, progress.ranged);
      });
    },
    digest: async (partSize?: number) => source.digest?.(entry, signal, partSize),
  };
  let written: Awaited<ReturnType<Target['write']>>;
  try {
    written = await target.write(name, body, { signal });
  } catch (error) {
    throw item.signal.aborted ? item.signal.reason : error;
  }
  try {
    const sha1 = written.sha1 ?? pass?.sha1;
    const bytes = written.size ?? pass?.bytes;
    if (!sha1 || bytes === undefined)
      throw new IntegrityError(entry.path, 'sha1', entry.sha1 ?? '(any)', '(not verifiable)');
    // The bytes that crossed must be the bytes the source vouched for, and the bytes the target stored.
    if (entry.sha1 && entry.sha1 !== sha1) throw new IntegrityError(entry.path, 'sha1', entry.sha1, sha1);
    if (written.sha1 && pass && pass.bytes === bytes && pass.sha1 !== written.sha1)
      throw new IntegrityError(entry.path, 'sha1', pass.sha1, written.sha1);
    if (entry.size !== undefined && bytes !== entry.size)
      throw new IntegrityError(entry.path, 'size', String(entry.size), String(bytes));
    await source.checkUnchanged?.(entry);
    return { status: 'copied', entry, name, bytes, sha1, location: written.location };
  } catch (error) {
    // Whatever was committed from bytes that are not the source's goes again.
    await written.discard?.().catch(() => {});
    throw error;
  }
}

/**
 * The source stream as the target reads it: counted for progress, hashed when it covers the whole entry
 * (`onComplete` gets the pass when it ends) or checked against the SHA-1 the range must have, and a
 * {@link SourceChangedError} aborts the whole item.
 */
function watched(
  response: StreamResponse,
  entry: Entry,
  item: AbortController,
  signal: AbortSignal,
  expectedSha1: string | undefined,
  onComplete: ((pass: Pass) => void) | undefined,
  whole: boolean,
  /** Whole passes report the running total; ranged reads report each chunk's size. */
  onBytes: (n: number) => void,
): StreamResponse {
  const hash = onComplete || expectedSha1 ? createHash('sha1') : undefined;
  let loaded = 0;
  // A tap, not stream layers: a target that reads leases (saveToFile) still gets the pooled slabs.
  const body = tapBody(response.body, {
    // An abort ends the stream at once, even from a source that would not notice it by itself.
    signal,
    chunk(bytes) {
      hash?.update(bytes);
      loaded += bytes.byteLength;
      onBytes(whole ? loaded : bytes.byteLength);
    },
    end() {
      if (!hash) return;
      const sha1 = hash.digest('hex');
      if (expectedSha1 && sha1 !== expectedSha1)
        throw new SourceChangedError(entry.path, 'bytes differ from when it was hashed');
      onComplete?.({ sha1, bytes: loaded });
    },
    // An error that says the source changed also aborts the item it belongs to.
    error(error) {
      if (error instanceof SourceChangedError) item.abort(error);
    },
  });
  return { ...response, body };
}

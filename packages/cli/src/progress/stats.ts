/**
 * The numbers behind every progress display: files and bytes listed, done, skipped and failed, the transfers
 * in flight, a rate over the last few seconds and the time left. No output here: see `render.ts`.
 *
 * @module
 */

/** How far back the rate looks: long enough to be steady, short enough to follow a change. */
const RATE_WINDOW_MS = 5_000;

export interface InFlight {
  readonly name: string;
  readonly size: number | undefined;
  loaded: number;
}

export class JobStats {
  /** Entries listed so far, and whether the listing is over (only then are the totals final). */
  files = 0;
  listing = true;
  /** Bytes that will cross: the listed sizes, less what was skipped or failed. */
  bytesTotal = 0;
  /** Listed entries of unknown size (their bytes cannot be in the total). */
  unknownSizes = 0;
  done = 0;
  skipped = 0;
  failed = 0;
  readonly inFlight = new Map<unknown, InFlight>();
  /** Bytes of finished transfers; the in-flight ones are added by {@link bytesDone}. */
  #finishedBytes = 0;
  readonly #samples: Array<{ at: number; bytes: number }> = [];
  readonly #now: () => number;
  readonly started: number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
    this.started = now();
  }

  get bytesDone(): number {
    let bytes = this.#finishedBytes;
    for (const transfer of this.inFlight.values()) bytes += transfer.loaded;
    return bytes;
  }

  listed(size: number | undefined): void {
    this.files += 1;
    if (size === undefined) this.unknownSizes += 1;
    else this.bytesTotal += size;
  }

  start(key: unknown, name: string, size: number | undefined): void {
    this.inFlight.set(key, { name, size, loaded: 0 });
  }

  progress(key: unknown, loaded: number): void {
    const transfer = this.inFlight.get(key);
    if (transfer) transfer.loaded = Math.max(transfer.loaded, loaded);
    this.sample();
  }

  /** An entry is settled: `bytes` crossed for a copy; a skip or failure leaves the total. */
  finish(key: unknown, size: number | undefined, how: 'copied' | 'skipped' | 'failed', bytes = 0): void {
    this.inFlight.delete(key);
    this.done += 1;
    if (how === 'copied') {
      this.#finishedBytes += bytes;
      // A source that announced no size: now its bytes are known, and part of the total.
      if (size === undefined) this.bytesTotal += bytes;
    } else {
      if (how === 'skipped') this.skipped += 1;
      else this.failed += 1;
      if (size !== undefined) this.bytesTotal -= size;
    }
    if (size === undefined) this.unknownSizes -= 1;
    this.sample();
  }

  sample(): void {
    const at = this.#now();
    this.#samples.push({ at, bytes: this.bytesDone });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > RATE_WINDOW_MS) this.#samples.shift();
  }

  /** Bytes per second over the recent window (0 until there is something to measure). */
  rate(): number {
    const now = this.#now();
    const first = this.#samples[0];
    if (!first) return 0;
    const span = now - first.at;
    const bytes = this.bytesDone - first.bytes;
    if (span < 200) {
      const elapsed = now - this.started;
      return elapsed > 0 ? (this.bytesDone / elapsed) * 1000 : 0;
    }
    return (bytes / span) * 1000;
  }

  /** Milliseconds left, when the totals are final and a rate is known. */
  eta(): number | undefined {
    if (this.listing || this.unknownSizes > 0) return undefined;
    const rate = this.rate();
    const left = Math.max(0, this.bytesTotal - this.bytesDone);
    if (left === 0) return 0;
    return rate > 0 ? (left / rate) * 1000 : undefined;
  }

  elapsed(): number {
    return this.#now() - this.started;
  }
}

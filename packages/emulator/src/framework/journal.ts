/** One request as the emulator saw it. */
export interface JournalEntry {
  readonly seq: number;
  /** Virtual time, ISO 8601. */
  readonly at: string;
  readonly method: string;
  readonly endpoint: string;
  readonly path: string;
  /** The HTTP status; 0 when the connection was cut before a response, 499 when the client went away. */
  readonly status: number;
  /**
   * What was injected: `injected` for an HTTP fault, a wire fault kind, both joined by `+` in the order
   * they acted (`stall+injected`), or null.
   */
  readonly fault: string | null;
  /** Real milliseconds from the request to its response headers. */
  readonly ms?: number;
}

/** A captured body: its size, and the start of it as redacted text (or nothing, for binary). */
export interface CapturedBody {
  readonly contentType: string;
  /** Bytes that went through; for a body still streaming, so far. */
  size: number;
  /** Redacted text of the first bytes, absent for a binary body. */
  text?: string;
  /** More bytes went through than `text` shows. */
  truncated: boolean;
  /** The stream ended early (a cut connection, a client gone). */
  incomplete?: boolean;
}

/** What the console shows for one journal entry: headers and bodies, with secrets redacted. */
export interface JournalDetail {
  readonly seq: number;
  readonly request: { url: string; headers: Array<[string, string]>; body: CapturedBody | null };
  readonly response: { status: number; headers: Array<[string, string]>; body: CapturedBody | null };
}

/** Called with each entry the journal records, as `Journal.subscribe` delivers it. */
export type JournalListener = (entry: JournalEntry) => void;

const MAX_ENTRIES = 10_000;
/** Details (headers, body starts) are kept for the latest requests only: they cost more memory. */
const MAX_DETAILS = 500;

export interface JournalFilter {
  readonly endpoint?: string;
  readonly since?: number;
  /** An exact status, or a class like `5xx`. */
  readonly status?: string;
}

export function matchesStatus(status: number, filter: string | undefined): boolean {
  if (filter === undefined || filter === '') return true;
  if (/^[0-9]xx$/i.test(filter)) return Math.floor(status / 100) === Number(filter[0]);
  return String(status) === filter;
}

/** The request log tests read to assert what the client did, in order; the console follows it live. */
export class Journal {
  readonly #entries: JournalEntry[] = [];
  readonly #details = new Map<number, JournalDetail>();
  readonly #listeners = new Set<JournalListener>();
  #seq = 0;

  record(entry: Omit<JournalEntry, 'seq'>, detail?: Omit<JournalDetail, 'seq'>): JournalEntry {
    this.#seq += 1;
    const recorded = { seq: this.#seq, ...entry };
    this.#entries.push(recorded);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
    if (detail) {
      this.#details.set(recorded.seq, { seq: recorded.seq, ...detail });
      if (this.#details.size > MAX_DETAILS) this.#details.delete(this.#details.keys().next().value as number);
    }
    for (const listener of this.#listeners) {
      try {
        listener(recorded);
      } catch {
        // A listener (a console tab) failing must not fail the request.
      }
    }
    return recorded;
  }

  entries(filter: JournalFilter = {}): JournalEntry[] {
    return this.#entries.filter(
      (e) =>
        (filter.endpoint === undefined || e.endpoint === filter.endpoint) &&
        (filter.since === undefined || e.seq > filter.since) &&
        matchesStatus(e.status, filter.status),
    );
  }

  /** Headers and bodies of a recent entry; undefined once it aged out (or for in-process `app.request`). */
  detail(seq: number): JournalDetail | undefined {
    return this.#details.get(seq);
  }

  /** Calls `listener` with every entry recorded from now on; returns the function that stops it. */
  subscribe(listener: JournalListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  clear(): void {
    this.#entries.length = 0;
    this.#details.clear();
  }
}

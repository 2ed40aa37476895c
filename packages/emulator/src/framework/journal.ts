/** One request as the emulator saw it. */
export interface JournalEntry {
  readonly seq: number;
  /** Virtual time, ISO 8601. */
  readonly at: string;
  readonly method: string;
  readonly endpoint: string;
  readonly path: string;
  readonly status: number;
  /** `injected` for an HTTP fault, the wire fault kind, or null. */
  readonly fault: string | null;
}

const MAX_ENTRIES = 10_000;

/** The request log tests read to assert what the client did, in order. */
export class Journal {
  readonly #entries: JournalEntry[] = [];
  #seq = 0;

  record(entry: Omit<JournalEntry, 'seq'>): void {
    this.#seq += 1;
    this.#entries.push({ seq: this.#seq, ...entry });
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
  }

  entries(filter: { endpoint?: string; since?: number } = {}): JournalEntry[] {
    return this.#entries.filter(
      (e) =>
        (filter.endpoint === undefined || e.endpoint === filter.endpoint) &&
        (filter.since === undefined || e.seq > filter.since),
    );
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

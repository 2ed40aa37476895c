/** One piece of media as the copy engine sees it, independent of where it lives. */
export interface Entry {
  /** Relative, `/`-separated path; becomes the object name / file path at the destination. */
  readonly path: string;
  readonly size?: number | undefined;
  /** Hex SHA-1 when the side knows it without reading the bytes (B2 does; disk does not). */
  readonly sha1?: string | undefined;
  /** Side-specific data the side needs to open the entry again (an id, a download URL…). */
  readonly ref?: unknown;
}

export interface OpenedEntry {
  readonly body: ReadableStream<Uint8Array>;
  readonly size?: number | undefined;
}

/** Where media comes from. */
export interface Source {
  /** Shown in reports: `b2://bucket/prefix`, a folder path… */
  readonly label: string;
  list(signal: AbortSignal): AsyncIterable<Entry>;
  open(entry: Entry, signal: AbortSignal): Promise<OpenedEntry>;
}

export interface WriteOptions {
  readonly size?: number | undefined;
  /** Expected SHA-1 of the bytes, when the source knows it: a target verifies against it if it can. */
  readonly sha1?: string | undefined;
  readonly signal: AbortSignal;
}

export interface Written {
  /** Where it landed, for the report (a path, a file id, a URL). */
  readonly location: string;
  /** SHA-1 of what the target stored, when it knows it. */
  readonly sha1?: string | undefined;
  /** Bytes the target stored, when it knows it (a copy made on the server never crosses the engine). */
  readonly size?: number | undefined;
}

/** Where media goes. A target must never leave a partial object under the final name. */
export interface Target {
  readonly label: string;
  /** What is already there under this path, to skip it; undefined when absent. */
  stat(
    path: string,
    signal: AbortSignal,
  ): Promise<{ size?: number | undefined; sha1?: string | undefined } | undefined>;
  /**
   * Stores the entry. `open` gives the bytes (counted and hashed by the engine); a target that retries may
   * call it again for a fresh stream. A target that copies on the server instead never calls it, and must
   * then answer the SHA-1 and size it stored.
   */
  write(
    entry: Entry,
    open: () => Promise<ReadableStream<Uint8Array>>,
    options: WriteOptions,
  ): Promise<Written>;
}

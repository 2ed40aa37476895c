import type { StreamResponse } from '@mediaferry/core';

/** One piece of media as the copy engine sees it, independent of where it lives. */
export interface Entry {
  /** Relative, `/`-separated path; the target derives its name from it. */
  readonly path: string;
  readonly size?: number | undefined;
  /** Hex SHA-1 when the side knows it without reading the bytes (B2 does; disk does not). */
  readonly sha1?: string | undefined;
  /** Modification time in whole epoch milliseconds, as the source states it (compared with the target's). */
  readonly modifiedMs?: number | undefined;
  /**
   * A validator that changes whenever the bytes do (a B2 file id, a CDN ETag): a partial file kept by an
   * interrupted run is resumed only when it still matches. Undefined: never resumed across runs.
   */
  readonly version?: string | undefined;
  /** Side-specific data the side needs to open the entry again (an id, a download URL…). */
  readonly ref?: unknown;
}

/** A byte range to open: from `start`, up to `end` exclusive (to the end when omitted). */
export interface ByteRange {
  readonly start: number;
  readonly end?: number | undefined;
  /** The validator the bytes already held were read under (`If-Range`): a different one restarts at 0. */
  readonly ifRange?: string | undefined;
  /**
   * The SHA-1 these bytes had when the source was hashed: bytes that differ fail the stream (before it ends)
   * with {@link SourceChangedError}, so nothing built from them is committed.
   */
  readonly sha1?: string | undefined;
}

/** SHA-1 of an entry's bytes from reading them, whole and per part when a part size was given. */
export interface Digest {
  readonly sha1: string;
  readonly parts?: readonly string[] | undefined;
}

/** Where media comes from. */
export interface Source {
  /** Shown in reports: `b2://bucket/prefix`, a folder path… */
  readonly label: string;
  /** Whether {@link open} honours a range (a cut transfer resumes, parts are read in parallel). */
  readonly rangeable: boolean;
  list(signal: AbortSignal): AsyncIterable<Entry>;
  /**
   * Opens the bytes: all of them (status 200), or from `range` (206 with `Content-Range`; a 200 means the
   * whole body, from 0). A source that notices its entry changed fails the stream with
   * {@link SourceChangedError}.
   */
  open(entry: Entry, signal: AbortSignal, range?: ByteRange): Promise<StreamResponse>;
  /** Reads the entry to hash it, for sources that do not know their SHA-1 (disk). */
  digest?(entry: Entry, signal: AbortSignal, partSize?: number): Promise<Digest>;
  /** Throws {@link SourceChangedError} when the entry is no longer what was listed (checked after a write). */
  checkUnchanged?(entry: Entry): Promise<void>;
}

/** What a target already holds under a name. */
export interface Existing {
  readonly size?: number | undefined;
  readonly sha1?: string | undefined;
  readonly modifiedMs?: number | undefined;
  /** Set by targets that keep no bytes to compare (BigGo re-encodes, Mixcloud too): presence is all they know. */
  readonly byNameOnly?: string | undefined;
  /** Reads what is there to hash it (`--checksum` on a target that does not store SHA-1). */
  digest?(signal: AbortSignal): Promise<string>;
}

/** The entry's bytes as the engine hands them to a target. */
export interface EntryBody {
  readonly size: number | undefined;
  /** The SHA-1 the source vouches for, if any: the target verifies what it stores against it. */
  readonly sha1: string | undefined;
  readonly modifiedMs: number | undefined;
  readonly version: string | undefined;
  /** The source's {@link Entry.ref}: a target of the same service may use it to copy without reading. */
  readonly ref: unknown;
  readonly rangeable: boolean;
  /** Opens the source afresh (whole, or a range when {@link rangeable}). */
  open(range?: ByteRange): Promise<StreamResponse>;
  /** SHA-1 from reading the source (whole and per part), when the source can give it; undefined otherwise. */
  digest(partSize?: number): Promise<Digest | undefined>;
}

export interface WriteOptions {
  readonly signal: AbortSignal;
}

export interface Written {
  /** Where it landed, for the report (a path, a file id, a URL). */
  readonly location: string;
  /** SHA-1 of the bytes the target stored, when it knows it (else the engine hashes what it streamed). */
  readonly sha1?: string | undefined;
  readonly size?: number | undefined;
  /** Takes back what was committed (B2: delete the version), when the source turns out to have changed. */
  discard?(): Promise<void>;
}

/** Where media goes. A target must never leave a partial object under the final name. */
export interface Target {
  readonly label: string;
  /**
   * The name an entry gets here, decided in listing order so that it is deterministic: a target whose
   * names can collide (a case-insensitive disk, titles) gives later colliders distinct names, or throws.
   */
  place(path: string): string;
  /**
   * True when `write` returns the SHA-1 of every byte it stored, computed from those very bytes on their way
   * in (the disk's `saveToFile`, which also verifies it before the rename): the engine then does not hash the
   * same bytes a second time. A target whose SHA-1 comes from elsewhere (a server) leaves it unset, and the
   * engine's own hash of the pass is compared with it.
   */
  readonly hashesWrites?: boolean;
  /** What is already there under this name; undefined when absent. */
  stat(name: string, signal: AbortSignal): Promise<Existing | undefined>;
  /** Stores the entry under `name`. */
  write(name: string, body: EntryBody, options: WriteOptions): Promise<Written>;
  /** After a run that listed everything: remove leftovers of earlier runs (stale partial files…). */
  finish?(complete: boolean): Promise<void>;
}

/** The source changed while (or since) it was being read: nothing may be committed from those bytes. */
export class SourceChangedError extends Error {
  override readonly name = 'SourceChangedError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path} changed while it was being copied (${detail}); nothing was kept — run again to copy it`);
  }
}

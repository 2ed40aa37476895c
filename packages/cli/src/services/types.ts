import { type BodySource, type Logger, toBodySource } from '@mediaferry/core';
import type { Connection, CredentialSpec } from '../connections.js';
import type { EntryBody, Source, Target } from '../copy/types.js';
import type { Location } from '../locations.js';
import type { OutputOptions } from '../output.js';

/** What every command gets: how to talk to the user, and a redacting request logger for --verbose. */
export interface Runtime {
  readonly output: OutputOptions;
  /** Present with --verbose: give it to clients with `logLevel: 'debug'`; the core redacts secrets. */
  readonly logger: Logger | undefined;
  readonly signal: AbortSignal;
}

/** Copy flags a target may use. */
export interface TargetOptions {
  /** Part size for large uploads (`--part-size`). */
  readonly partSize?: number | undefined;
}

/** A service as the CLI knows it: its credentials and, where it makes sense, a copy source and target. */
export interface ServiceModule {
  readonly credentials: CredentialSpec;
  source?(location: Location, connection: Connection, runtime: Runtime): Promise<Source>;
  target?(
    location: Location,
    connection: Connection,
    runtime: Runtime,
    options: TargetOptions,
  ): Promise<Target>;
}

/** The client options every service shares: the connection's fetch (embedded emulators) and --verbose logging. */
/** The longest a single upload or download may take in the CLI. */
const TRANSFER_TIMEOUT_MS = 24 * 3_600_000;

export function transportOptions(
  connection: Connection,
  runtime: Runtime,
): { fetch?: typeof fetch; logger?: Logger; logLevel?: 'debug'; transferTimeout: number } {
  return {
    // `timeout` now bounds a whole transfer: a big file gets a day, stalls are still caught by the idle and
    // minimum-throughput guards.
    transferTimeout: TRANSFER_TIMEOUT_MS,
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
    ...(runtime.logger ? { logger: runtime.logger, logLevel: 'debug' as const } : {}),
  };
}

/** The last segment of a copy path: `dir/clip.mp4` → `clip.mp4`. */
export const fileNameOf = (path: string): string => path.split('/').pop() ?? path;

/** A title from a copy path: its file name without the extension (`dir/clip.mp4` → `clip`). */
export const titleOf = (path: string): string => fileNameOf(path).replace(/\.[^.]+$/, '');

/** The entry's bytes as a replayable upload body: each attempt opens the source afresh. */
export function uploadBodyOf(body: EntryBody): Promise<BodySource> {
  return toBodySource(
    async () => (await body.open()).body,
    body.size === undefined ? {} : { size: body.size },
  );
}

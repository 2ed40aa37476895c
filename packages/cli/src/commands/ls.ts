/**
 * `mediaferry ls` and `lsjson`: any location listed the way a copy from it sees it (the same entries, paths,
 * sizes, times and SHA-1, the same filters and layout), so a source can be inspected before a copy.
 * Output asked for: printed even with --quiet, streamed as the listing goes.
 *
 * @module
 */
import type { Command } from 'commander';
import { laidOut, parseLayout } from '../copy/layout.js';
import type { Entry } from '../copy/types.js';
import { UsageError } from '../errors.js';
import { Filter, type FilterFlags } from '../filters/filter.js';
import { parseLocation } from '../locations.js';
import { print } from '../output.js';
import { connect, withRuntime } from '../runtime.js';
import type { ShowEntry } from '../services/mixcloud-list.js';
import { sourceFor } from './job.js';

export interface LsOptions extends FilterFlags {
  readonly long?: boolean;
  readonly checksum?: boolean;
  readonly layout?: string;
}

interface Listed extends Entry {
  readonly sha1?: string | undefined;
}

const isShow = (entry: Entry): entry is ShowEntry => 'title' in entry;

/** rclone's lsjson fields (Path, Name, Size -1 when unknown, ModTime, IsDir, Hashes), plus what a side adds. */
function jsonOf(entry: Listed, path: string) {
  return {
    Path: path,
    Name: path.slice(path.lastIndexOf('/') + 1),
    Size: entry.size ?? -1,
    ...(entry.modifiedMs === undefined ? {} : { ModTime: new Date(entry.modifiedMs).toISOString() }),
    IsDir: false,
    ...(entry.sha1 ? { Hashes: { sha1: entry.sha1 } } : {}),
    ...(isShow(entry)
      ? {
          Title: entry.title,
          ...(entry.seconds === undefined ? {} : { Seconds: entry.seconds }),
          ...(entry.url ? { URL: entry.url } : {}),
        }
      : {}),
  };
}

/** `ls`: `size path`; `ls -l`: `size  time  sha1  path` (`-` where a side does not know it). */
function lineOf(entry: Listed, path: string, long: boolean): string {
  const size = String(entry.size ?? '-').padStart(12);
  if (!long) return `${size} ${path}`;
  const time = entry.modifiedMs === undefined ? '-'.padEnd(24) : new Date(entry.modifiedMs).toISOString();
  const title = isShow(entry) ? `  (${entry.title})` : '';
  return `${size}  ${time}  ${(entry.sha1 ?? '-').padEnd(40)}  ${path}${title}`;
}

export async function runLs(
  text: string,
  options: LsOptions,
  command: Command,
  asJson: boolean,
): Promise<void> {
  const location = parseLocation(text);
  const filter = new Filter(options);
  const layout = parseLayout(options.layout);
  const json = asJson || command.optsWithGlobals<{ json?: boolean }>().json === true;
  await withRuntime(command, async (runtime) => {
    let entries: AsyncIterable<Listed>;
    let digest: ((entry: Entry) => Promise<string | undefined>) | undefined;
    if (location.kind === 'mixcloud') {
      if (options.checksum) throw new UsageError('Mixcloud serves no audio, so it has no SHA-1 to show');
      const { connection } = await connect('mixcloud', command, runtime);
      const { mixcloudShows } = await import('../services/mixcloud-list.js');
      entries = mixcloudShows(location, connection, runtime);
    } else {
      const source = await sourceFor(location, command, runtime);
      entries = source.list(runtime.signal);
      if (options.checksum && source.digest)
        digest = async (entry) => (await source.digest!(entry, runtime.signal)).sha1;
    }
    let first = true;
    if (json) process.stdout.write('[');
    for await (const listed of entries) {
      if (filter.verdict(listed) !== undefined) continue;
      const entry: Listed =
        listed.sha1 === undefined && digest && (options.long || json)
          ? { ...listed, sha1: await digest(listed) }
          : listed;
      const path = laidOut(entry, layout);
      if (json) {
        process.stdout.write(`${first ? '\n' : ',\n'}${JSON.stringify(jsonOf(entry, path))}`);
        first = false;
      } else print(lineOf(entry, path, options.long ?? false));
    }
    if (json) process.stdout.write(first ? ']\n' : '\n]\n');
  });
}

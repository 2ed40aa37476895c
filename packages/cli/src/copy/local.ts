import { createReadStream, type Dirent } from 'node:fs';
import { mkdir, opendir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import { safeJoin, saveToFile } from '@mediaferry/core';
import type { Entry, OpenedEntry, Source, Target, Written } from './types.js';

/** A file or a folder on disk, as a copy source: a folder is walked recursively (symlinks are not followed). */
export function localSource(path: string): Source {
  return {
    label: path,
    async *list() {
      const info = await stat(path);
      if (info.isFile()) {
        yield { path: basename(path), size: info.size, ref: path };
        return;
      }
      for await (const file of walk(path)) {
        const size = (await stat(file)).size;
        yield { path: relative(path, file).split(sep).join('/'), size, ref: file };
      }
    },
    async open(entry: Entry): Promise<OpenedEntry> {
      const file = entry.ref as string;
      return {
        body: Readable.toWeb(
          createReadStream(file, { highWaterMark: 256 * 1024 }),
        ) as ReadableStream<Uint8Array>,
        size: entry.size,
      };
    },
  };
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries: Dirent[] = [];
  for await (const entry of await opendir(dir)) entries.push(entry);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/**
 * A folder on disk as a copy target. Names from the source are untrusted (they may come from a server), so
 * each goes through `safeJoin`; bytes land in a temporary file renamed into place only when complete and
 * verified.
 */
export function localTarget(root: string): Target {
  return {
    label: root,
    async stat(path) {
      const info = await stat(safeJoin(root, path)).catch(() => undefined);
      return info?.isFile() ? { size: info.size } : undefined;
    },
    async write(entry, open, options): Promise<Written> {
      const destination = safeJoin(root, entry.path);
      await mkdir(dirname(destination), { recursive: true });
      let opened = false;
      const saved = await saveToFile(
        async () => {
          // Resuming by range is not possible from a source stream; a failed copy is simply run again.
          if (opened) throw new Error('the source stream cannot be re-read');
          opened = true;
          return {
            status: 200,
            headers: new Headers(),
            url: destination,
            contentLength: options.size,
            requestId: undefined,
            body: await open(),
          };
        },
        destination,
        {
          signal: options.signal,
          resumeAttempts: 0,
          expectedSize: options.size,
          // A source that reports neither size nor SHA-1 (a BigGo video) cannot be proven complete here:
          // saved as the copy engine always did, until the source passes its Content-Length (issue 12).
          allowUnknownSize: true,
          ...(options.sha1
            ? { integrity: { algorithm: 'sha1' as const, expected: options.sha1 } }
            : { hash: 'sha1' as const }),
        },
      );
      return { location: saved.path, sha1: saved.digest };
    },
  };
}

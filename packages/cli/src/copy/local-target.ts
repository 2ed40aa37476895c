import { createHash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { fileStream, openJail, safeJoin, saveToFile } from '@mediaferry/core';
import { Namer } from './naming.js';
import { Partials } from './partials.js';
import type { Target, Written } from './types.js';

/** SHA-1 of a file on disk (`--checksum` against a local destination). */
async function sha1OfFile(path: string, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of fileStream(path)) {
    signal.throwIfAborted();
    hash.update(chunk);
  }
  return hash.digest('hex');
}

/**
 * A folder on disk as a copy target, opened as a jail (see `openJail`): names from the source are untrusted,
 * nothing is written through a symbolic link, colliding names get distinct ones (see {@link Namer}). Bytes
 * land in `.mediaferry-partial/` (see {@link Partials}), are verified, flushed, given the source's
 * modification time and only then renamed into place. Fails at once when the folder cannot be one.
 */
export async function localTarget(root: string): Promise<Target> {
  const jail = await openJail(root);
  const partials = new Partials(jail);
  const names = new Namer();
  return {
    label: root,
    hashesWrites: true,
    place: (path) => names.place(path),
    async stat(name) {
      const path = safeJoin(jail.root, name);
      // Refuses a name whose folders cross a link, or whose final name is a link or a folder.
      await jail.verify(path);
      const info = await lstat(path, { bigint: true }).catch(() => undefined);
      if (!info) return undefined;
      return {
        size: Number(info.size),
        // Rounded: a time set in milliseconds reads back a few hundred nanoseconds off.
        modifiedMs: Math.round(Number(info.mtimeNs) / 1e6),
        digest: (signal: AbortSignal) => sha1OfFile(path, signal),
      };
    },
    async write(name, body, options): Promise<Written> {
      const destination = await jail.place(name);
      const saved = await saveToFile(
        (range) =>
          body.open(range ? { start: range.start, ifRange: range.ifRange ?? body.version } : undefined),
        destination,
        {
          signal: options.signal,
          partialPath: await partials.pathFor(name, body.version),
          resumeAttempts: body.rangeable ? 3 : 0,
          expectedSize: body.size,
          modifiedAt: body.modifiedMs,
          beforeCommit: () => jail.verify(destination),
          // A kept partial file resumes when its bytes are proven the same version: by the SHA-1 at the end,
          // or else by the validator it was read under (its name already says which version it belongs to).
          ...(body.sha1
            ? { integrity: { algorithm: 'sha1' as const, expected: body.sha1 } }
            : { hash: 'sha1' as const, partialValidator: body.version }),
        },
      );
      return { location: saved.path, sha1: saved.digest, size: saved.size };
    },
    finish: (complete) => partials.clean(complete),
  };
}

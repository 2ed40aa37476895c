import type { B2Client, FileVersion } from '@mediaferry/b2';
import type { BodySource } from '@mediaferry/core';
import {
  type ByteRange,
  type Digest,
  type Entry,
  type EntryBody,
  type Source,
  SourceChangedError,
  type Target,
  type Written,
} from '../copy/types.js';

const hexSha1 = (value: string | null | undefined) => {
  const plain = value?.replace(/^unverified:/, '');
  return plain && /^[0-9a-f]{40}$/.test(plain) ? plain : undefined;
};

/** A B2 file's SHA-1: B2's own, or the `large_file_sha1` its uploader recorded. */
export const sha1Of = (file: FileVersion): string | undefined =>
  hexSha1(file.contentSha1) ?? hexSha1(file.fileInfo.large_file_sha1);

/** The modification time the uploader recorded (`src_last_modified_millis`, rclone's and B2's convention). */
export function modifiedOf(file: FileVersion): number | undefined {
  const value = Number(file.fileInfo.src_last_modified_millis);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Files under a B2 prefix as a copy source; `b2://bucket/path/file.mp4` (no trailing slash) naming an existing
 * file is that file alone. Each entry carries B2's SHA-1 and its file id, the version a kept partial file is
 * resumed under (a file id never changes content).
 */
export async function b2Source(
  client: B2Client,
  bucket: string,
  bucketId: string,
  path: string,
  signal: AbortSignal,
): Promise<Source> {
  let prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  let single = false;
  if (path !== '' && !path.endsWith('/')) {
    // The exact name sorts first among the names it prefixes.
    const first = (
      await client.listFileNames(bucketId, { prefix: path, pageSize: 1, signal }).toArray({ limit: 1 })
    )[0];
    if (first?.fileName === path) {
      single = true;
      prefix = path.slice(0, path.lastIndexOf('/') + 1);
    }
  }
  const entryOf = (file: FileVersion): Entry => ({
    path: file.fileName.slice(prefix.length),
    size: file.contentLength,
    sha1: sha1Of(file),
    modifiedMs: modifiedOf(file) ?? file.uploadTimestamp.getTime(),
    version: file.fileId ?? undefined,
    ref: file.fileId,
  });
  return {
    label: single ? `b2://${bucket}/${path}` : `b2://${bucket}/${prefix}`,
    rangeable: true,
    async *list(listSignal) {
      const listing = client.listFileNames(bucketId, {
        prefix: single ? path : prefix,
        signal: listSignal,
        ...(single ? { pageSize: 1 } : {}),
      });
      for await (const file of listing) {
        if (single && file.fileName !== path) return;
        if (file.fileId && file.action === 'upload') yield entryOf(file);
        if (single) return;
      }
    },
    open(entry, openSignal, range) {
      return client.download(
        { fileId: entry.ref as string },
        {
          signal: openSignal,
          ...(range ? { range: { start: range.start, ...(range.end ? { end: range.end - 1 } : {}) } } : {}),
        },
      );
    },
  };
}

export interface B2TargetOptions {
  /** Part size for large files from disk; default the account's recommended part size. */
  readonly partSize?: number | undefined;
  /** Parts in flight per large file. */
  readonly concurrency?: number | undefined;
}

/**
 * A B2 prefix as a copy target. Small files go in one POST whose SHA-1 is that of the bytes read. A large
 * file from disk is hashed first (whole and per part), recorded with `large_file_sha1`, uploaded from file
 * ranges (memory as for `b2 upload`), each part checked against its hash before B2 gets its last byte, and
 * resumed from its finished parts by a later run; one from a stream is cut into small parts. Every upload
 * records `src_last_modified_millis`, so a later run can compare modification times.
 */
export async function b2Target(
  client: B2Client,
  bucket: string,
  bucketId: string,
  prefix: string,
  options: B2TargetOptions,
  runSignal: AbortSignal,
): Promise<Target> {
  const session = await client.connect({ signal: runSignal });
  const partSize = options.partSize ?? session.recommendedPartSize;
  let existing: Promise<Map<string, FileVersion>> | undefined;
  const listing = (signal: AbortSignal) => {
    // One listing of the prefix answers every lookup of the run.
    existing ??= (async () => {
      const map = new Map<string, FileVersion>();
      for await (const file of client.listFileNames(bucketId, { prefix, signal }))
        map.set(file.fileName, file);
      return map;
    })();
    return existing;
  };

  /** Cancels the unfinished large files of this name but the newest of this content (the one to resume). */
  const settleUnfinished = async (fileName: string, sha1: string | undefined, signal?: AbortSignal) => {
    const unfinished = (
      await client
        .listUnfinishedLargeFiles(bucketId, { namePrefix: fileName, signal })
        .toArray({ limit: 10_000 })
    ).filter((f) => f.fileName === fileName && f.fileId);
    const resumable = unfinished.filter((f) => sha1 !== undefined && f.fileInfo.large_file_sha1 === sha1);
    const keep = resumable.at(-1);
    for (const file of unfinished)
      if (file !== keep) await client.cancelLargeFile(file.fileId!, signal ? { signal } : {}).catch(() => {});
  };

  const written = (file: FileVersion, sha1: string | undefined): Written => ({
    location: `b2://${bucket}/${file.fileName} (${file.fileId})`,
    sha1,
    size: file.contentLength,
    discard: async () => {
      await client.deleteFileVersion(file.fileName, file.fileId!);
    },
  });

  const uploadFromFile = async (
    fileName: string,
    body: EntryBody,
    digest: Digest,
    size: number,
    info: Record<string, string>,
    signal: AbortSignal,
  ) => {
    await settleUnfinished(fileName, digest.sha1, signal);
    const partOf = (range: { start: number; end: number }) =>
      range.start % partSize === 0 && range.end === Math.min(size, range.start + partSize)
        ? digest.parts?.[range.start / partSize]
        : undefined;
    const source: BodySource = {
      kind: 'body',
      size,
      replayable: true,
      rangeable: true,
      consumed: false,
      open: async (range) => {
        const part: ByteRange | undefined = range && {
          start: range.start,
          end: range.end,
          sha1: partOf(range),
        };
        return (await body.open(part ?? { start: 0, sha1: digest.sha1 })).body;
      },
    };
    try {
      const file = await client.uploadFile(bucketId, fileName, source, {
        signal,
        partSize,
        resume: true,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
        info: { ...info, large_file_sha1: digest.sha1 },
      });
      return written(file, digest.sha1);
    } catch (error) {
      // Parts of content that changed are of no use to a later run: cancel them (without the aborted signal).
      if (signal.reason instanceof SourceChangedError)
        await settleUnfinished(fileName, undefined).catch(() => {});
      throw error;
    }
  };

  return {
    label: `b2://${bucket}/${prefix}`,
    place: (path) => path,
    async stat(name, signal) {
      const file = (await listing(signal)).get(prefix + name);
      return file && { size: file.contentLength, sha1: sha1Of(file), modifiedMs: modifiedOf(file) };
    },
    async write(name, body, { signal }) {
      const fileName = prefix + name;
      const info: Record<string, string> =
        body.modifiedMs === undefined ? {} : { src_last_modified_millis: String(body.modifiedMs) };
      const { size } = body;
      if (size !== undefined && size > partSize && body.rangeable) {
        const digest = await body.digest(partSize);
        if (digest) return uploadFromFile(fileName, body, digest, size, info, signal);
      }
      const stream = async () => (await body.open()).body;
      if (size !== undefined && size <= partSize) {
        const file = await client.uploadFile(bucketId, fileName, stream, { signal, size, info });
        return written(file, hexSha1(file.contentSha1));
      }
      // A stream: cut into parts as it comes, each held in memory while it uploads, so keep them small.
      const streamPartSize = Math.max(session.absoluteMinimumPartSize, Math.ceil((size ?? 0) / 10_000));
      const file = await client.uploadFile(bucketId, fileName, stream, {
        signal,
        partSize: streamPartSize,
        concurrency: 2,
        ...(size === undefined ? {} : { size }),
        info: { ...info, ...(body.sha1 ? { large_file_sha1: body.sha1 } : {}) },
      });
      return written(file, undefined);
    },
  };
}

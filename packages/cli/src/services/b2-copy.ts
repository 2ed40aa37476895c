import { AccessDeniedError, type B2Client, type FileVersion, UnauthorizedError } from '@mediaferry/b2';
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
export function modifiedOf(file: Pick<FileVersion, 'fileInfo'>): number | undefined {
  const value = Number(file.fileInfo.src_last_modified_millis);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * What a B2 source puts in `entry.ref`: the file id, and the account it lives in (API host and account id),
 * so that a B2 target of the same account can copy it on the server.
 */
interface B2Ref {
  readonly fileId: string;
  readonly account: string;
}

function isB2Ref(value: unknown): value is B2Ref {
  const ref = value as Partial<B2Ref> | undefined;
  return typeof ref?.fileId === 'string' && typeof ref.account === 'string';
}

/** The account a client works in: its API host and account id (the authorization is cached: no request). */
async function accountOf(client: B2Client, host: string, signal: AbortSignal): Promise<string> {
  const { accountId } = await client.authorize({ signal });
  return `${host}#${accountId}`;
}

/**
 * Files under a B2 prefix as a copy source; `b2://bucket/path/file.mp4` (no trailing slash) naming an existing
 * file is that file alone. Each entry carries B2's SHA-1 and its file id, the version a kept partial file is
 * resumed under (a file id never changes content).
 */
export async function b2Source(
  client: B2Client,
  host: string,
  bucket: string,
  bucketId: string,
  path: string,
  signal: AbortSignal,
): Promise<Source> {
  const account = await accountOf(client, host, signal);
  let prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
  let single = false;
  if (path !== '' && !path.endsWith('/')) {
    // The exact name sorts first among the names it prefixes.
    const first = (
      await client.files.list({ bucketId, prefix: path, pageSize: 1 }, { signal }).toArray({ limit: 1 })
    )[0];
    if (first?.fileName === path) {
      single = true;
      prefix = path.slice(0, path.lastIndexOf('/') + 1);
    }
  }
  const entryOf = (fileId: string, file: FileVersion): Entry => ({
    path: file.fileName.slice(prefix.length),
    size: file.contentLength,
    sha1: sha1Of(file),
    modifiedMs: modifiedOf(file) ?? file.uploadTimestamp.getTime(),
    version: fileId,
    ref: { fileId, account } satisfies B2Ref,
  });
  return {
    label: single ? `b2://${bucket}/${path}` : `b2://${bucket}/${prefix}`,
    rangeable: true,
    async *list(listSignal) {
      const listing = client.files.list(
        { bucketId, prefix: single ? path : prefix, ...(single ? { pageSize: 1 } : {}) },
        { signal: listSignal },
      );
      for await (const file of listing) {
        if (single && file.fileName !== path) return;
        if (file.fileId && file.action === 'upload') yield entryOf(file.fileId, file);
        if (single) return;
      }
    },
    async open(entry, openSignal, range) {
      if (!isB2Ref(entry.ref)) throw new Error('not an entry of this source');
      // The engine hashes what crosses and checks it against the entry's SHA-1: the plain stream will do.
      return client.raw.downloadFileById(
        {
          fileId: entry.ref.fileId,
          ...(range ? { range: { start: range.start, ...(range.end ? { end: range.end - 1 } : {}) } } : {}),
        },
        { signal: openSignal },
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
 * A B2 prefix as a copy target. A file of the same account with a known SHA-1 is copied on the server
 * (`b2_copy_file`, or parallel `b2_copy_part`s): no byte passes through here, and the SHA-1 and size of the
 * copy are checked against the source's; a key that may not read the source falls back to streaming. Small files go in one POST whose SHA-1 is that of the bytes read. A large
 * file from disk is hashed first (whole and per part), recorded with `large_file_sha1`, uploaded from file
 * ranges (memory as for `b2 upload`), each part checked against its hash before B2 gets its last byte, and
 * resumed from its finished parts by a later run; one from a stream is cut into small parts. Every upload
 * records `src_last_modified_millis`, so a later run can compare modification times.
 */
export async function b2Target(
  client: B2Client,
  host: string,
  bucket: string,
  bucketId: string,
  prefix: string,
  options: B2TargetOptions,
  runSignal: AbortSignal,
): Promise<Target> {
  const session = await client.authorize({ signal: runSignal });
  const account = `${host}#${session.accountId}`;
  const partSize = options.partSize ?? session.recommendedPartSize;
  let existing: Promise<Map<string, FileVersion>> | undefined;
  const listing = (signal: AbortSignal) => {
    // One listing of the prefix answers every lookup of the run.
    existing ??= (async () => {
      const map = new Map<string, FileVersion>();
      for await (const file of client.files.list({ bucketId, prefix }, { signal }))
        map.set(file.fileName, file);
      return map;
    })();
    return existing;
  };

  /** Cancels the unfinished large files of this name but the newest of this content (the one to resume). */
  const settleUnfinished = async (fileName: string, sha1: string | undefined, signal?: AbortSignal) => {
    const unfinished = (
      await client.largeFiles
        .listUnfinished({ bucketId, namePrefix: fileName }, signal ? { signal } : {})
        .toArray({ limit: 10_000 })
    ).filter((f) => f.fileName === fileName && f.fileId);
    const resumable = unfinished.filter((f) => sha1 !== undefined && f.fileInfo.large_file_sha1 === sha1);
    const keep = resumable.at(-1);
    for (const file of unfinished)
      if (file !== keep)
        await client.largeFiles.cancel(file.fileId!, signal ? { signal } : {}).catch(() => {});
  };

  const written = (file: FileVersion, sha1: string | undefined, how?: string): Written => ({
    location: `b2://${bucket}/${file.fileName} (${file.fileId}${how ? `, ${how}` : ''})`,
    sha1,
    size: file.contentLength,
    discard: async () => {
      await client.files.delete({ fileName: file.fileName, fileId: file.fileId! });
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
      const upload = client.files.upload(
        {
          bucketId,
          fileName,
          source,
          partSize,
          resume: true,
          ...(options.concurrency ? { concurrency: options.concurrency } : {}),
          info: { ...info, large_file_sha1: digest.sha1 },
        },
        { signal },
      );
      return written(await upload.done(), digest.sha1);
    } catch (error) {
      // Parts of content that changed are of no use to a later run: cancel them (without the aborted signal).
      if (signal.reason instanceof SourceChangedError)
        await settleUnfinished(fileName, undefined).catch(() => {});
      throw error;
    }
  };

  const copyOnServer = async (fileName: string, body: EntryBody, signal: AbortSignal) => {
    if (!isB2Ref(body.ref) || body.ref.account !== account || !body.sha1) return undefined;
    const copy = client.files.copy(
      {
        sourceFileId: body.ref.fileId,
        fileName,
        destinationBucketId: bucketId,
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      },
      { signal },
    );
    try {
      const file = await copy.done();
      return written(file, sha1Of(file), 'copied on the server');
    } catch (error) {
      if (error instanceof UnauthorizedError || error instanceof AccessDeniedError) return undefined;
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
      const copied = await copyOnServer(fileName, body, signal);
      if (copied) return copied;
      const { size } = body;
      if (size !== undefined && size > partSize && body.rangeable) {
        const digest = await body.digest(partSize);
        if (digest) return uploadFromFile(fileName, body, digest, size, info, signal);
      }
      const stream = async () => (await body.open()).body;
      if (size !== undefined && size <= partSize) {
        const upload = client.files.upload({ bucketId, fileName, source: stream, size, info }, { signal });
        const file = await upload.done();
        return written(file, hexSha1(file.contentSha1));
      }
      // A stream: cut into parts as it comes, each held in memory while it uploads, so keep them small.
      const streamPartSize = Math.max(session.absoluteMinimumPartSize, Math.ceil((size ?? 0) / 10_000));
      const upload = client.files.upload(
        {
          bucketId,
          fileName,
          source: stream,
          partSize: streamPartSize,
          concurrency: 2,
          ...(size === undefined ? {} : { size }),
          info: { ...info, ...(body.sha1 ? { large_file_sha1: body.sha1 } : {}) },
        },
        { signal },
      );
      return written(await upload.done(), undefined);
    },
  };
}

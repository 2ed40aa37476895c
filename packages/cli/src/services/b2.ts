import {
  AccessDeniedError,
  B2_BASE_URL,
  B2Client,
  type FileVersion,
  NoSuchBucketError,
  UnauthorizedError,
} from '@mediaferry/b2';
import type { Connection } from '../connections.js';
import type { Entry, Source, Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import type { Location } from '../locations.js';
import { type Runtime, type ServiceModule, transportOptions } from './types.js';

/** A B2 client for this connection (the real realm, a running emulator, or an embedded one). */
export function b2Client(connection: Connection, runtime: Runtime): B2Client {
  return new B2Client({
    keyId: connection.credentials.keyId ?? '',
    applicationKey: connection.credentials.key ?? '',
    baseUrl: connection.baseUrl ?? B2_BASE_URL,
    ...transportOptions(connection, runtime),
  });
}

export async function bucketIdOf(
  client: B2Client,
  bucketName: string,
  signal?: AbortSignal,
): Promise<string> {
  try {
    return (await client.buckets.get({ bucketName }, { signal })).bucketId;
  } catch (error) {
    if (error instanceof NoSuchBucketError)
      throw new CliError(
        `B2 bucket ${bucketName} does not exist`,
        'list buckets with: mediaferry b2 buckets',
      );
    throw error;
  }
}

const hexSha1 = (value: string | null | undefined) =>
  value && /^[0-9a-f]{40}$/.test(value) ? value : undefined;

/** A B2 file's SHA-1: B2's own, or the `large_file_sha1` its uploader recorded. */
const sha1Of = (file: FileVersion) => hexSha1(file.contentSha1) ?? hexSha1(file.fileInfo.large_file_sha1);

/**
 * What a B2 source puts in `entry.ref`: the file id, and the account it lives in (the API host and the
 * account id), so that a B2 target of the same account can copy it on the server.
 */
interface B2Ref {
  readonly fileId: string;
  readonly account: string;
}

function isB2Ref(value: unknown): value is B2Ref {
  const ref = value as Partial<B2Ref> | undefined;
  return typeof ref?.fileId === 'string' && typeof ref.account === 'string';
}

/** The account a client works in: its API host and account id (authorization is cached: no request). */
async function accountOf(client: B2Client, connection: Connection, signal: AbortSignal): Promise<string> {
  const { accountId } = await client.authorize({ signal });
  return `${connection.baseUrl ?? B2_BASE_URL}#${accountId}`;
}

function b2Location(location: Location): { bucket: string; prefix: string } {
  if (location.kind !== 'b2') throw new Error('not a b2 location');
  // A prefix names a folder: `b2://bucket/clips` and `b2://bucket/clips/` mean the same.
  const prefix =
    location.prefix === '' || location.prefix.endsWith('/') ? location.prefix : `${location.prefix}/`;
  return { bucket: location.bucket, prefix };
}

export const b2Module: ServiceModule = {
  credentials: {
    service: 'b2',
    env: { keyId: 'B2_APPLICATION_KEY_ID', key: 'B2_APPLICATION_KEY' },
    fromEmulator: (c) => ({ keyId: c.keyId ?? '', key: c.key ?? '' }),
  },

  async source(location, connection, runtime): Promise<Source> {
    const { bucket, prefix } = b2Location(location);
    const client = b2Client(connection, runtime);
    const bucketId = await bucketIdOf(client, bucket, runtime.signal);
    const account = await accountOf(client, connection, runtime.signal);
    return {
      label: `b2://${bucket}/${prefix}`,
      async *list(signal) {
        for await (const file of client.files.list({ bucketId, prefix }, { signal })) {
          if (!file.fileId) continue;
          const ref: B2Ref = { fileId: file.fileId, account };
          yield {
            path: file.fileName.slice(prefix.length),
            size: file.contentLength,
            sha1: sha1Of(file),
            ref,
          };
        }
      },
      async open(entry: Entry, signal) {
        if (!isB2Ref(entry.ref)) throw new Error('not an entry of this source');
        // The engine hashes what crosses and checks it against the entry's SHA-1: the raw stream will do.
        const response = await client.raw.downloadFileById({ fileId: entry.ref.fileId }, { signal });
        return { body: response.body, size: response.contentLength };
      },
    };
  },

  async target(location, connection, runtime): Promise<Target> {
    const { bucket, prefix } = b2Location(location);
    const client = b2Client(connection, runtime);
    const bucketId = await bucketIdOf(client, bucket, runtime.signal);
    const account = await accountOf(client, connection, runtime.signal);
    let existing: Promise<Map<string, { size: number; sha1: string | undefined }>> | undefined;
    /**
     * A file of this account with a known SHA-1 is copied on the server (`b2_copy_file`, or parallel
     * `b2_copy_part`s): no byte passes through here, and B2's SHA-1 of the copy is checked against the
     * source's. A key that may not read the source falls back to streaming.
     */
    const copyOnServer = async (entry: Entry, signal: AbortSignal) => {
      if (!isB2Ref(entry.ref) || entry.ref.account !== account || !entry.sha1) return undefined;
      try {
        const copy = client.files.copy(
          { sourceFileId: entry.ref.fileId, fileName: prefix + entry.path, destinationBucketId: bucketId },
          { signal },
        );
        return await copy.done();
      } catch (error) {
        if (error instanceof UnauthorizedError || error instanceof AccessDeniedError) return undefined;
        throw error;
      }
    };
    return {
      label: `b2://${bucket}/${prefix}`,
      async stat(path, signal) {
        // One listing of the prefix answers every lookup of the run.
        existing ??= (async () => {
          const map = new Map<string, { size: number; sha1: string | undefined }>();
          for await (const file of client.files.list({ bucketId, prefix }, { signal }))
            map.set(file.fileName, { size: file.contentLength, sha1: sha1Of(file) });
          return map;
        })();
        return (await existing).get(prefix + path);
      },
      async write(entry, open, options) {
        const copied = await copyOnServer(entry, options.signal);
        if (copied)
          return {
            location: `b2://${bucket}/${copied.fileName} (${copied.fileId}, copied on the server)`,
            sha1: sha1Of(copied),
            size: copied.contentLength,
          };
        const file = await client.files
          .upload(
            {
              bucketId,
              fileName: prefix + entry.path,
              source: open,
              ...(options.size === undefined ? {} : { size: options.size }),
              // Large files carry no whole-file SHA-1 on B2; record it so later copies can compare.
              ...(options.sha1 ? { info: { large_file_sha1: options.sha1 } } : {}),
            },
            { signal: options.signal },
          )
          .done();
        return {
          location: `b2://${bucket}/${file.fileName} (${file.fileId})`,
          sha1: hexSha1(file.contentSha1),
        };
      },
    };
  },
};

import { B2_BASE_URL, B2Client, NoSuchBucketError } from '@mediaferry/b2';
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
    return {
      label: `b2://${bucket}/${prefix}`,
      async *list(signal) {
        for await (const file of client.files.list({ bucketId, prefix }, { signal })) {
          if (!file.fileId) continue;
          yield {
            path: file.fileName.slice(prefix.length),
            size: file.contentLength,
            sha1: hexSha1(file.contentSha1) ?? hexSha1(file.fileInfo.large_file_sha1),
            ref: file.fileId,
          };
        }
      },
      async open(entry: Entry, signal) {
        const response = await client.files.download({ fileId: entry.ref as string }, {}, { signal });
        return { body: response.body, size: response.contentLength };
      },
    };
  },

  async target(location, connection, runtime): Promise<Target> {
    const { bucket, prefix } = b2Location(location);
    const client = b2Client(connection, runtime);
    const bucketId = await bucketIdOf(client, bucket, runtime.signal);
    let existing: Promise<Map<string, { size: number; sha1: string | undefined }>> | undefined;
    return {
      label: `b2://${bucket}/${prefix}`,
      async stat(path, signal) {
        // One listing of the prefix answers every lookup of the run.
        existing ??= (async () => {
          const map = new Map<string, { size: number; sha1: string | undefined }>();
          for await (const file of client.files.list({ bucketId, prefix }, { signal })) {
            map.set(file.fileName, {
              size: file.contentLength,
              sha1: hexSha1(file.contentSha1) ?? hexSha1(file.fileInfo.large_file_sha1),
            });
          }
          return map;
        })();
        return (await existing).get(prefix + path);
      },
      async write(entry, open, options) {
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

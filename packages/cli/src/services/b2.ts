import { B2_BASE_URL, B2Client, NoSuchBucketError } from '@mediaferry/b2';
import type { Connection } from '../connections.js';
import type { Source, Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import type { Location } from '../locations.js';
import { b2Source, b2Target } from './b2-copy.js';
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

function b2Location(location: Location): { bucket: string; path: string } {
  if (location.kind !== 'b2') throw new Error('not a b2 location');
  return { bucket: location.bucket, path: location.prefix };
}

export const b2Module: ServiceModule = {
  credentials: {
    service: 'b2',
    env: { keyId: 'B2_APPLICATION_KEY_ID', key: 'B2_APPLICATION_KEY' },
    fromEmulator: (c) => ({ keyId: c.keyId ?? '', key: c.key ?? '' }),
  },

  async source(location, connection, runtime): Promise<Source> {
    const { bucket, path } = b2Location(location);
    const client = b2Client(connection, runtime);
    const bucketId = await bucketIdOf(client, bucket, runtime.signal);
    return b2Source(client, connection.baseUrl ?? B2_BASE_URL, bucket, bucketId, path, runtime.signal);
  },

  async target(location, connection, runtime, options): Promise<Target> {
    const { bucket, path } = b2Location(location);
    // A destination names a folder: `b2://bucket/clips` and `b2://bucket/clips/` mean the same.
    const prefix = path === '' || path.endsWith('/') ? path : `${path}/`;
    const client = b2Client(connection, runtime);
    const bucketId = await bucketIdOf(client, bucket, runtime.signal);
    return b2Target(
      client,
      connection.baseUrl ?? B2_BASE_URL,
      bucket,
      bucketId,
      prefix,
      options,
      runtime.signal,
    );
  },
};

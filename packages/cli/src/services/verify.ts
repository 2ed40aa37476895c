import type { Connection } from '../connections.js';
import type { Runtime } from './types.js';

/**
 * One cheap authenticated call per service, to prove credentials before `login` saves them: what it returns
 * says whose they are. Throws the service's error (401 and the like) when they are refused.
 */
export async function verifyCredentials(
  service: string,
  connection: Connection,
  runtime: Runtime,
): Promise<string> {
  const signal = runtime.signal;
  switch (service) {
    case 'b2': {
      const { b2Client } = await import('./b2.js');
      const client = b2Client(connection, runtime);
      try {
        const buckets = await client.buckets.list({}, { signal }).toArray({ limit: 10_000 });
        return `${buckets.length} bucket${buckets.length === 1 ? '' : 's'} visible`;
      } finally {
        await client.close();
      }
    }
    case 'gopro': {
      const { goproClient } = await import('./gopro.js');
      const page = await goproClient(connection, runtime).media.search({}, { signal });
      return `${page._pages?.total_items ?? page._embedded.media.length} media in the library`;
    }
    case 'biggo': {
      const { biggoClient } = await import('./biggo.js');
      const videos = await biggoClient(connection, runtime)
        .videos.list({}, { signal })
        .toArray({ limit: 1000 });
      return `${videos.length} video${videos.length === 1 ? '' : 's'}`;
    }
    case 'mixcloud': {
      const { mixcloudClient } = await import('./mixcloud.js');
      const me = await mixcloudClient(connection, runtime).me({ signal });
      return `user ${String(me.get('username'))}`;
    }
    default:
      throw new Error(`no check for ${service}`);
  }
}

import { chooseAssets, GOPRO_API_URL, GoProClient, type GoProClientOptions } from '@mediaferry/gopro';
import type { Connection } from '../connections.js';
import type { Entry, Source } from '../copy/types.js';
import { type Runtime, type ServiceModule, transportOptions } from './types.js';

export function goproClient(
  connection: Connection,
  runtime: Runtime,
  options: Pick<GoProClientOptions, 'preferHeight' | 'preferWidth'> = {},
): GoProClient {
  return new GoProClient({
    accessToken: connection.credentials.accessToken ?? '',
    baseUrl: connection.baseUrl ?? GOPRO_API_URL,
    pageSize: 100,
    ...options,
    ...transportOptions(connection, runtime),
  });
}

export const goproModule: ServiceModule = {
  credentials: {
    service: 'gopro',
    env: { accessToken: 'GP_ACCESS_TOKEN' },
    fromEmulator: (c) => ({ accessToken: c.accessToken ?? '' }),
  },

  /** Every asset captured in the date range: the chosen variation of each video, every file otherwise. */
  async source(location, connection, runtime): Promise<Source> {
    if (location.kind !== 'gopro') throw new Error('not a gopro location');
    const client = goproClient(connection, runtime);
    const { from, to } = location;
    return {
      label: `gopro://${from.toISOString().slice(0, 10)}..${to.toISOString().slice(0, 10)}`,
      async *list(signal) {
        const items = await client.media.list({ from, to }, { signal }).toArray({ limit: 100_000 });
        const taken = new Set<string>();
        for (const item of items) {
          const response = await client.media.get(item.id, { signal });
          for (const { name, asset } of chooseAssets(response)) {
            const unique = taken.has(name) ? name.replace(/(\.[^.]*)?$/, (ext) => `-${item.id}${ext}`) : name;
            taken.add(unique);
            // The size comes from a HEAD on the signed link, so a re-run can skip what is already there.
            const head = await client.media.head(asset, {}, { signal });
            yield { path: unique, size: head.size, ref: asset.url } satisfies Entry;
          }
        }
      },
      async open(entry, signal) {
        const file = await client.media.download({ url: entry.ref as string }, {}, { signal });
        return { body: file.body, size: file.size };
      },
    };
  },
};

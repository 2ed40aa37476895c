import { GOPRO_API_URL, GoProClient, type GoProClientOptions } from '@mediaferry/gopro';
import type { Connection } from '../connections.js';
import type { Source } from '../copy/types.js';
import { goproSource } from './gopro-copy.js';
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

  /** Every asset captured in the date range (or of one media): the chosen variation of a video, every file otherwise. */
  async source(location, connection, runtime): Promise<Source> {
    if (location.kind !== 'gopro') throw new Error('not a gopro location');
    const client = goproClient(connection, runtime);
    return goproSource(client, location);
  },
};

import { BigGoClient } from '@mediaferry/biggo';
import type { Connection } from '../connections.js';
import type { Source, Target } from '../copy/types.js';
import { biggoSource, biggoTarget } from './biggo-copy.js';
import { type Runtime, type ServiceModule, transportOptions } from './types.js';

export function biggoClient(connection: Connection, runtime: Runtime): BigGoClient {
  return new BigGoClient({
    clientId: connection.credentials.clientId ?? '',
    clientSecret: connection.credentials.clientSecret ?? '',
    ...(connection.baseUrl ? { baseUrl: connection.baseUrl } : {}),
    ...transportOptions(connection, runtime),
  });
}

export const biggoModule: ServiceModule = {
  credentials: {
    service: 'biggo',
    env: { clientId: 'BIGGO_CLIENT_ID', clientSecret: 'BIGGO_CLIENT_SECRET' },
    fromEmulator: (c) => ({ clientId: c.clientId ?? '', clientSecret: c.clientSecret ?? '' }),
  },

  /** Your own processed videos (or one by id), as `<title>.mp4`. */
  async source(location, connection, runtime): Promise<Source> {
    if (location.kind !== 'biggo') throw new Error('not a biggo location');
    return biggoSource(biggoClient(connection, runtime), location.videoId);
  },

  /** Publishes each file as a private video titled after the file (cleaned up if the setup step fails). */
  async target(_location, connection, runtime): Promise<Target> {
    return biggoTarget(biggoClient(connection, runtime));
  },
};

import { BigGoClient } from '@mediaferry/biggo';
import type { Connection } from '../connections.js';
import type { Entry, Source, Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import { fileNameOf, type Runtime, type ServiceModule, titleOf, transportOptions } from './types.js';

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

  /** Your own processed videos, as `<title>.mp4`. */
  async source(_location, connection, runtime): Promise<Source> {
    const client = biggoClient(connection, runtime);
    return {
      label: 'biggo://',
      async *list(signal) {
        for await (const video of client.videos.list({}, { signal })) {
          if (!video.meta?.download) continue;
          const name = `${(video.title || video.video_id).replace(/[/\\]/g, '_')}.mp4`;
          yield { path: name, ref: video.video_id } satisfies Entry;
        }
      },
      async open(entry, signal) {
        if (typeof entry.ref !== 'string') throw new CliError(`no BigGo video behind ${entry.path}`);
        // Through the client: its timeouts, retries, typed errors, and no credentials to the CDN.
        const file = await client.videos.download(entry.ref, { signal });
        return { body: file.body, size: file.size };
      },
    };
  },

  /** Publishes each file as a private video titled after the file (cleaned up if the setup step fails). */
  async target(_location, connection, runtime): Promise<Target> {
    const client = biggoClient(connection, runtime);
    return {
      label: 'biggo://',
      async stat(path, signal) {
        // BigGo knows titles, not sizes: an existing title means "already published".
        const title = titleOf(path);
        for await (const video of client.videos.list({}, { signal }))
          if (video.title === title) return { size: undefined };
        return undefined;
      },
      async write(entry, open, options) {
        const video = await client.videos
          .publish(
            open,
            {
              title: titleOf(entry.path),
              description: `Published by mediaferry from ${entry.path}`,
              access: 'private',
              filename: fileNameOf(entry.path),
              size: options.size,
            },
            { signal: options.signal },
          )
          .done();
        return { location: `biggo video ${video.video_id}` };
      },
    };
  },
};

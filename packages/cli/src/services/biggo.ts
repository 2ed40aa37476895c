import { BIGGO_HOST, BigGoClient } from '@mediaferry/biggo';
import { toBodySource } from '@mediaferry/core';
import type { Connection } from '../connections.js';
import type { Entry, Source, Target } from '../copy/types.js';
import { fileNameOf, type Runtime, type ServiceModule, titleOf, transportOptions } from './types.js';

export function biggoClient(connection: Connection, runtime: Runtime): BigGoClient {
  return new BigGoClient({
    clientId: connection.credentials.clientId ?? '',
    clientSecret: connection.credentials.clientSecret ?? '',
    hostUrl: connection.baseUrl ?? BIGGO_HOST,
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
        for await (const video of client.user.videos('self', { signal })) {
          const download = video.meta?.download;
          if (!download || Array.isArray(download)) continue;
          const name = `${(video.title || video.video_id).replace(/[/\\]/g, '_')}.mp4`;
          yield { path: name, ref: download.mp4 } satisfies Entry;
        }
      },
      async open(entry) {
        const response = await fetch(entry.ref as string, { signal: runtime.signal });
        if (!response.ok || !response.body)
          throw new Error(`download of ${entry.path} failed: HTTP ${response.status}`);
        const length = Number(response.headers.get('content-length'));
        return {
          body: response.body as ReadableStream<Uint8Array>,
          size: Number.isFinite(length) ? length : undefined,
        };
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
        for await (const video of client.user.videos('self', { signal }))
          if (video.title === title) return { size: undefined };
        return undefined;
      },
      async write(entry, open, options) {
        const source = await toBodySource(open, options.size === undefined ? {} : { size: options.size });
        const videoId = await client.video.publish(
          source,
          {
            title: titleOf(entry.path),
            description: `Published by mediaferry from ${entry.path}`,
            access: 'private',
            filename: fileNameOf(entry.path),
          },
          { signal: options.signal },
        );
        return { location: `biggo video ${videoId}` };
      },
    };
  },
};

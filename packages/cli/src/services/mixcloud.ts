import { toBodySource } from '@mediaferry/core';
import { API_ROOT, Mixcloud } from '@mediaferry/mixcloud';
import type { Connection } from '../connections.js';
import type { Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import { fileNameOf, type Runtime, type ServiceModule, titleOf, transportOptions } from './types.js';

export function mixcloudClient(connection: Connection, runtime: Runtime): Mixcloud {
  const root = connection.baseUrl ?? API_ROOT;
  return new Mixcloud({
    apiRoot: root,
    ...(connection.baseUrl ? { mixcloudRoot: root, oembedRoot: `${root}/oembed` } : {}),
    accessToken: connection.credentials.accessToken ?? '',
    ...transportOptions(connection, runtime),
  });
}

export const mixcloudModule: ServiceModule = {
  credentials: {
    service: 'mixcloud',
    env: { accessToken: 'MIXCLOUD_ACCESS_TOKEN' },
    fromEmulator: (c) => ({ accessToken: c.accessToken ?? '' }),
  },

  /** Uploads each file as a show titled after it, to the token owner's account (the user in the URI must match). */
  async target(location, connection, runtime): Promise<Target> {
    if (location.kind !== 'mixcloud') throw new Error('not a mixcloud location');
    const client = mixcloudClient(connection, runtime);
    const me = await client.me({ signal: runtime.signal });
    const owner = String(me.get('username'));
    if (location.user !== 'me' && location.user !== owner)
      throw new CliError(
        `the token belongs to ${owner}, not ${location.user}`,
        `use mixcloud://${owner} or mixcloud://me`,
      );
    return {
      label: `mixcloud://${owner}`,
      async stat(path, signal) {
        const slug = titleOf(path)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '');
        const found = await client.get(`${owner}/${slug}`, { signal }).catch(() => undefined);
        return found ? { size: undefined } : undefined;
      },
      async write(entry, open, options) {
        const source = await toBodySource(open, options.size === undefined ? {} : { size: options.size });
        const result = await client.upload(source, titleOf(entry.path), {
          signal: options.signal,
          filename: fileNameOf(entry.path),
        });
        return { location: `mixcloud ${result.key ?? ''}` };
      },
    };
  },
};

import { NotFoundError, toBodySource } from '@mediaferry/core';
import { API_ROOT, MixcloudClient } from '@mediaferry/mixcloud';
import type { Connection } from '../connections.js';
import type { Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import { fileNameOf, type Runtime, type ServiceModule, titleOf, transportOptions } from './types.js';

export function mixcloudClient(connection: Connection, runtime: Runtime): MixcloudClient {
  return new MixcloudClient({
    // The connection already chose the host (flag, variable, running emulator) and the token.
    baseUrl: connection.baseUrl ?? API_ROOT,
    accessToken: connection.credentials.accessToken || null,
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
    const owner = (await client.users.me({ signal: runtime.signal })).username;
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
        if (slug === '') return undefined;
        const found = await client.cloudcasts
          .get({ username: owner, slug }, { signal })
          .catch((error: unknown) => {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          });
        return found ? { size: undefined } : undefined;
      },
      async write(entry, open, options) {
        const source = await toBodySource(open, options.size === undefined ? {} : { size: options.size });
        const result = await client.cloudcasts
          .upload(
            { mp3: source, name: titleOf(entry.path), filename: fileNameOf(entry.path) },
            { signal: options.signal },
          )
          .done();
        return { location: `mixcloud ${result.key ?? ''}` };
      },
    };
  },
};

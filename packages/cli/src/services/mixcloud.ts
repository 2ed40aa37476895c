import { NotFoundError } from '@mediaferry/core';
import { API_ROOT, MixcloudClient } from '@mediaferry/mixcloud';
import type { Connection } from '../connections.js';
import type { Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import {
  fileNameOf,
  type Runtime,
  type ServiceModule,
  titleOf,
  transportOptions,
  uploadBodyOf,
} from './types.js';

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
    const { username: owner } = await client.users.me({ signal: runtime.signal });
    if (location.user !== 'me' && location.user !== owner)
      throw new CliError(
        `the token belongs to ${owner}, not ${location.user}`,
        `use mixcloud://${owner} or mixcloud://me`,
      );
    const slugs = new Map<string, string>();
    const slugOf = (path: string) =>
      titleOf(path)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '');
    return {
      label: `mixcloud://${owner}`,
      place(path) {
        // Two files of one copy that would get the same show URL: refuse the later rather than hide it.
        const other = slugs.get(slugOf(path));
        if (other !== undefined && other !== path)
          throw new CliError(`${path} would get the same Mixcloud name as ${other}`, 'rename one of them');
        slugs.set(slugOf(path), path);
        return path;
      },
      async stat(path, signal) {
        const slug = slugOf(path);
        // A title with no letter or digit gets a slug from Mixcloud on upload: nothing to look up by name.
        if (slug === '') return undefined;
        const found = await client.cloudcasts
          .get({ username: owner, slug }, { signal })
          .catch((error: unknown) => {
            if (error instanceof NotFoundError) return undefined;
            throw error;
          });
        return found
          ? { byNameOnly: 'by name: Mixcloud re-encodes, so bytes cannot be compared' }
          : undefined;
      },
      async write(name, body, options) {
        const source = await uploadBodyOf(body);
        const result = await client.cloudcasts
          .upload(
            { mp3: source, name: titleOf(name), filename: fileNameOf(name) },
            { signal: options.signal },
          )
          .done();
        return { location: `mixcloud ${result.key ?? ''}` };
      },
    };
  },
};

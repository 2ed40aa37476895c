import { NotFoundError } from '@mediaferry/core';
import { API_ROOT, Mixcloud } from '@mediaferry/mixcloud';
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
        const found = await client.get(`${owner}/${slug}`, { signal }).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
        return found
          ? { byNameOnly: 'by name: Mixcloud re-encodes, so bytes cannot be compared' }
          : undefined;
      },
      async write(name, body, options) {
        const source = await uploadBodyOf(body);
        const result = await client.upload(source, titleOf(name), {
          signal: options.signal,
          filename: fileNameOf(name),
        });
        return { location: `mixcloud ${result.key ?? ''}` };
      },
    };
  },
};

import type { Cloudcast } from '@mediaferry/mixcloud';
import type { Connection } from '../connections.js';
import type { Entry } from '../copy/types.js';
import type { Location } from '../locations.js';
import { mixcloudClient } from './mixcloud.js';
import type { Runtime } from './types.js';

/** What `ls`/`lsjson` show of a show: its title and length beside the entry. */
export interface ShowEntry extends Entry {
  readonly title: string;
  readonly seconds: number | undefined;
  readonly url: string | undefined;
}

/**
 * A Mixcloud user's shows (`mixcloud://user`, `mixcloud://me`, or one show `mixcloud://user/slug`), newest
 * first, for `ls`: the API serves no audio, so this is a listing, never a copy source. A show's path is its
 * slug, the name a copy of `<slug>.mp3` to Mixcloud would give it; its time is when it was published.
 */
export async function* mixcloudShows(
  location: Location & { kind: 'mixcloud' },
  connection: Connection,
  runtime: Runtime,
): AsyncGenerator<ShowEntry> {
  const client = mixcloudClient(connection, runtime);
  const signal = runtime.signal;
  const user = location.user === 'me' ? (await client.users.me({ signal })).username : location.user;
  const entryOf = (show: Cloudcast): ShowEntry => {
    const slug = show.slug || (show.key.split('/').filter(Boolean).pop() ?? '');
    return {
      path: slug,
      size: undefined,
      modifiedMs: show.created_time?.getTime(),
      title: show.name || slug,
      seconds: show.audio_length,
      url: show.url,
    };
  };
  if (location.slug) {
    yield entryOf(await client.cloudcasts.get({ username: user, slug: location.slug }, { signal }));
    return;
  }
  for await (const show of client.users.cloudcasts(user, { pageSize: 100 }, { signal })) yield entryOf(show);
}

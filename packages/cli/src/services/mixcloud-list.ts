import { Resource } from '@mediaferry/mixcloud';
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
  const user = location.user === 'me' ? String((await client.me({ signal })).get('username')) : location.user;
  const entryOf = (show: Resource): ShowEntry => {
    const created = Date.parse(String(show.get('created_time') ?? ''));
    const seconds = Number(show.get('audio_length'));
    const slug = String(show.get('slug') ?? show.key.split('/').filter(Boolean).pop() ?? '');
    return {
      path: slug,
      size: undefined,
      modifiedMs: Number.isNaN(created) ? undefined : created,
      title: String(show.get('name') ?? slug),
      seconds: Number.isFinite(seconds) ? seconds : undefined,
      url: typeof show.get('url') === 'string' ? String(show.get('url')) : undefined,
    };
  };
  if (location.slug) {
    const show = await client.get(`${user}/${location.slug}`, { signal });
    if (show instanceof Resource) yield entryOf(show);
    return;
  }
  for await (const item of client.listAll(`${user}/cloudcasts/`, {}, { signal }))
    if (item instanceof Resource) yield entryOf(item);
}

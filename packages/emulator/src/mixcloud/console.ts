/**
 * What the web console shows of the Mixcloud emulator: users, their shows (cloudcasts, with tags,
 * sections and the uploaded picture) and who follows whom.
 */
import { type ConsoleCell, isoCell, monoCell, type ServiceConsole, sizeCell } from '../framework/index.js';
import type { McState } from './model.js';
import type { MixcloudEmulatorOptions } from './options.js';

const SHOWN = 300;

export const mixcloudConsole: ServiceConsole<McState, MixcloudEmulatorOptions> = {
  summary(ctx) {
    return {
      users: Object.keys(ctx.state.users).length,
      shows: Object.keys(ctx.state.cloudcasts).length,
      follows: ctx.state.follows.length,
      favorites: ctx.state.favorites.length,
    };
  },
  view(ctx, at) {
    if (at !== '') return undefined;
    const { users, cloudcasts, follows } = ctx.state;
    const shows = Object.entries(cloudcasts).sort(([, a], [, b]) => b.created - a.created);
    const count = (list: ReadonlyArray<{ from: string; to: string }>, side: 'from' | 'to', who: string) =>
      list.filter((relation) => relation[side] === who).length;
    return {
      title: 'Mixcloud: users, shows, follows',
      nodes: [
        {
          kind: 'table',
          title: `Users (${Object.keys(users).length})`,
          columns: ['Username', 'Name', 'Where', 'Pro', 'Shows', 'Followers', 'Following', 'Joined'],
          rows: Object.values(users).map((user) => [
            monoCell(user.username),
            user.name,
            [user.city, user.country].filter(Boolean).join(', ') || null,
            user.is_pro,
            shows.filter(([, show]) => show.user === user.username).length,
            count(follows, 'to', user.username),
            count(follows, 'from', user.username),
            isoCell(user.created),
          ]),
          empty: 'No users.',
        },
        {
          kind: 'table',
          title: `Shows (${shows.length})`,
          columns: ['', 'Show', 'By', 'Tags', 'Sections', 'Created', 'Plays', 'Listed', 'Audio', 'Key'],
          rows: shows
            .slice(0, SHOWN)
            .map(([key, show]): ConsoleCell[] => [
              show.picture_blob ? { image: show.picture_blob, alt: `picture of ${show.name}` } : null,
              show.name,
              show.user,
              show.tags.join(', ') || null,
              show.sections.length,
              isoCell(show.created),
              show.play_count,
              show.unlisted ? { badge: 'unlisted', tone: 'info' } : { badge: 'listed', tone: 'ok' },
              show.mp3_size ? sizeCell(show.mp3_size) : null,
              monoCell(key),
            ]),
          empty: 'No shows.',
          ...(shows.length > SHOWN ? { note: `The newest ${SHOWN} of ${shows.length}.` } : {}),
        },
        {
          kind: 'table',
          title: `Follows (${follows.length})`,
          columns: ['Follower', 'Follows', 'Since'],
          rows: [...follows]
            .sort((a, b) => b.at - a.at)
            .slice(0, SHOWN)
            .map((relation) => [relation.from, relation.to, isoCell(relation.at)]),
          empty: 'Nobody follows anybody.',
        },
        {
          kind: 'fields',
          title: 'Activity',
          fields: [
            ['Favorites', ctx.state.favorites.length],
            ['Reposts', ctx.state.reposts.length],
            ['Listen later', ctx.state.listenLater.length],
            ['Listens', ctx.state.listens.length],
            ['Comments', ctx.state.comments.length],
            ['Access tokens', Object.keys(ctx.state.tokens).length],
          ],
        },
      ],
    };
  },
};

/**
 * What the web console shows of the BigGo emulator: users and their API apps (never the secrets), and
 * videos with their processing status on the virtual clock, owner, access and a download link.
 */
import { isoCell, monoCell, type ServiceConsole, sizeCell } from '../framework/index.js';
import { type BgState, isProcessed } from './model.js';
import type { BigGoEmulatorOptions } from './options.js';

const ACCESS = ['public', 'private', 'unlisted'];

export const biggoConsole: ServiceConsole<BgState, BigGoEmulatorOptions> = {
  summary(ctx) {
    const videos = Object.values(ctx.state.videos);
    return {
      users: Object.keys(ctx.state.users).length,
      videos: videos.length,
      processing: videos.filter((video) => !isProcessed(ctx, video)).length,
    };
  },
  view(ctx, at) {
    if (at !== '') return undefined;
    const users = ctx.state.users;
    const videos = Object.values(ctx.state.videos).sort((a, b) => b.uploadedAt - a.uploadedAt);
    return {
      title: 'BigGo: users and videos',
      nodes: [
        {
          kind: 'table',
          title: `Videos (${videos.length})`,
          columns: ['Video', 'Title', 'Owner', 'Access', 'Status', 'Uploaded', 'Size', 'SHA-1', 'Views', ''],
          rows: videos.map((video) => {
            const done = isProcessed(ctx, video);
            return [
              monoCell(video.video_id),
              video.title,
              users[video.userid]?.at_userid ?? video.userid,
              ACCESS[video.access] ?? String(video.access),
              done
                ? { badge: 'complete', tone: 'ok' }
                : {
                    badge: `processing until ${new Date(video.uploadedAt + ctx.options.processingMs).toISOString()}`,
                    tone: 'warn',
                  },
              isoCell(video.uploadedAt),
              sizeCell(video.size),
              monoCell(video.sha1),
              video.views,
              { download: video.blobId, name: video.filename },
            ];
          }),
          empty: 'No videos.',
          note: `Processing takes ${ctx.options.processingMs} ms of virtual time: advance the clock to finish it.`,
        },
        {
          kind: 'table',
          title: 'Users',
          columns: ['User id', 'Handle', 'Name', 'Region', 'Videos', 'API apps'],
          rows: Object.values(users).map((user) => [
            monoCell(user.userid),
            `@${user.at_userid}`,
            user.name,
            user.region,
            videos.filter((video) => video.userid === user.userid).length,
            Object.entries(ctx.state.clients)
              .filter(([, client]) => client.userid === user.userid)
              .map(([id]) => id)
              .join(', ') || null,
          ]),
        },
        {
          kind: 'fields',
          title: 'Tokens',
          fields: [['Access tokens issued', Object.keys(ctx.state.tokens).length]],
        },
      ],
    };
  },
};

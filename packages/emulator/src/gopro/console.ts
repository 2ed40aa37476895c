/**
 * What the web console shows of the GoPro emulator: media by capture date; each media's page lists its
 * variations, files and sidecars (size, availability, a download link) and shows a thumbnail where the
 * media holds a real picture (the demo seed's bytes are generated, so it has none).
 */
import {
  type ConsoleCell,
  type ConsolePage,
  isPicture,
  monoCell,
  type ServiceConsole,
  sizeCell,
} from '../framework/index.js';
import type { GoproAsset, GoproCtx, GoproMedia, GoproState } from './model.js';
import type { GoproEmulatorOptions } from './options.js';

const MEDIA_SHOWN = 300;
const IMAGE = /^(jpe?g|png|gif|webp)$/i;

function stateBadge(state: string): ConsoleCell {
  return { badge: state, tone: state === 'ready' ? 'ok' : state === 'failure' ? 'bad' : 'warn' };
}

/** The media's picture to show small: a thumbnail variation, or the photo itself, if its bytes are one. */
async function thumbnail(ctx: GoproCtx, media: GoproMedia): Promise<ConsoleCell> {
  const candidates = [
    ...media.variations.filter((v) => /thumb|screennail/i.test(v.label ?? '') || IMAGE.test(v.type ?? '')),
    ...(IMAGE.test(media.file_extension) ? media.files : []),
  ];
  for (const asset of candidates)
    if (await isPicture(ctx.blobs, asset.blobId))
      return { image: asset.blobId, alt: `thumbnail of ${media.filename}` };
  return null;
}

const availability = (available: boolean): ConsoleCell =>
  available ? { badge: 'available', tone: 'ok' } : { badge: 'unavailable', tone: 'bad' };

function assetRows(
  ctx: GoproCtx,
  media: GoproMedia,
  assets: readonly GoproAsset[],
  kind: string,
): ConsoleCell[][] {
  const stem = media.filename.replace(/\.[^.]+$/, '');
  return assets.map((asset) => [
    kind,
    asset.label ?? `item ${asset.itemNumber}`,
    asset.quality ?? null,
    `${asset.width}×${asset.height}`,
    sizeCell(ctx.blobs.stat(asset.blobId)?.size ?? 0),
    availability(asset.available),
    {
      download: asset.blobId,
      name: `${stem}${asset.label ? `-${asset.label}` : ''}-${asset.itemNumber}.${asset.type ?? media.file_extension}`,
    },
  ]);
}

async function mediaPage(ctx: GoproCtx, media: GoproMedia): Promise<ConsolePage> {
  return {
    title: media.filename,
    trail: [['GoPro', '']],
    nodes: [
      {
        kind: 'fields',
        fields: [
          ['Media id', monoCell(media.id)],
          ['Type', media.type],
          ['Captured', media.captured_at],
          ['State', stateBadge(media.ready_to_view)],
          ['Camera', media.camera_model],
          ['Resolution', `${media.width}×${media.height}`],
          ['Size', sizeCell(media.file_size)],
          ['Thumbnail', (await thumbnail(ctx, media)) ?? 'none: this media holds no picture'],
        ],
      },
      {
        kind: 'table',
        title: 'Variations, files and sidecars',
        columns: ['Kind', 'Label', 'Quality', 'Pixels', 'Size', 'Availability', ''],
        rows: [
          ...assetRows(ctx, media, media.variations, 'variation'),
          ...assetRows(ctx, media, media.files, 'file'),
          ...media.sidecars.map((sidecar): ConsoleCell[] => [
            'sidecar',
            sidecar.label,
            `${sidecar.fps} fps`,
            sidecar.type,
            sizeCell(ctx.blobs.stat(sidecar.blobId)?.size ?? 0),
            availability(sidecar.available),
            { download: sidecar.blobId, name: `${media.filename}.${sidecar.label}.${sidecar.type}` },
          ]),
        ],
        empty: 'No assets.',
      },
    ],
  };
}

export const goproConsole: ServiceConsole<GoproState, GoproEmulatorOptions> = {
  summary(ctx) {
    const media = Object.values(ctx.state.media);
    return {
      media: media.length,
      variations: media.reduce((sum, m) => sum + m.variations.length, 0),
      'access tokens': ctx.state.tokens.length,
    };
  },
  async view(ctx, at) {
    const id = /^media\/(.+)$/.exec(at)?.[1];
    if (id !== undefined) {
      const media = ctx.state.media[id];
      return media ? mediaPage(ctx, media) : undefined;
    }
    if (at !== '') return undefined;
    const media = Object.values(ctx.state.media).sort((a, b) =>
      a.captured_at === b.captured_at ? a.id.localeCompare(b.id) : a.captured_at < b.captured_at ? 1 : -1,
    );
    const shown = media.slice(0, MEDIA_SHOWN);
    const thumbnails = await Promise.all(shown.map((m) => thumbnail(ctx, m)));
    return {
      title: 'GoPro: media library',
      nodes: [
        {
          kind: 'table',
          title: `Media (${media.length})`,
          columns: ['', 'File', 'Type', 'Captured', 'Size', 'State', 'Variations'],
          rows: shown.map((m, index) => [
            thumbnails[index],
            { text: m.filename, at: `media/${m.id}` },
            m.type,
            m.captured_at,
            sizeCell(m.file_size),
            stateBadge(m.ready_to_view),
            m.variations.map((v) => v.label).join(', ') || null,
          ]),
          empty: 'No media.',
          ...(media.length > MEDIA_SHOWN ? { note: `The newest ${MEDIA_SHOWN} of ${media.length}.` } : {}),
        },
        {
          kind: 'fields',
          title: 'Account',
          fields: [
            ['User id', monoCell(ctx.state.userId)],
            ['Access tokens', ctx.state.tokens.length],
          ],
        },
      ],
    };
  },
};

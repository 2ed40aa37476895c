/**
 * GoPro wire models (spec gopro-biggo.md §A3), validated as strictly as gopro_api does on required keys and
 * loosely on everything else: unknown keys are kept, unknown enum values pass.
 *
 * @module
 */
import { isoDate, openEnum } from '@mediaferry/core';
import { z } from 'zod';

/** Media types the API knows (open: a new one does not break parsing). */
export const MEDIA_TYPES = [
  'Photo',
  'Video',
  'TimeLapse',
  'TimeLapseVideo',
  'Burst',
  'BurstVideo',
  'Chaptered',
  'Livestream',
  'Looped',
  'LoopedVideo',
  'Continuous',
  'ExternalVideo',
  'Session',
  'MultiClipEdit',
  'Audio',
  'Edit',
] as const;

/** gopro_api's `DEFAULT_PROCESSING_STATES`. */
export const DEFAULT_PROCESSING_STATES = [
  'rendering',
  'pretranscoding',
  'transcoding',
  'stabilizing',
  'ready',
  'failure',
] as const;
/** gopro_api's `DEFAULT_FIELDS`. */
export const DEFAULT_FIELDS = [
  'id',
  'type',
  'filename',
  'file_extension',
  'captured_at',
  'file_size',
  'item_count',
  'width',
  'height',
] as const;
/** gopro_api's `DEFAULT_MEDIA_TYPES`. */
export const DEFAULT_MEDIA_TYPES = [
  'Burst',
  'BurstVideo',
  'Continuous',
  'LoopedVideo',
  'Photo',
  'TimeLapse',
  'TimeLapseVideo',
  'Video',
  'MultiClipEdit',
  'Edit',
] as const;

/** Validates one item of a search (`GoProMediaSearchItem`): the four ids required, the rest optional. */
export const searchItemSchema = z.looseObject({
  id: z.string(),
  gopro_user_id: z.string(),
  source_gumi: z.string(),
  /** Required key, nullable value (gopro_api rejects a body without it). */
  source_mgumi: z.string().nullable(),
  type: openEnum(MEDIA_TYPES).optional(),
  captured_at: isoDate.optional(),
  filename: z.string().optional(),
  file_extension: z.string().optional(),
  file_size: z.number().int().optional(),
  item_count: z.number().int().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
});
/** One media of a search: a video, a photo, a burst… (`captured_at` is a `Date`). */
export type MediaItem = z.infer<typeof searchItemSchema>;

/** Validates a search page: `_embedded.media` and `_pages` required. */
export const searchResponseSchema = z.looseObject({
  _embedded: z.looseObject({ media: z.array(searchItemSchema), errors: z.array(z.unknown()).default([]) }),
  _pages: z.looseObject({
    current_page: z.number().int(),
    per_page: z.number().int(),
    total_items: z.number().int(),
    total_pages: z.number().int(),
  }),
});
/** One page of `GET /media/search`, as the API sends it (`_embedded.media`, `_pages`). */
export type SearchPage = z.infer<typeof searchResponseSchema>;

/** Validates one entry of `_embedded.files`; every field gopro_api requires is required. */
export const downloadFileSchema = z.looseObject({
  url: z.string(),
  head: z.string(),
  camera_position: z.string(),
  item_number: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  orientation: z.number().int(),
  available: z.boolean(),
});
/** One file of a media (a photo, one frame of a burst, a `.360`…), with its pre-signed `url` and `head` links. */
export type MediaFile = z.infer<typeof downloadFileSchema>;

/** Validates one entry of `_embedded.variations`. */
export const downloadVariationSchema = z.looseObject({
  url: z.string(),
  head: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  label: z.string(),
  type: z.string(),
  quality: z.string(),
  available: z.boolean(),
});
/** One rendition of a video (`source`, `concat`, `high_res_proxy_mp4`, `mp4_low`…), with its signed links. */
export type MediaVariation = z.infer<typeof downloadVariationSchema>;

/** Validates one entry of `_embedded.sidecar_files`. */
export const sidecarFileSchema = z.looseObject({
  url: z.string(),
  head: z.string(),
  label: z.string(),
  type: z.string(),
  /** A whole number, as gopro_api requires; a fractional fps fails validation there too. */
  fps: z.number().int(),
  available: z.boolean(),
});
/** A file beside the media: GPMF telemetry, GPX, media info… */
export type SidecarFile = z.infer<typeof sidecarFileSchema>;

/**
 * A sprite sheet: `frame.count` frames of `frame.width`×`frame.height` side by side in one image, sampled at
 * `fps` (spec §A3.2). gopro_api types sprites as `list[any]`, so every field is optional here: an unknown
 * shape still parses, and what is there is typed.
 */
export const spriteSchema = z.looseObject({
  fps: z.number().optional(),
  frame: z
    .looseObject({ count: z.number().int(), width: z.number().int(), height: z.number().int() })
    .optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  type: z.string().optional(),
  total_count: z.number().int().optional(),
  /** Pre-signed HEAD links, one per sheet. */
  heads: z.array(z.string()).optional(),
  /** Pre-signed GET links, one per sheet. */
  urls: z.array(z.string()).optional(),
});
/** A sprite sheet of a video (thumbnails along its timeline), with its signed links. */
export type Sprite = z.infer<typeof spriteSchema>;

/** Validates the download metadata: `filename` and the four `_embedded` lists required. */
export const downloadResponseSchema = z.looseObject({
  filename: z.string(),
  _embedded: z.looseObject({
    files: z.array(downloadFileSchema),
    variations: z.array(downloadVariationSchema),
    sprites: z.array(spriteSchema),
    sidecar_files: z.array(sidecarFileSchema),
  }),
});
/** Download metadata of one media (`GET /media/{id}/download`): its files, variations, sprites and sidecars. */
export type MediaDownload = z.infer<typeof downloadResponseSchema>;

/** A file or a variation: what a pull downloads for a media. */
export type DownloadAsset = MediaFile | MediaVariation;

/** Anything with a pre-signed link to fetch: a file, a variation, a sidecar, or `{ url }` of a sprite sheet. */
export interface CdnAsset {
  readonly url: string;
  /** The pre-signed HEAD link, when the API gave one. */
  readonly head?: string | undefined;
}

/** A download as a stream (`media.download`): the body errors if it ends short of, or runs past, its announced size. */
export interface DownloadedFile {
  /** The bytes. Read it to the end, or cancel it, to release the connection. */
  readonly body: ReadableStream<Uint8Array>;
  /** Bytes announced by the CDN, when it said. */
  readonly size: number | undefined;
  readonly contentType: string | undefined;
  /** GoPro's CDN sends no checksum: always undefined (kept for the shape shared with the other clients). */
  readonly sha1: undefined;
  /** The CDN's response headers. */
  readonly headers: Headers;
}

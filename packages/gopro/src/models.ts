/**
 * GoPro wire models (spec gopro-biggo.md §A3), validated as strictly as gopro_api does on required keys and
 * loosely on everything else: unknown keys are kept, unknown enum values pass.
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
export type GoProMediaSearchItem = z.infer<typeof searchItemSchema>;

export const searchResponseSchema = z.looseObject({
  _embedded: z.looseObject({ media: z.array(searchItemSchema), errors: z.array(z.unknown()).default([]) }),
  _pages: z.looseObject({
    current_page: z.number().int(),
    per_page: z.number().int(),
    total_items: z.number().int(),
    total_pages: z.number().int(),
  }),
});
export type GoProMediaSearchResponse = z.infer<typeof searchResponseSchema>;

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
export type GoProMediaDownloadFile = z.infer<typeof downloadFileSchema>;

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
export type GoProMediaDownloadVariation = z.infer<typeof downloadVariationSchema>;

export const sidecarFileSchema = z.looseObject({
  url: z.string(),
  head: z.string(),
  label: z.string(),
  type: z.string(),
  /** A whole number, as gopro_api requires; a fractional fps fails validation there too. */
  fps: z.number().int(),
  available: z.boolean(),
});
export type GoProMediaDownloadSidecarFile = z.infer<typeof sidecarFileSchema>;

export const downloadResponseSchema = z.looseObject({
  filename: z.string(),
  _embedded: z.looseObject({
    files: z.array(downloadFileSchema),
    variations: z.array(downloadVariationSchema),
    sprites: z.array(z.unknown()),
    sidecar_files: z.array(sidecarFileSchema),
  }),
});
export type GoProMediaDownloadResponse = z.infer<typeof downloadResponseSchema>;

/** A file or a variation: whatever `pullAssetsForResponse` picked to download. */
export type DownloadAsset = GoProMediaDownloadFile | GoProMediaDownloadVariation;

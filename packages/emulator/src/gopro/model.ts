/** The GoPro emulator's state: plain JSON, persisted as is. */

import type { ServiceContext } from '../framework/index.js';
import type { GoproEmulatorOptions } from './options.js';

/** One downloadable file of a media item: a variation (rendition) or the item's own file, with its blob. */
export interface GoproAsset {
  readonly blobId: string;
  readonly width: number;
  readonly height: number;
  readonly available: boolean;
  readonly itemNumber: number;
  readonly cameraPosition: string;
  /** Variations only. */
  readonly label?: string;
  readonly quality?: string;
  readonly type?: string;
  readonly orientation?: number;
}

/** A sidecar file of a media item (such as its GPMF telemetry), with its blob. */
export interface GoproSidecar {
  readonly blobId: string;
  readonly label: string;
  readonly type: string;
  readonly fps: number;
  readonly available: boolean;
  readonly itemNumber: number;
}

/** A sprite sheet: `count` frames of `frameWidth`×`frameHeight` side by side, one JPEG (spec §A3.2). */
export interface GoproSprite {
  readonly blobId: string;
  readonly fps: number;
  readonly count: number;
  readonly frameWidth: number;
  readonly frameHeight: number;
}

/** One media item in the GoPro library, with its variations, sidecars and sprites. */
export interface GoproMedia {
  readonly id: string;
  readonly type: string;
  readonly filename: string;
  readonly file_extension: string;
  readonly captured_at: string;
  readonly created_at: string;
  readonly file_size: number;
  readonly item_count: number;
  readonly width: number;
  readonly height: number;
  readonly camera_model: string;
  /** The item's processing state, matched against `processing_states`. */
  readonly ready_to_view: string;
  readonly gopro_user_id: string;
  readonly source_gumi: string;
  readonly source_mgumi: string | null;
  readonly files: GoproAsset[];
  readonly variations: GoproAsset[];
  readonly sidecars: GoproSidecar[];
  /** Absent in states saved before sprites were seeded. */
  readonly sprites?: GoproSprite[];
}

/** The GoPro emulator's state: accepted tokens, the CDN signing key, the user and their media. */
export interface GoproState {
  /** Access tokens accepted as the `gp_access_token` cookie (or Bearer). */
  tokens: string[];
  /** Key that signs CDN URLs. */
  signingKey: string;
  userId: string;
  media: Record<string, GoproMedia>;
}

/** What the GoPro emulator's routes and seeds work on: its state, options, clock and blobs. */
export type GoproCtx = ServiceContext<GoproState, GoproEmulatorOptions>;

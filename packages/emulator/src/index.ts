export {
  addBucket as addB2Bucket,
  addFile as addB2File,
  type B2Ctx,
  type B2EmulatorOptions,
  b2Service,
} from './b2/index.js';
export type {
  B2Bucket,
  B2BucketRetention,
  B2DownloadAuth,
  B2Encryption,
  B2FileRetention,
  B2FileVersion,
  B2Key,
  B2Part,
  B2State,
  B2Token,
  B2UploadToken,
  RetentionMode,
} from './b2/model.js';
export {
  BIGGO_DEMO_CLIENT,
  BIGGO_OTHER_CLIENT,
  type BigGoEmulatorOptions,
  biggoService,
} from './biggo/index.js';
export type { BgClient, BgCtx, BgProduct, BgState, BgUser, BgVideo } from './biggo/model.js';
export { CONSOLE_PATH, type ConsoleHost, type PeerLink } from './console/index.js';
export * from './framework/index.js';
export {
  addMedia as addGoproMedia,
  GOPRO_DEMO_TOKEN,
  type GoproEmulatorOptions,
  type GoproMediaSpec,
  type GoproVariationSpec,
  goproService,
} from './gopro/index.js';
export type {
  GoproAsset,
  GoproCtx,
  GoproMedia,
  GoproSidecar,
  GoproSprite,
  GoproState,
} from './gopro/model.js';
export {
  addCloudcast,
  type McCtx,
  MIXCLOUD_DEMO_TOKEN,
  type MixcloudEmulatorOptions,
  mixcloudService,
} from './mixcloud/index.js';
export type { McCloudcast, McComment, McRelation, McSection, McState, McUser } from './mixcloud/model.js';
export { services } from './services.js';
export { type StartedEmulator, type StartedEmulators, type StartOptions, startEmulators } from './start.js';
export { type ProbeOptions, type ProbeState, probeService } from './testkit/probe.js';

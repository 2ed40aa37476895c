export {
  addBucket as addB2Bucket,
  addFile as addB2File,
  type B2EmulatorOptions,
  b2Service,
} from './b2/index.js';
export {
  BIGGO_DEMO_CLIENT,
  BIGGO_OTHER_CLIENT,
  type BigGoEmulatorOptions,
  biggoService,
} from './biggo/index.js';
export { CONSOLE_PATH, type ConsoleHost, type PeerLink } from './console/index.js';
export * from './framework/index.js';
export {
  addMedia as addGoproMedia,
  GOPRO_DEMO_TOKEN,
  type GoproEmulatorOptions,
  goproService,
} from './gopro/index.js';
export {
  addCloudcast,
  MIXCLOUD_DEMO_TOKEN,
  type MixcloudEmulatorOptions,
  mixcloudService,
} from './mixcloud/index.js';
export { services } from './services.js';
export { type StartedEmulator, type StartedEmulators, type StartOptions, startEmulators } from './start.js';
export { type ProbeOptions, probeService } from './testkit/probe.js';

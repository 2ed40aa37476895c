export * from './framework/index.js';
export { services } from './services.js';
export { type StartedEmulator, type StartedEmulators, type StartOptions, startEmulators } from './start.js';
export { type ProbeOptions, probeService } from './testkit/probe.js';

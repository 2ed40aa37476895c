import { b2Service } from './b2/index.js';
import { biggoService } from './biggo/index.js';
import type { ServiceDefinition } from './framework/index.js';
import { goproService } from './gopro/index.js';
import { mixcloudService } from './mixcloud/index.js';

/**
 * Every emulated cloud, by the name the CLI and `startEmulators` use. A service joins by adding one line.
 */
// biome-ignore lint/suspicious/noExplicitAny: definitions differ in state and option types
export const services: Record<string, ServiceDefinition<any, any>> = {
  b2: b2Service,
  biggo: biggoService,
  gopro: goproService,
  mixcloud: mixcloudService,
};

import { CliError } from '../errors.js';
import type { ServiceModule } from './types.js';

/**
 * Service modules load on demand: `mediaferry --help` must not pay for four clients. A service joins by
 * adding its loader here.
 */
const loaders: Record<string, () => Promise<ServiceModule>> = {
  b2: async () => (await import('./b2.js')).b2Module,
  gopro: async () => (await import('./gopro.js')).goproModule,
  biggo: async () => (await import('./biggo.js')).biggoModule,
  mixcloud: async () => (await import('./mixcloud.js')).mixcloudModule,
};

export async function loadService(name: string): Promise<ServiceModule> {
  const load = loaders[name];
  if (!load)
    throw new CliError(
      `${name} support is not part of this build`,
      `available: ${Object.keys(loaders).join(', ') || 'none yet'}`,
    );
  return load();
}

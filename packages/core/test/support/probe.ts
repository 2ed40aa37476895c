/**
 * The probe emulator (from @mediaferry/emulator's testkit) wired for core tests: an in-process fetch, the
 * control plane, and a client factory with the probe's service profile.
 */

import { createEmulator, probeService } from '@mediaferry/emulator';
import { BaseClient, type ClientOptions, type ServiceProfile } from '../../src/index.js';

export const probeProfile: ServiceProfile = {
  name: 'probe',
  userAgent: 'mediaferry-probe-test/0.0.0',
  parseError: (body) => {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    return { code: error?.code, message: error?.message };
  },
};

export const PROBE_ORIGIN = 'http://probe.test';

export function createProbe(options: Record<string, unknown> = {}) {
  const emulator = createEmulator(probeService, { options, seed: 'none' });
  const client = (
    clientOptions: Omit<ClientOptions, 'fetch'> = {},
    auth?: ConstructorParameters<typeof BaseClient>[2],
  ) => new BaseClient({ baseUrl: PROBE_ORIGIN, fetch: emulator.fetch, ...clientOptions }, probeProfile, auth);
  return { emulator, control: emulator.control, client };
}

/**
 * A `MixcloudClient` on an in-process Mixcloud emulator (demo seed), every request recorded.
 */
import { ManualClock } from '@mediaferry/core';
import { createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '@mediaferry/emulator';
import { MixcloudClient, type MixcloudClientOptions } from '../../src/index.js';

export const ROOT = 'http://api.mixcloud.test';

export function setup(options: MixcloudClientOptions = {}, emulatorOptions: Record<string, unknown> = {}) {
  const emulator = createEmulator(mixcloudService, { seed: 'demo', options: emulatorOptions });
  const requests: Request[] = [];
  const client = new MixcloudClient({
    baseUrl: ROOT,
    accessToken: MIXCLOUD_DEMO_TOKEN,
    clock: new ManualClock(),
    fetch: async (input, init) => {
      const request = new Request(input, init);
      requests.push(request.clone());
      return emulator.fetch(request);
    },
    ...options,
  });
  /** `METHOD /path?query` of each request, the token left out. */
  const seen = () =>
    requests.map((r) => {
      const url = new URL(r.url);
      url.searchParams.delete('access_token');
      return `${r.method} ${url.pathname}${url.search}`;
    });
  return { emulator, client, requests, seen };
}

/** A GoPro client on an in-process emulator, recording what went over the wire. */
import { ManualClock } from '@mediaferry/core';
import { createEmulator, GOPRO_DEMO_TOKEN, goproService } from '@mediaferry/emulator';
import { GoProClient, type GoProClientOptions } from '../src/index.js';

export const BASE = 'http://api.gopro.test';
/** The `fixtures` seed's five media are captured in March 2026. */
export const MARCH = { from: new Date('2026-03-01'), to: new Date('2026-03-31') };

export function setup(seed = 'fixtures', options: GoProClientOptions = {}) {
  const emulator = createEmulator(goproService, { seed });
  const seen: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    return emulator.fetch(request);
  };
  const clock = new ManualClock();
  const client = new GoProClient({ accessToken: GOPRO_DEMO_TOKEN, baseUrl: BASE, fetch, clock, ...options });
  const calls = () => emulator.control.journal.entries().map((e) => e.endpoint);
  const cdnGets = () =>
    emulator.control.journal.entries().filter((e) => e.endpoint === 'cdn' && e.method === 'GET').length;
  return { emulator, client, seen, calls, cdnGets, clock };
}

/** The March fixtures by file name. */
export async function fixtures(client: GoProClient) {
  const items = await client.media.list(MARCH).toArray({ limit: 100 });
  const byName = (name: string) => {
    const item = items.find((i) => i.filename === name);
    if (!item) throw new Error(`no fixture ${name}`);
    return item;
  };
  return { items, byName };
}

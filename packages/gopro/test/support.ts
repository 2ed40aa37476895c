/** Emulators for the GoPro tests: in process, recording what went over the wire. */
import { ManualClock } from '@mediaferry/core';
import { addGoproMedia, createEmulator, GOPRO_DEMO_TOKEN, goproService } from '@mediaferry/emulator';
import { GoProClient, type GoProClientOptions } from '../src/index.js';

export const BASE = 'http://api.gopro.test';
/** The `fixtures` seed's five media are captured in March 2026. */
export const MARCH = { from: new Date('2026-03-01'), to: new Date('2026-03-31') };

/** A GoPro emulator and a `fetch` into it that keeps a copy of every request. */
export function recordingEmulator(seed = 'fixtures') {
  const emulator = createEmulator(goproService, { seed });
  const seen: Request[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    return emulator.fetch(request);
  };
  const calls = () => emulator.control.journal.entries().map((e) => e.endpoint);
  const cdnGets = () =>
    emulator.control.journal.entries().filter((e) => e.endpoint === 'cdn' && e.method === 'GET').length;
  const query = (n: number) => new URL(seen[n]!.url).searchParams;
  return { emulator, fetch, seen, calls, cdnGets, query };
}

/** A {@link GoProClient} on a recording emulator, on a virtual clock. */
export function setup(seed = 'fixtures', options: GoProClientOptions = {}) {
  const recorded = recordingEmulator(seed);
  const clock = new ManualClock();
  const client = new GoProClient({
    accessToken: GOPRO_DEMO_TOKEN,
    baseUrl: BASE,
    fetch: recorded.fetch,
    clock,
    ...options,
  });
  return { ...recorded, client, clock };
}

/** An emulator holding `count` one-byte photos captured on 2026-05-05 (paging at scale). */
export async function manyPhotos(count: number) {
  const emulator = createEmulator(goproService, { seed: 'none' });
  for (let i = 0; i < count; i += 1)
    await addGoproMedia(emulator.context, {
      type: 'Photo',
      filename: `P${i}.JPG`,
      capturedAt: '2026-05-05T10:00:00Z',
      width: 10,
      height: 10,
      files: [{ size: 1 }],
    });
  return emulator;
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

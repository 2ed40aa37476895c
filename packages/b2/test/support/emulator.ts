/** A B2 emulator in-process (no port) and a client on it, with a virtual clock and a journal view. */
import { createHash } from 'node:crypto';
import { ManualClock } from '@mediaferry/core';
import { b2Service, createEmulator } from '@mediaferry/emulator';
import { B2Client, type B2ClientOptions } from '../../src/index.js';

export const sha1 = (data: Uint8Array | string) => createHash('sha1').update(data).digest('hex');
export const bytes = (size: number, seed = 1) =>
  Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed * 7) % 251);

export async function setup(
  emulatorOptions: Record<string, unknown> = {},
  clientOptions: Partial<B2ClientOptions> = {},
) {
  const emulator = createEmulator(b2Service, {
    seed: 'demo',
    options: { absoluteMinimumPartSize: 1000, recommendedPartSize: 4000, ...emulatorOptions },
  });
  const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
  const clock = new ManualClock(Date.now());
  const connect = (options: Partial<B2ClientOptions> = {}) =>
    new B2Client({
      keyId,
      applicationKey: key,
      baseUrl: 'http://b2.test',
      fetch: emulator.fetch,
      clock,
      ...clientOptions,
      ...options,
    });
  const client = connect();
  const bucket = await client.buckets.get({ bucketName: 'mediaferry-demo' });
  const calls = (filter?: string) =>
    emulator.control.journal
      .entries()
      .filter(
        (e) => !filter || (filter.startsWith('b2_') ? e.endpoint === filter : e.endpoint.includes(filter)),
      )
      .map((e) => `${e.endpoint}:${e.status}${e.fault ? `:${e.fault}` : ''}`);
  emulator.control.journal.clear();
  return { emulator, client, connect, clock, bucket, bucketId: bucket.bucketId, calls, keyId, key };
}

export type Setup = Awaited<ReturnType<typeof setup>>;

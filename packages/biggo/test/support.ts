/** A BigGo emulator in process and clients on it, recording what goes on the wire. */
import { type FetchLike, ManualClock } from '@mediaferry/core';
import { BIGGO_DEMO_CLIENT, biggoService, createEmulator } from '@mediaferry/emulator';
import { BigGoClient, type BigGoClientOptions } from '../src/index.js';

export const HOST = 'http://api.biggo.test';

export function bigGoEmulator(options: Record<string, unknown> = {}) {
  const emulator = createEmulator(biggoService, { seed: 'demo', options });
  const seen: Request[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    return emulator.fetch(request);
  };
  const calls = () => emulator.control.journal.entries().map((e) => `${e.endpoint}:${e.status}`);
  /** A client clock whose sleeps move the emulator's clock along (processing completes in virtual time). */
  const clock = new ManualClock(Date.now());
  const sleep = clock.sleep.bind(clock);
  clock.sleep = async (ms: number, signal?: AbortSignal) => {
    emulator.control.clock.advance(ms);
    return sleep(ms, signal);
  };
  return { emulator, fetch, seen, calls, clock };
}

export function setup(emulatorOptions: Record<string, unknown> = {}, client: BigGoClientOptions = {}) {
  const env = bigGoEmulator(emulatorOptions);
  const biggo = new BigGoClient({
    ...BIGGO_DEMO_CLIENT,
    baseUrl: HOST,
    region: 'tw',
    clock: env.clock,
    fetch: env.fetch,
    ...client,
  });
  return { ...env, biggo };
}

/** Distinct video bytes (the emulator refuses a second upload of the same bytes: code 1002). */
export const videoBytes = (seed: number, size = 5000) =>
  new Uint8Array(size).map((_, i) => (i * seed + seed) % 251);

export async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

/**
 * Serves an emulator on a real loopback port for the length of one test and talks to it with the platform's
 * `fetch`, as a user of `mediaferry emulator` would.
 */
import { expect, onTestFinished } from 'vitest';
import { createEmulator, type EmulatorOptions, type ServiceDefinition } from '../../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: wire JSON read loosely in assertions
export type Json = Record<string, any>;

export async function serve<S, O>(definition: ServiceDefinition<S, O>, options: EmulatorOptions<O> = {}) {
  const emulator = createEmulator(definition, options);
  const server = await emulator.listen();
  onTestFinished(() => emulator.close());
  const call = (path: string, init?: RequestInit) =>
    fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
  const json = async (path: string, init?: RequestInit) => {
    const response = await call(path, init);
    return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
  };
  /** Changes options at run time through the control plane, as a user with curl would. */
  const setOptions = async (values: Record<string, unknown>) => {
    const response = await json('/__emulator/options', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(values),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };
  const advanceClock = async (ms: number) => {
    const response = await call('/__emulator/clock', {
      method: 'POST',
      body: JSON.stringify({ advanceMs: ms }),
    });
    expect(response.status).toBe(200);
  };
  return { emulator, url: server.url, call, json, setOptions, advanceClock };
}

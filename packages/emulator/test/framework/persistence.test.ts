import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PersistedState, StateFile } from '../../src/framework/persistence.js';
import { createEmulator, probeService } from '../../src/index.js';

const basic = `Basic ${Buffer.from('probe-client:probe-secret').toString('base64')}`;

async function token(fetch: typeof globalThis.fetch): Promise<string> {
  const response = await fetch('http://probe.test/oauth/token', {
    method: 'POST',
    headers: { authorization: basic },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('persistence', () => {
  it('keeps state, blobs, id sequence and clock across a restart with the same data dir', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-emu-data-'));
    const first = createEmulator(probeService, { data });
    const issued = await token(first.fetch);
    first.control.clock.advance(60_000);
    const blob = await first.context.blobs.putBytes('kept on disk');
    await first.close();
    expect(await readdir(join(data, 'probe'))).toEqual(expect.arrayContaining(['state.json', 'blobs']));

    const second = createEmulator(probeService, { data });
    await second.ready;
    const me = await second.fetch('http://probe.test/me', { headers: { authorization: `Bearer ${issued}` } });
    expect(me.status).toBe(200);
    expect(second.control.clock.offsetMs).toBeGreaterThanOrEqual(60_000);
    expect(await new Response(second.context.blobs.read(blob.id)).text()).toBe('kept on disk');
    const next = await token(second.fetch);
    expect(next).not.toBe(issued);
    await second.close();
  });

  it('saves after a mutating request without waiting for close, atomically', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-emu-data-'));
    const emulator = createEmulator(probeService, { data });
    const issued = await token(emulator.fetch);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const saved = JSON.parse(await readFile(join(data, 'probe', 'state.json'), 'utf8')) as {
      state: { tokens: Record<string, number> };
    };
    expect(Object.keys(saved.state.tokens)).toEqual([issued]);
    expect((await readdir(join(data, 'probe'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await emulator.close();
  });

  it('writes a snapshot only when it differs from what the file holds, and runs the blob hooks either way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-emu-data-'));
    const path = join(dir, 'state.json');
    const calls: string[] = [];
    const hooks = {
      prepare: async () => void calls.push('prepare'),
      committed: async () => void calls.push('committed'),
    };
    const snapshot = (n: number) => (): PersistedState => ({
      version: 1,
      service: 'probe',
      idSeed: 's',
      idCounter: n,
      clockOffsetMs: 0,
      state: {},
      blobs: [],
    });
    const file = new StateFile(path, hooks);
    await file.commit(snapshot(1));
    const written = (await stat(path)).ino;
    await file.commit(snapshot(1));
    // The same file, not a new one renamed over it.
    expect((await stat(path)).ino).toBe(written);
    expect(calls).toEqual(['prepare', 'committed', 'prepare', 'committed']);
    await file.commit(snapshot(2));
    expect((await stat(path)).ino).not.toBe(written);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ idCounter: 2 });

    // What a restart reads counts as written.
    const reopened = new StateFile(path);
    await reopened.read();
    const before = (await stat(path)).ino;
    await reopened.commit(snapshot(2));
    expect((await stat(path)).ino).toBe(before);
    await reopened.commit(snapshot(3));
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ idCounter: 3 });
  });

  it('makes ids reproducible with an idSeed and unpredictable without', async () => {
    const a = await token(createEmulator(probeService, { idSeed: 's' }).fetch);
    const b = await token(createEmulator(probeService, { idSeed: 's' }).fetch);
    const c = await token(createEmulator(probeService).fetch);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('refuses an unknown seed name', async () => {
    const emulator = createEmulator(probeService, { seed: 'galaxy' });
    await expect(emulator.ready).rejects.toThrow(/no seed named galaxy/);
  });
});

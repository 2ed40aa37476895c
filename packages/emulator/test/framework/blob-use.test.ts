/**
 * Every service says which blobs its state uses (`blobsInUse`), and a restart from a data directory drops
 * the others: what each seed stores must be among the blobs its state is found to use, or a restart would
 * lose it.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BlobRecord,
  BlobStore,
  blobIdsIn,
  createEmulator,
  defineService,
  IdGenerator,
  probeService,
  services,
} from '../../src/index.js';

type Dump = { state: unknown; blobs: BlobRecord[] };

/** The blobs a restart would drop, found on a copy of the records (the emulator's own store is left alone). */
function unused(name: string, dump: Dump): string[] {
  const copy = new BlobStore(new IdGenerator('copy'));
  copy.restore(dump.blobs);
  return copy.dropUnused(services[name]!.blobsInUse!(dump.state));
}

const seeded = Object.entries(services).flatMap(([name, definition]) =>
  Object.keys(definition.seeds ?? {}).map((seed) => [name, seed] as const),
);

describe('blobs in use', () => {
  it.each(seeded)('%s, seed %s: the state uses every blob the seed stored', async (name, seed) => {
    const emulator = createEmulator(services[name]!, { seed });
    await emulator.ready;
    const dump = emulator.control.dump() as Dump;
    expect(unused(name, dump)).toEqual([]);
    await emulator.close();
  });

  it.each(Object.keys(services))(
    '%s: a restart from --data keeps every blob of the demo seed',
    async (name) => {
      const data = await mkdtemp(join(tmpdir(), 'mf-blob-use-'));
      const first = createEmulator(services[name]!, { seed: 'demo', data });
      await first.ready;
      const records = (first.control.dump() as Dump).blobs;
      await first.close();
      const files = await readdir(join(data, name, 'blobs')).catch(() => []);
      const second = createEmulator(services[name]!, { data });
      await second.ready;
      expect((second.control.dump() as Dump).blobs).toEqual(records);
      expect(await readdir(join(data, name, 'blobs')).catch(() => [])).toEqual(files);
      await second.close();
    },
  );

  it('keeps every blob when a service cannot tell which it uses', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-blob-use-'));
    const first = createEmulator(probeService, { data });
    await first.ready;
    const blob = await first.context.blobs.putBytes('unmentioned');
    await first.close();
    const failing = defineService({
      ...probeService,
      blobsInUse: () => {
        throw new Error('a state shape it does not know');
      },
    });
    const second = createEmulator(failing, { data });
    await second.ready;
    expect(second.context.blobs.stat(blob.id)).toBeDefined();
    await second.close();
    const third = createEmulator(defineService({ ...probeService, blobsInUse: blobIdsIn }), { data });
    await third.ready;
    expect(third.context.blobs.stat(blob.id)).toBeUndefined();
    await third.close();
    expect(await readdir(join(data, 'probe', 'blobs'))).toEqual([]);
  });
});

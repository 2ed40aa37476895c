import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DigestWorkers,
  type JobHandlers,
  type Reply,
  WORKER_SOURCE,
} from '../../src/framework/off-thread-store.js';

/** The real worker, made to exit when a slab starts with 0xff (a worker lost mid-body). */
const FRAGILE = `
require('node:worker_threads').parentPort.on('message', (m) => {
  if (m.type === 'bytes' && new Uint8Array(m.buffer, 0, 1)[0] === 0xff) process.exit(3);
});
${WORKER_SOURCE}`;

/** A job's answers, as promises: each slab given back, and how it ended. */
function watch() {
  const slabs: ArrayBuffer[] = [];
  let settle!: (reply: Reply | Error) => void;
  const ended = new Promise<Reply | Error>((resolve) => {
    settle = resolve;
  });
  const handlers: JobHandlers = {
    done: (slab) => slabs.push(slab),
    settle: (reply) => settle(reply),
    fail: (error) => settle(error),
  };
  return { slabs, ended, handlers };
}

const slab = (bytes: Uint8Array) => {
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return buffer;
};

describe('DigestWorkers', () => {
  it('keeps each body on one worker, and a worker that dies fails only the bodies it held', async () => {
    const workers = new DigestWorkers(2, FRAGILE);
    const [a, b] = [watch(), watch()];
    // Two bodies at once: one per worker.
    const jobA = workers.open(undefined, a.handlers);
    const jobB = workers.open(undefined, b.handlers);
    const good = new Uint8Array([1, 2, 3, 4]);
    const bad = new Uint8Array([0xff, 0, 0]);
    const send = (job: number, bytes: Uint8Array) => {
      const buffer = slab(bytes);
      workers.post({ type: 'bytes', job, buffer, length: bytes.byteLength, position: 0 }, [buffer]);
    };
    send(jobB, good);
    send(jobA, bad);
    const endedA = await a.ended;
    expect(endedA).toBeInstanceOf(Error);
    expect(String(endedA)).toContain('exited (3)');
    // B, still open when A's worker died, was on the other worker: it goes on, and its slabs hash in order.
    send(jobB, good);
    workers.post({ type: 'end', job: jobB });
    const twice = new Uint8Array([...good, ...good]);
    expect(await b.ended).toEqual({
      type: 'end',
      job: jobB,
      sha1: createHash('sha1').update(twice).digest('hex'),
      md5: createHash('md5').update(twice).digest('hex'),
    });
    expect(b.slabs).toHaveLength(2);
    workers.forget(jobB);

    // The next body goes to a new worker in the lost one's place, and B's worker still has room for more.
    const [c, d] = [watch(), watch()];
    const jobC = workers.open(undefined, c.handlers);
    const jobD = workers.open(undefined, d.handlers);
    for (const job of [jobC, jobD]) {
      const buffer = slab(good);
      workers.post({ type: 'bytes', job, buffer, length: good.byteLength, position: 0 }, [buffer]);
      workers.post({ type: 'end', job });
    }
    const sha1 = createHash('sha1').update(good).digest('hex');
    expect(await c.ended).toMatchObject({ type: 'end', sha1 });
    expect(await d.ended).toMatchObject({ type: 'end', sha1 });
    workers.forget(jobC);
    workers.forget(jobD);
  });

  it('a body that ended frees its place: the next body goes to the worker with fewer open bodies', async () => {
    const workers = new DigestWorkers(2, FRAGILE);
    const send = (job: number, bytes: Uint8Array) => {
      const buffer = slab(bytes);
      workers.post({ type: 'bytes', job, buffer, length: bytes.byteLength, position: 0 }, [buffer]);
    };
    const good = new Uint8Array([5, 6, 7]);
    const [x, y, z] = [watch(), watch(), watch()];
    const jobX = workers.open(undefined, x.handlers);
    const jobY = workers.open(undefined, y.handlers);
    send(jobY, good);
    workers.post({ type: 'end', job: jobY });
    expect(await y.ended).toMatchObject({ type: 'end' });
    workers.forget(jobY);
    // X is still open on its worker and Y's has none: Z goes to Y's. Z's worker dies; X must not notice.
    const jobZ = workers.open(undefined, z.handlers);
    send(jobZ, new Uint8Array([0xff]));
    expect(String(await z.ended)).toContain('exited (3)');
    send(jobX, good);
    workers.post({ type: 'end', job: jobX });
    expect(await x.ended).toMatchObject({ type: 'end', sha1: createHash('sha1').update(good).digest('hex') });
    workers.forget(jobX);
  });
});

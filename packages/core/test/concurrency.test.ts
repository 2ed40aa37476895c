import { describe, expect, it } from 'vitest';
import {
  AbortError,
  createLimiter,
  InvalidInputError,
  mapConcurrent,
  settleConcurrent,
  WorkerRamp,
} from '../src/index.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('bounded concurrency', () => {
  it('never exceeds the limit and keeps input order', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapConcurrent([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, n));
      active--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('pulls lazily from an async generator: at most limit items exist at once', async () => {
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    async function* parts() {
      for (let i = 0; i < 20; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - consumed);
        yield i;
      }
    }
    await mapConcurrent(parts(), 4, async () => {
      await tick();
      consumed++;
    });
    expect(produced).toBe(20);
    expect(maxAhead).toBeLessThanOrEqual(4);
  });

  it('fails fast: aborts siblings, stops pulling, rethrows the first error', async () => {
    const started: number[] = [];
    const aborted: number[] = [];
    const boom = new Error('part 2 failed');
    const promise = mapConcurrent([0, 1, 2, 3, 4, 5, 6, 7], 2, async (n, _i, signal) => {
      started.push(n);
      if (n === 2) throw boom;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          aborted.push(n);
          resolve();
        });
      });
    });
    await expect(promise).rejects.toBe(boom);
    expect(started).not.toContain(5);
    expect(aborted.length).toBeGreaterThan(0);
  });

  it('settle mode reports every outcome', async () => {
    const results = await settleConcurrent([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error('two');
      return n;
    });
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('an aborted caller signal ends with AbortError; bad limits are rejected', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(mapConcurrent([1], 1, async (n) => n, { signal: controller.signal })).rejects.toBeInstanceOf(
      AbortError,
    );
    await expect(mapConcurrent([1], 0, async (n) => n)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('a shared limiter bounds calls across callers', async () => {
    const limit = createLimiter(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await tick();
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it('a ramp starts one worker and adds more on demand, up to the limit, never after the items ran out', async () => {
    const ramp = new WorkerRamp(1);
    let active = 0;
    const peaks: number[] = [];
    const added: boolean[] = [];
    const out = await mapConcurrent(
      [0, 1, 2, 3, 4, 5, 6, 7],
      3,
      async (n) => {
        active++;
        peaks[n] = active;
        // The first two items each ask for one more worker; the third finds the limit reached.
        if (n < 3) added.push(ramp.add());
        await tick();
        active--;
        return n;
      },
      { ramp },
    );
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(peaks[0]).toBe(1);
    expect(Math.max(...peaks)).toBe(3);
    expect(added).toEqual([true, true, false]);
    expect(ramp.add()).toBe(false);
    expect(() => new WorkerRamp(0)).toThrow(InvalidInputError);
  });
});

import { describe, expect, it } from 'vitest';
import { AbortError, type Progress, Transfer } from '../src/index.js';

describe('Transfer', () => {
  it('reports progress monotonically, never above the total, across a restarted attempt', async () => {
    const seen: Progress[] = [];
    const transfer = new Transfer(
      async ({ progress }) => {
        progress.report(400);
        progress.report(100); // a retry restarts its count: not shown as going back
        progress.report(700);
        progress.report(1500); // never above the total
        return 'ok';
      },
      { total: 1000 },
    );
    transfer.on('progress', (p) => seen.push(p));
    expect(await transfer.done()).toBe('ok');
    expect(seen.map((p) => p.loaded)).toEqual([400, 700, 1000]);
    expect(seen.every((p) => p.total === 1000)).toBe(true);
    expect(transfer.progress).toEqual({ loaded: 1000, total: 1000 });
  });

  it('abort() before the work starts rejects done() with AbortError without running it', async () => {
    let ran = false;
    const transfer = new Transfer(async () => {
      ran = true;
    });
    transfer.abort();
    await expect(transfer.done()).rejects.toBeInstanceOf(AbortError);
    expect(ran).toBe(false);
  });

  it('abort() reaches the work through its signal, and done() rejects with AbortError', async () => {
    const transfer = new Transfer(
      ({ signal }) =>
        new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    );
    await new Promise((r) => setTimeout(r, 5));
    transfer.abort();
    await expect(transfer.done()).rejects.toBeInstanceOf(AbortError);
  });

  it('a caller signal aborts it too; an unobserved failure is no unhandled rejection', async () => {
    const caller = new AbortController();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const transfer = new Transfer(
      ({ signal }) =>
        new Promise<never>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(new AbortError('stopped')), { once: true });
        }),
      { signal: caller.signal },
    );
    await new Promise((r) => setTimeout(r, 5)); // the work has started and listens
    caller.abort();
    await new Promise((r) => setTimeout(r, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    await expect(transfer.done()).rejects.toThrow('stopped');
  });

  it('an unknown event name is bad input, not a TypeError', () => {
    const transfer = new Transfer(async () => 1);
    expect(() => transfer.on('finish' as 'progress', () => {})).toThrow(/event/);
  });
});

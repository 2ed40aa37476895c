import { describe, expect, it } from 'vitest';
import {
  InvalidInputError,
  nextOffset,
  nextPageNumber,
  nextStartKey,
  nextUrl,
  type Page,
  PaginationError,
  Paginator,
} from '../src/index.js';

function numberedPages(total: number, perPage: number) {
  const calls: number[] = [];
  const paginator = new Paginator<number, number>(1, async (page) => {
    calls.push(page);
    const items = Array.from(
      { length: Math.max(0, Math.min(perPage, total - (page - 1) * perPage)) },
      (_, i) => (page - 1) * perPage + i,
    );
    return { items, next: nextPageNumber({ page, perPage, itemCount: items.length, totalItems: total }) };
  });
  return { paginator, calls };
}

describe('Paginator', () => {
  it('awaits to the first page, fetched once', async () => {
    const { paginator, calls } = numberedPages(45, 20);
    const first: Page<number, number> = await paginator;
    expect(first.items).toHaveLength(20);
    expect(first.next).toBe(2);
    await paginator;
    expect(calls).toEqual([1]);
  });

  it('iterates every item across pages without an extra empty request when the total is known', async () => {
    const { paginator, calls } = numberedPages(45, 20);
    const items: number[] = [];
    for await (const item of paginator) items.push(item);
    expect(items).toEqual(Array.from({ length: 45 }, (_, i) => i));
    expect(calls).toEqual([1, 2, 3]);
  });

  it('stops fetching when the loop is left early', async () => {
    const { paginator, calls } = numberedPages(100, 10);
    for await (const item of paginator) if (item === 12) break;
    expect(calls).toEqual([1, 2]);
  });

  it('toArray requires a bounded limit and stops at it', async () => {
    const { paginator, calls } = numberedPages(1000, 10);
    expect(await paginator.toArray({ limit: 15 })).toHaveLength(15);
    expect(calls).toEqual([1, 2]);
    await expect(paginator.toArray({ limit: -1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(paginator.toArray({ limit: 1e9 })).rejects.toThrow(/limit/);
  });

  it('a repeated cursor or a cycle is an error, never a silent end; maxPages and maxItems throw', async () => {
    let calls = 0;
    const stuck = new Paginator<string, string>('a', async () => {
      calls++;
      return { items: ['x'], next: 'same' };
    });
    await expect(stuck.toArray({ limit: 100 })).rejects.toMatchObject({
      name: 'PaginationError',
      reason: 'repeated-cursor',
    });
    expect(calls).toBe(2);
    const ring: Record<string, string> = { a: 'b', b: 'c', c: 'a' };
    const cycle = new Paginator<string, string>('a', async (cursor) => ({
      items: [cursor],
      next: ring[cursor]!,
    }));
    const seen: string[] = [];
    const error = await (async () => {
      for await (const item of cycle) seen.push(item);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(seen).toEqual(['a', 'b', 'c']);
    const capped = new Paginator<number, number>(0, async (n) => ({ items: [n], next: n + 1 }), {
      maxPages: 3,
    });
    await expect(capped.toArray({ limit: 100 })).rejects.toMatchObject({ reason: 'max-pages', pages: 3 });
    const ending = new Paginator<number, number>(
      0,
      async (n) => ({ items: [n], next: n < 2 ? n + 1 : null }),
      {
        maxPages: 3,
      },
    );
    expect(await ending.toArray({ limit: 100 })).toEqual([0, 1, 2]);
    const wide = new Paginator<number, number>(0, async (n) => ({ items: [n, n, n], next: n + 1 }), {
      maxItems: 5,
    });
    await expect(wide.toArray({ limit: 100 })).rejects.toMatchObject({ reason: 'max-items' });
    expect(() => new Paginator(0, async () => ({ items: [], next: null }), { maxPages: 0 })).toThrow(
      InvalidInputError,
    );
  });

  it('maps items lazily', async () => {
    const { paginator } = numberedPages(3, 2);
    expect(await paginator.map((n) => `#${n}`).toArray({ limit: 10 })).toEqual(['#0', '#1', '#2']);
  });
});

describe('cursor rules', () => {
  it('page numbers: totals win, else a short page ends', () => {
    expect(nextPageNumber({ page: 2, perPage: 20, itemCount: 20, totalPages: 2 })).toBeNull();
    expect(nextPageNumber({ page: 1, perPage: 20, itemCount: 20, totalItems: 21 })).toBe(2);
    expect(nextPageNumber({ page: 1, perPage: 20, itemCount: 19 })).toBeNull();
    expect(nextPageNumber({ page: 1, perPage: 20, itemCount: 20 })).toBe(2);
    expect(nextPageNumber({ page: 1, perPage: 20, itemCount: 0, totalItems: 100 })).toBeNull();
  });
  it('offsets, next URLs and start keys', () => {
    expect(nextOffset({ offset: 0, limit: 20, itemCount: 20, totalItems: 40 })).toBe(20);
    expect(nextOffset({ offset: 20, limit: 20, itemCount: 20, totalItems: 40 })).toBeNull();
    expect(nextOffset({ offset: 0, limit: 20, itemCount: 5 })).toBeNull();
    expect(nextUrl('https://a/?page=1', 'https://a/?page=2')).toBe('https://a/?page=2');
    expect(nextUrl('https://a/?page=1', 'https://a/?page=1')).toBeNull();
    expect(nextUrl('x', null)).toBeNull();
    expect(nextStartKey({ startFileName: 'b', startFileId: null })).toEqual({
      startFileName: 'b',
      startFileId: null,
    });
    expect(nextStartKey({ startFileName: null, startFileId: null })).toBeNull();
  });
});

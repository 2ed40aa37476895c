import { describe, expect, it } from 'vitest';
import { type RangeShare, RangeShares } from '../src/transfer/range-shares.js';

const take = (shares: RangeShares) => {
  const next = shares.next();
  return next.done ? undefined : next.value;
};
const span = (share: RangeShare | undefined) => share && `${share.at}-${share.end}`;

describe('range shares', () => {
  it('fixed: ranges of partSize in order, never split', () => {
    const shares = new RangeShares(25, 10, { stealing: false });
    const first = take(shares)!;
    expect([span(first), span(take(shares)), span(take(shares))]).toEqual(['0-9', '10-19', '20-24']);
    expect(take(shares)).toBeUndefined();
    expect(first.end).toBe(9);
  });

  it('stealing: one share of the whole file, then the upper half of the biggest share still running', () => {
    const shares = new RangeShares(100, 10, { stealing: true });
    const first = take(shares)!;
    expect(span(first)).toBe('0-99');
    first.at = 20;
    const second = take(shares)!;
    expect([span(first), span(second)]).toEqual(['20-59', '60-99']);
    second.at = 70;
    // The biggest share left is the first (40 bytes against 30).
    expect(span(take(shares))).toBe('40-59');
    expect(first.end).toBe(39);
  });

  it('stealing: a share below two partSizes stays whole; a finished one is never split', () => {
    const shares = new RangeShares(100, 10, { stealing: true });
    const first = take(shares)!;
    first.at = 81;
    expect(take(shares)).toBeUndefined();
    first.at = 0;
    shares.finished(first);
    expect(take(shares)).toBeUndefined();
    expect(take(new RangeShares(0, 10, { stealing: true }))).toBeUndefined();
  });
});

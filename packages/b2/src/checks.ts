/**
 * Limits of B2's API checked before any request (spec §3.3, §4), each failure an `InvalidInputError` naming
 * the field and the rule.
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';

export function checkPageSize(pageSize: number | undefined, max: number, field = 'pageSize'): void {
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > max))
    throw new InvalidInputError(field, `must be an integer 1-${max}`);
}

/** A byte range, both ends inclusive, as B2's `Range: bytes=a-b` and copies' `range` take it. */
export interface ByteRange {
  readonly start: number;
  /** Inclusive; omitted: to the end of the file. */
  readonly end?: number | undefined;
}

export function checkRange(range: ByteRange | undefined, field = 'range', endRequired = false): void {
  if (range === undefined) return;
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0)
    throw new InvalidInputError(`${field}.start`, 'must be an integer ≥ 0');
  if (end === undefined) {
    if (endRequired) throw new InvalidInputError(`${field}.end`, 'is required');
    return;
  }
  if (!Number.isSafeInteger(end) || end < start)
    throw new InvalidInputError(`${field}.end`, 'must be an integer ≥ start (inclusive)');
}

export function rangeText(range: ByteRange): string {
  return `bytes=${range.start}-${range.end ?? ''}`;
}

export function checkId(value: unknown, field: string): void {
  if (typeof value !== 'string' || value === '')
    throw new InvalidInputError(field, 'must be a non-empty string');
}

export function checkDuration(value: number | undefined, field: string, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max))
    throw new InvalidInputError(field, `must be a whole number of seconds, 1-${max}`);
}

export function checkKeyName(keyName: string): void {
  if (typeof keyName !== 'string' || !/^[A-Za-z0-9-]{1,100}$/.test(keyName))
    throw new InvalidInputError('keyName', 'must be 1-100 letters, digits and "-"');
}

export function checkCapabilities(capabilities: readonly string[]): void {
  if (!Array.isArray(capabilities) || capabilities.length === 0)
    throw new InvalidInputError('capabilities', 'must be a non-empty list');
  for (const [i, capability] of capabilities.entries())
    if (typeof capability !== 'string' || !/^[A-Za-z]+$/.test(capability))
      throw new InvalidInputError(`capabilities[${i}]`, 'must be a capability name (letters only)');
}

export function checkPositiveInteger(value: number | undefined, field: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
    throw new InvalidInputError(field, 'must be a whole number ≥ 1');
}

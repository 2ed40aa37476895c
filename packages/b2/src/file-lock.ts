/**
 * Object Lock ("File Lock") settings as a caller asks for them: per-file retention (governance or
 * compliance, until a time), legal hold, and a bucket's default retention. Checked before any request;
 * encoded here for JSON bodies and for upload headers.
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';

/** Governance (lifted with `bypassGovernance`) or compliance (never shortened). */
export type RetentionMode = 'governance' | 'compliance';

/** Keeps a file version from being deleted or overwritten until `retainUntilTimestamp`. */
export interface Retention {
  readonly mode: RetentionMode;
  /** A `Date`, or epoch milliseconds. */
  readonly retainUntilTimestamp: Date | number;
}

/** A retention to set, or `{ mode: null }` to remove one (governance only, with `bypassGovernance`). */
export type RetentionUpdate = Retention | { readonly mode: null };

/** A legal hold: on (the version cannot be deleted) or off. */
export type LegalHold = 'on' | 'off';

/** A bucket's default retention for new files, or `{ mode: null }` for none. */
export type BucketRetention =
  | {
      readonly mode: RetentionMode;
      readonly period: { readonly duration: number; readonly unit: 'days' | 'years' };
    }
  | { readonly mode: null };

function untilMs(value: Date | number, field: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms <= 0)
    throw new InvalidInputError(
      `${field}.retainUntilTimestamp`,
      'must be a valid Date or epoch milliseconds',
    );
  return ms;
}

export function checkRetention(value: RetentionUpdate | undefined, field: string, allowNone: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null)
    throw new InvalidInputError(field, 'must be { mode, retainUntilTimestamp }');
  if (value.mode === null) {
    if (!allowNone) throw new InvalidInputError(`${field}.mode`, 'must be "governance" or "compliance"');
    return;
  }
  if (value.mode !== 'governance' && value.mode !== 'compliance')
    throw new InvalidInputError(
      `${field}.mode`,
      `must be "governance" or "compliance"${allowNone ? ' or null' : ''}`,
    );
  untilMs(value.retainUntilTimestamp, field);
}

export function checkLegalHold(value: LegalHold | undefined, field = 'legalHold'): void {
  if (value !== undefined && value !== 'on' && value !== 'off')
    throw new InvalidInputError(field, 'must be "on" or "off"');
}

export function checkBucketRetention(value: BucketRetention | undefined, field = 'defaultRetention'): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null)
    throw new InvalidInputError(field, 'must be { mode, period } or { mode: null }');
  if (value.mode === null) return;
  if (value.mode !== 'governance' && value.mode !== 'compliance')
    throw new InvalidInputError(`${field}.mode`, 'must be "governance", "compliance" or null');
  const { duration, unit } = value.period ?? {};
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1)
    throw new InvalidInputError(`${field}.period.duration`, 'must be a whole number ≥ 1');
  if (unit !== 'days' && unit !== 'years')
    throw new InvalidInputError(`${field}.period.unit`, 'must be "days" or "years"');
}

/** `{mode, retainUntilTimestamp}` in milliseconds, as B2's JSON wants it. */
export function retentionJson(
  value: RetentionUpdate | undefined,
): { mode: RetentionMode | null; retainUntilTimestamp: number | null } | undefined {
  if (value === undefined) return undefined;
  if (value.mode === null) return { mode: null, retainUntilTimestamp: null };
  return { mode: value.mode, retainUntilTimestamp: untilMs(value.retainUntilTimestamp, 'fileRetention') };
}

export function bucketRetentionJson(value: BucketRetention | undefined): BucketRetention | undefined {
  if (value === undefined) return undefined;
  return value.mode === null ? { mode: null } : { mode: value.mode, period: { ...value.period } };
}

/** `X-Bz-File-Retention-*` and `X-Bz-File-Legal-Hold` of an upload. */
export function lockHeaders(
  retention: Retention | undefined,
  legalHold: LegalHold | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (retention) {
    headers['x-bz-file-retention-mode'] = retention.mode;
    headers['x-bz-file-retention-retain-until-timestamp'] = String(
      untilMs(retention.retainUntilTimestamp, 'fileRetention'),
    );
  }
  if (legalHold) headers['x-bz-file-legal-hold'] = legalHold;
  return headers;
}

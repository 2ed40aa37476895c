/**
 * Object Lock (B2 "File Lock") rules: per-file retention in governance or compliance mode, legal hold, a
 * bucket's default retention, who may read or change them (the read/write retention and legal-hold
 * capabilities, `bypassGovernance`), and what they forbid. Everything is judged on the virtual clock.
 */
import type { EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import { authorizeKey, keyCan } from './auth.js';
import type { B2Bucket, B2BucketRetention, B2FileRetention, B2FileVersion, B2Key } from './model.js';

export const NO_RETENTION: B2FileRetention = { mode: null, retainUntilTimestamp: null };
const NO_BUCKET_RETENTION: B2BucketRetention = { mode: null, period: null };

/** Object Lock settings a write asks for; absent fields were not asked for. */
export interface RequestedLock {
  readonly fileRetention?: B2FileRetention;
  readonly legalHold?: 'on' | 'off';
}

export function missingFileLock(): never {
  // Recorded against real B2 (b2_update_file_legal_hold / b2_update_file_retention on a plain bucket).
  fail(400, 'bucket_missing_file_lock', 'The bucket is not file lock enabled');
}

/** A retention setting: no mode (and no time) removes it; a mode needs a future `retainUntilTimestamp` in ms. */
export function retentionValue(mode: unknown, until: unknown, now: number, where: string): B2FileRetention {
  if (mode === null || mode === undefined) {
    if (until !== null && until !== undefined)
      fail(400, 'bad_request', `${where}: retainUntilTimestamp needs a retention mode`);
    return NO_RETENTION;
  }
  if (mode !== 'governance' && mode !== 'compliance')
    fail(400, 'bad_request', `${where}: the retention mode must be governance or compliance`);
  const ms = typeof until === 'string' && /^\d+$/.test(until) ? Number(until) : until;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms))
    fail(400, 'bad_request', `${where}: a retention mode needs retainUntilTimestamp (milliseconds)`);
  if (ms <= now) fail(400, 'bad_request', `${where}: retainUntilTimestamp must be in the future`);
  return { mode, retainUntilTimestamp: ms };
}

function legalHoldValue(value: unknown, where: string): 'on' | 'off' {
  if (value !== 'on' && value !== 'off') fail(400, 'bad_request', `${where} must be "on" or "off"`);
  return value;
}

/** `X-Bz-File-Retention-Mode`, `X-Bz-File-Retention-Retain-Until-Timestamp`, `X-Bz-File-Legal-Hold`. */
export function lockFromHeaders(c: EmulatorContext, now: number): RequestedLock {
  const mode = c.req.header('x-bz-file-retention-mode');
  const until = c.req.header('x-bz-file-retention-retain-until-timestamp');
  const hold = c.req.header('x-bz-file-legal-hold');
  return {
    ...(mode !== undefined || until !== undefined
      ? { fileRetention: retentionValue(mode, until, now, 'X-Bz-File-Retention-*') }
      : {}),
    ...(hold !== undefined ? { legalHold: legalHoldValue(hold, 'X-Bz-File-Legal-Hold') } : {}),
  };
}

/** `fileRetention: {mode, retainUntilTimestamp}` and `legalHold` of a JSON write (large-file start, copy). */
export function lockFromJson(body: Record<string, unknown>, now: number): RequestedLock {
  const retention = body.fileRetention;
  if (
    retention !== undefined &&
    (typeof retention !== 'object' || retention === null || Array.isArray(retention))
  )
    fail(400, 'bad_request', 'fileRetention must be an object {mode, retainUntilTimestamp}');
  const value = retention as Record<string, unknown> | undefined;
  return {
    ...(value
      ? { fileRetention: retentionValue(value.mode, value.retainUntilTimestamp, now, 'fileRetention') }
      : {}),
    ...(body.legalHold !== undefined ? { legalHold: legalHoldValue(body.legalHold, 'legalHold') } : {}),
  };
}

/**
 * Admits the lock a new version asks for: the key needs the write capability of each setting, the bucket
 * File Lock. What is not asked for stays unset (the bucket's default retention comes in when it is recorded).
 */
export function admitLock(bucket: B2Bucket, key: B2Key, requested: RequestedLock): RequestedLock {
  if (requested.fileRetention !== undefined) authorizeKey(key, 'writeFileRetentions');
  if (requested.legalHold !== undefined) authorizeKey(key, 'writeFileLegalHolds');
  const asked = requested.fileRetention?.mode || requested.legalHold === 'on';
  if (asked && !bucket.fileLockEnabled) missingFileLock();
  return bucket.fileLockEnabled ? requested : {};
}

function addPeriod(from: number, period: NonNullable<B2BucketRetention['period']>): number {
  const date = new Date(from);
  if (period.unit === 'years') date.setUTCFullYear(date.getUTCFullYear() + period.duration);
  else date.setUTCDate(date.getUTCDate() + period.duration);
  return date.getTime();
}

/** The retention of a new version: its own, else the bucket's default counted from the upload time. */
export function withDefaultRetention(
  bucket: B2Bucket,
  own: B2FileRetention | null | undefined,
  uploadTimestamp: number,
): B2FileRetention | null {
  if (own) return own;
  const fallback = bucket.fileLockEnabled ? bucket.defaultRetention : undefined;
  if (!fallback?.mode || !fallback.period) return null;
  return { mode: fallback.mode, retainUntilTimestamp: addPeriod(uploadTimestamp, fallback.period) };
}

/** `defaultRetention` of `b2_update_bucket`: `{mode, period: {duration, unit: days|years}}`, or no mode. */
export function bucketRetentionValue(value: unknown): B2BucketRetention {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(400, 'bad_request', 'defaultRetention must be an object {mode, period}');
  const { mode = null, period = null } = value as Record<string, unknown>;
  if (mode === null) {
    if (period !== null) fail(400, 'bad_request', 'defaultRetention: a period needs a mode');
    return NO_BUCKET_RETENTION;
  }
  if (mode !== 'governance' && mode !== 'compliance')
    fail(400, 'bad_request', 'defaultRetention.mode must be governance, compliance or null');
  const { duration, unit } = (period ?? {}) as Record<string, unknown>;
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1)
    fail(400, 'bad_request', 'defaultRetention.period.duration must be a positive integer');
  if (unit !== 'days' && unit !== 'years')
    fail(400, 'bad_request', 'defaultRetention.period.unit must be days or years');
  return { mode, period: { duration, unit } };
}

/** The retention still in force at `now`, if any. */
export function activeRetention(file: B2FileVersion, now: number): B2FileRetention | undefined {
  const retention = file.fileRetention;
  if (!retention?.mode || retention.retainUntilTimestamp === null || retention.retainUntilTimestamp <= now)
    return undefined;
  return retention;
}

/**
 * Refuses to delete a version a legal hold or an unexpired retention protects: compliance always, governance
 * unless the call sets `bypassGovernance` (which needs that capability). 403 `access_denied`, the code b2sdk
 * and its simulator use for Object Lock refusals.
 */
export function assertDeletable(
  file: B2FileVersion,
  key: B2Key,
  bypassGovernance: boolean,
  now: number,
): void {
  if (bypassGovernance) authorizeKey(key, 'bypassGovernance');
  if (file.legalHold === 'on')
    fail(403, 'access_denied', `${file.fileName} (${file.fileId}) is under legal hold`);
  const retention = activeRetention(file, now);
  if (!retention) return;
  const until = new Date(retention.retainUntilTimestamp ?? 0).toISOString();
  if (retention.mode === 'compliance')
    fail(403, 'access_denied', `${file.fileName} is retained in compliance mode until ${until}`);
  if (!bypassGovernance)
    fail(
      403,
      'access_denied',
      `${file.fileName} is retained in governance mode until ${until}; set bypassGovernance`,
    );
}

/** The `fileRetention` and `legalHold` blocks of a file version, as the reading key may see them. */
export function fileLockJson(file: B2FileVersion, key: B2Key | undefined): Record<string, unknown> {
  return {
    fileRetention: keyCan(key, 'readFileRetentions')
      ? { isClientAuthorizedToRead: true, value: file.fileRetention ?? NO_RETENTION }
      : { isClientAuthorizedToRead: false, value: null },
    legalHold: keyCan(key, 'readFileLegalHolds')
      ? { isClientAuthorizedToRead: true, value: file.legalHold ?? null }
      : { isClientAuthorizedToRead: false, value: null },
  };
}

/** A bucket's `fileLockConfiguration`, readable with `readBucketRetentions`. */
export function bucketLockJson(bucket: B2Bucket, key: B2Key | undefined): Record<string, unknown> {
  if (!keyCan(key, 'readBucketRetentions')) return { isClientAuthorizedToRead: false, value: null };
  return {
    isClientAuthorizedToRead: true,
    value: {
      defaultRetention: bucket.defaultRetention ?? NO_BUCKET_RETENTION,
      isFileLockEnabled: bucket.fileLockEnabled,
    },
  };
}

/**
 * Download headers of a file in a File Lock bucket: its retention and legal hold when the reader may see
 * them, else their names in `X-Bz-Client-Unauthorized-To-Read` (a download without an account key sees none).
 */
export function lockHeaders(
  bucket: B2Bucket,
  file: B2FileVersion,
  key: B2Key | undefined,
): Record<string, string> {
  if (!bucket.fileLockEnabled) return {};
  const headers: Record<string, string> = {};
  const hidden: string[] = [];
  if (!keyCan(key, 'readFileRetentions'))
    hidden.push('X-Bz-File-Retention-Mode', 'X-Bz-File-Retention-Retain-Until-Timestamp');
  else if (file.fileRetention?.mode) {
    headers['x-bz-file-retention-mode'] = file.fileRetention.mode;
    headers['x-bz-file-retention-retain-until-timestamp'] = String(file.fileRetention.retainUntilTimestamp);
  }
  if (!keyCan(key, 'readFileLegalHolds')) hidden.push('X-Bz-File-Legal-Hold');
  else if (file.legalHold) headers['x-bz-file-legal-hold'] = file.legalHold;
  if (hidden.length > 0) headers['x-bz-client-unauthorized-to-read'] = hidden.join(',');
  return headers;
}

import type { B2Ctx } from './auth.js';
import { NO_SSE } from './encryption.js';
import { withDefaultRetention } from './file-lock.js';
import type { B2Bucket, B2FileVersion } from './model.js';
import { compareNames } from './wire.js';

/** What differs between file versions; the rest (id, order, bucket, time, defaults) is filled in. */
export type VersionFields = Pick<
  B2FileVersion,
  | 'fileName'
  | 'action'
  | 'contentLength'
  | 'contentSha1'
  | 'contentMd5'
  | 'contentType'
  | 'fileInfo'
  | 'blobId'
> &
  Partial<Pick<B2FileVersion, 'serverSideEncryption' | 'customerKeyMd5' | 'fileRetention' | 'legalHold'>>;

const COUNTDOWN_FROM = 0xfffffffffffffffn; // 15 hex digits

/**
 * `4_z<bucketId>_f<1|2><15 hex>_d<YYYYMMDD>_m<HHMMSS>_c002_v<7 digits>_t<4 digits>` (spec §3.1). The 15 hex
 * digits count down with the upload order, so among the small files (`f1`) or the large ones (`f2`) of a
 * name, sorting by id gives the newest first, as b2sdk's simulator and B2's own ids do.
 */
export function newFileId(bucketId: string, large: boolean, now: number, seq: number, hex: string): string {
  const iso = new Date(now).toISOString();
  const date = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 19).replace(/:/g, '');
  const order = (COUNTDOWN_FROM - BigInt(seq)).toString(16).padStart(15, '0');
  const digits = parseInt(hex.slice(0, 7), 16).toString().padStart(7, '0').slice(0, 7);
  const slot = String(parseInt(hex.slice(7, 11), 16) % 10000).padStart(4, '0');
  return `4_z${bucketId}_f${large ? 2 : 1}${order}_d${date}_m${time}_c002_v${digits}_t${slot}`;
}

/**
 * Creates and stores a file version of a bucket. Its place in the upload order comes from the id generator's
 * sequence, which only grows (it is saved with the state and survives reset and seed), so versions of one
 * name keep their order even when they share an upload second.
 */
export function recordVersion(ctx: B2Ctx, bucket: B2Bucket, fields: VersionFields): B2FileVersion {
  const now = ctx.clock.now();
  const hex = ctx.ids.hex(11);
  const seq = ctx.ids.counter;
  // File versions on real B2 carry second granularity.
  const uploadTimestamp = Math.floor(now / 1000) * 1000;
  const file: B2FileVersion = {
    serverSideEncryption: bucket.defaultServerSideEncryption,
    ...fields,
    fileId: newFileId(bucket.bucketId, fields.action === 'start', now, seq, hex),
    bucketId: bucket.bucketId,
    uploadTimestamp,
    seq,
  };
  if (file.action === 'hide') file.serverSideEncryption = NO_SSE;
  else file.fileRetention = withDefaultRetention(bucket, fields.fileRetention, uploadTimestamp);
  ctx.state.files[file.fileId] = file;
  return file;
}

/** Newest first: later in the upload order. States saved before the order was kept fall back to time. */
export function newerFirst(a: B2FileVersion, b: B2FileVersion): number {
  return (b.seq ?? -1) - (a.seq ?? -1) || b.uploadTimestamp - a.uploadTimestamp;
}

/** Versions of a bucket in `b2_list_file_versions` order: name (UTF-8 bytes), then newest first. */
export function versionsOf(ctx: B2Ctx, bucketId: string): B2FileVersion[] {
  return Object.values(ctx.state.files)
    .filter((f) => f.bucketId === bucketId)
    .sort((a, b) => compareNames(a.fileName, b.fileName) || newerFirst(a, b));
}

/** The newest finished version of a name (an upload or a hide marker), what hide and unhide look at. */
export function newestVersion(ctx: B2Ctx, bucketId: string, fileName: string): B2FileVersion | undefined {
  let newest: B2FileVersion | undefined;
  for (const file of Object.values(ctx.state.files)) {
    if (file.bucketId !== bucketId || file.fileName !== fileName || file.action === 'start') continue;
    if (!newest || newerFirst(file, newest) < 0) newest = file;
  }
  return newest;
}

/** The newest version of a name if it is a live upload: what listing names and download by name serve. */
export function liveVersion(ctx: B2Ctx, bucketId: string, fileName: string): B2FileVersion | undefined {
  const newest = newestVersion(ctx, bucketId, fileName);
  return newest?.action === 'upload' ? newest : undefined;
}

/**
 * Uploads of any source and size (spec §3.3.3, §3.3.8): one POST up to the part size, a large file in
 * parallel parts beyond it (or when the length is unknown). Bytes stream, their SHA-1 computed on the way
 * and checked by B2; memory stays at about `concurrency` parts for a stream of unknown length and a few
 * chunks for anything that can be read by range.
 *
 * @module
 */
import {
  type BodySource,
  fixedChunks,
  fromPath,
  InvalidInputError,
  type ProgressReporter,
  type TransferOptions,
  toBodySource,
  type UploadSource,
} from '@mediaferry/core';
import { checkPositiveInteger } from '../checks.js';
import { checkEncryption } from '../encryption.js';
import { checkLegalHold, checkRetention } from '../file-lock.js';
import type { FileVersion } from '../models.js';
import { checkFileInfo, checkFileName } from '../names.js';
import type { NewFileSettings } from '../raw/params.js';
import type { ManagerContext } from './context.js';
import { attemptOptions, postWithFreshUrls, withSha1AtEnd } from './fresh-urls.js';
import { uploadLargeFromChunks, uploadLargeFromRanges } from './large-upload.js';

/** The largest part (and small file) B2 takes: 5 GB. */
export const MAX_PART_SIZE = 5_000_000_000;

/** What to upload and how. */
export interface UploadPlan extends NewFileSettings {
  readonly fileName: string;
  /** A path (a string is always a path), `fromPath(…)`, bytes, a Blob, a stream factory or a stream. */
  readonly source: UploadSource;
  /** MIME type; default `b2/x-auto` (B2 guesses from the extension). */
  readonly contentType?: string | undefined;
  /** File info (`X-Bz-Info-*`), at most 10 entries. */
  readonly info?: Readonly<Record<string, string>> | undefined;
  /** Size in bytes when the source cannot tell (a stream). */
  readonly size?: number | undefined;
  /** Part size for large files; default the client's, else the account's recommended part size. */
  readonly partSize?: number | undefined;
  /** Parts in flight at once; default the client's `uploadConcurrency` (4). */
  readonly concurrency?: number | undefined;
  /**
   * Continue an unfinished large file of the same name when it is provably the same upload (b2sdk's rules:
   * name, content type, file info, encryption, Object Lock settings, part sizes and every finished part's
   * SHA-1), and leave the parts in place when this upload fails. Default false: a failed large upload is
   * cancelled.
   */
  readonly resume?: boolean | undefined;
}

/** Checks everything about an upload before any request. */
export function checkUploadPlan(plan: UploadPlan): void {
  checkFileName(plan.fileName);
  checkFileInfo(plan.info);
  checkEncryption(plan.serverSideEncryption, 'serverSideEncryption');
  checkRetention(plan.fileRetention, 'fileRetention', false);
  checkLegalHold(plan.legalHold);
  checkPositiveInteger(plan.partSize, 'partSize');
  checkPositiveInteger(plan.concurrency, 'concurrency');
  if (plan.size !== undefined && (!Number.isSafeInteger(plan.size) || plan.size < 0))
    throw new InvalidInputError('size', 'must be a whole number of bytes ≥ 0');
  if (plan.partSize !== undefined && plan.partSize > MAX_PART_SIZE)
    throw new InvalidInputError('partSize', `must be at most ${MAX_PART_SIZE} bytes (B2 maximum)`);
  if (plan.contentType !== undefined && (typeof plan.contentType !== 'string' || plan.contentType === ''))
    throw new InvalidInputError('contentType', 'must be a MIME type');
  if (plan.source === undefined || plan.source === null)
    throw new InvalidInputError('source', 'is required: a path, bytes, a Blob, a stream factory or a stream');
}

/** A string source is a path, never content. */
export function openSource(source: UploadSource, size: number | undefined): Promise<BodySource> {
  const resolved = typeof source === 'string' ? fromPath(source) : source;
  return toBodySource(resolved, { field: 'source', ...(size === undefined ? {} : { size }) });
}

/** Uploads one file (inside a transfer, whose progress reporter it feeds). */
export async function runUpload(
  context: ManagerContext,
  bucketId: string,
  plan: UploadPlan,
  options: TransferOptions,
  progress: ProgressReporter,
): Promise<FileVersion> {
  checkUploadPlan(plan);
  const session = await context.session(options.signal);
  const partSize = plan.partSize ?? context.partSize ?? session.recommendedPartSize;
  if (partSize < session.absoluteMinimumPartSize)
    throw new InvalidInputError(
      'partSize',
      `must be at least ${session.absoluteMinimumPartSize} bytes (B2 minimum)`,
    );
  const body = await openSource(plan.source, plan.size);
  progress.setTotal(body.size);
  const job = { context, bucketId, plan, options, progress, partSize };
  if (body.size !== undefined && body.size <= partSize) return uploadSmall(job, body, body.size);
  if (body.size !== undefined && body.rangeable) return uploadLargeFromRanges(job, body, body.size);
  // Unknown length (or not rangeable): cut the stream into parts as it comes.
  const chunks = fixedChunks(await body.open(), partSize);
  const first = await chunks.next();
  const second = first.done ? first : await chunks.next();
  if (second.done) {
    const bytes = first.done ? new Uint8Array(0) : first.value;
    return uploadSmall(job, await toBodySource(bytes), bytes.byteLength);
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield first.value as Uint8Array;
    yield second.value as Uint8Array;
    yield* chunks;
  }
  return uploadLargeFromChunks(job, all());
}

/** One upload as the planners see it. */
export interface UploadJob {
  readonly context: ManagerContext;
  readonly bucketId: string;
  readonly plan: UploadPlan;
  readonly options: TransferOptions;
  readonly progress: ProgressReporter;
  readonly partSize: number;
}

/** A small file: one POST, bytes streamed with their SHA-1 at the end, a fresh URL per attempt. */
function uploadSmall(job: UploadJob, source: BodySource, size: number): Promise<FileVersion> {
  const { context, bucketId, plan, options, progress } = job;
  const body = withSha1AtEnd(() => source.open(), size, source.replayable);
  return postWithFreshUrls(
    context,
    `bucket:${bucketId}`,
    () => context.raw.getUploadUrl({ bucketId }, { signal: options.signal }),
    body,
    (target, payload) =>
      context.raw.uploadFile(
        {
          uploadUrl: target.uploadUrl,
          authorizationToken: target.authorizationToken,
          fileName: plan.fileName,
          contentType: plan.contentType,
          contentSha1: 'hex_digits_at_end',
          fileInfo: plan.info,
          serverSideEncryption: plan.serverSideEncryption,
          fileRetention: plan.fileRetention,
          legalHold: plan.legalHold,
          body: payload,
          contentLength: size + 40,
          // One reporter across attempts: a retry re-sends from 0 without the count going back.
          onProgress: (p) => progress.report(Math.min(p.loaded, size)),
        },
        attemptOptions(options),
      ),
    options,
  );
}

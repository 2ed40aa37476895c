/**
 * Server-side copies (spec §3.3.7): the bytes never pass through the client. A file up to the part size is
 * one `b2_copy_file`; a bigger one becomes a large file whose parts are `b2_copy_part` calls of ranges of
 * the source, in parallel, then finished (and cancelled on failure). The copy keeps the source's content
 * type and file info unless new ones are given (`metadataDirective: REPLACE`).
 *
 * @module
 */
import {
  InvalidInputError,
  mapConcurrent,
  type ProgressReporter,
  type TransferOptions,
} from '@mediaferry/core';
import { type ByteRange, checkId, checkPositiveInteger, checkRange } from '../checks.js';
import { type CustomerKey, checkCustomerKey, checkEncryption } from '../encryption.js';
import { checkLegalHold, checkRetention } from '../file-lock.js';
import type { FileVersion } from '../models.js';
import { checkFileInfo, checkFileName } from '../names.js';
import type { NewFileSettings } from '../raw/params.js';
import type { ManagerContext } from './context.js';
import { planParts } from './large-upload.js';
import { LargeFile } from './parts.js';
import { MAX_PART_SIZE } from './upload.js';

/** A server-side copy. */
export interface CopyPlan extends NewFileSettings {
  readonly sourceFileId: string;
  /** The name of the copy. */
  readonly fileName: string;
  /** Another bucket of the same account; default the source's. */
  readonly destinationBucketId?: string | undefined;
  /** Copy only these bytes (both ends inclusive). */
  readonly range?: ByteRange | undefined;
  /** With `fileInfo`, replaces the source's metadata; without both, the source's are kept. */
  readonly contentType?: string | undefined;
  readonly fileInfo?: Readonly<Record<string, string>> | undefined;
  /** The key of an SSE-C source. */
  readonly sourceServerSideEncryption?: CustomerKey | undefined;
  /** Above this size the copy is made of parts. Default the client's part size, else the account's. */
  readonly partSize?: number | undefined;
  /** Parts copied at once. Default the client's `uploadConcurrency` (4). */
  readonly concurrency?: number | undefined;
}

export function checkCopyPlan(plan: CopyPlan): void {
  checkId(plan.sourceFileId, 'sourceFileId');
  checkFileName(plan.fileName);
  if (plan.destinationBucketId !== undefined) checkId(plan.destinationBucketId, 'destinationBucketId');
  checkRange(plan.range, 'range');
  checkFileInfo(plan.fileInfo, 'fileInfo');
  if (plan.fileInfo !== undefined && plan.contentType === undefined)
    throw new InvalidInputError('contentType', 'is required when fileInfo replaces the source’s');
  checkCustomerKey(plan.sourceServerSideEncryption, 'sourceServerSideEncryption');
  checkEncryption(plan.serverSideEncryption, 'serverSideEncryption');
  checkRetention(plan.fileRetention, 'fileRetention', false);
  checkLegalHold(plan.legalHold);
  checkPositiveInteger(plan.partSize, 'partSize');
  checkPositiveInteger(plan.concurrency, 'concurrency');
  if (plan.partSize !== undefined && plan.partSize > MAX_PART_SIZE)
    throw new InvalidInputError('partSize', `must be at most ${MAX_PART_SIZE} bytes (B2 maximum)`);
}

/** The metadata of a copy made of parts: what was given, else the source's (its SHA-1 recorded when known). */
function largeCopyMetadata(plan: CopyPlan, source: FileVersion, whole: boolean) {
  if (plan.contentType !== undefined) return { contentType: plan.contentType, fileInfo: plan.fileInfo ?? {} };
  const fileInfo: Record<string, string> = { ...source.fileInfo };
  const sha1 = source.contentSha1?.replace(/^unverified:/, '');
  if (!whole) delete fileInfo.large_file_sha1;
  // A large file has no SHA-1 of its own: keep the source's, so the copy can be verified when read.
  else if (
    fileInfo.large_file_sha1 === undefined &&
    sha1 &&
    /^[0-9a-f]{40}$/.test(sha1) &&
    Object.keys(fileInfo).length < 10
  )
    fileInfo.large_file_sha1 = sha1;
  return { contentType: source.contentType ?? 'b2/x-auto', fileInfo };
}

/** Copies a file on the server (inside a transfer, whose progress counts the bytes copied). */
export async function runCopy(
  context: ManagerContext,
  plan: CopyPlan,
  options: TransferOptions,
  progress: ProgressReporter,
): Promise<FileVersion> {
  checkCopyPlan(plan);
  const call = { signal: options.signal, headers: options.headers };
  const [session, source] = await Promise.all([
    context.session(options.signal),
    context.raw.getFileInfo({ fileId: plan.sourceFileId }, call),
  ]);
  const start = plan.range?.start ?? 0;
  const end = Math.min(plan.range?.end ?? source.contentLength - 1, source.contentLength - 1);
  const size = Math.max(0, end - start + 1);
  progress.setTotal(size);
  const partSize = plan.partSize ?? context.partSize ?? session.recommendedPartSize;
  if (partSize < session.absoluteMinimumPartSize)
    throw new InvalidInputError(
      'partSize',
      `must be at least ${session.absoluteMinimumPartSize} bytes (B2 minimum)`,
    );
  const { partSize: _p, concurrency, ...single } = plan;
  if (size <= partSize) {
    const file = await context.raw.copyFile({ ...single, range: plan.range && { start, end } }, call);
    progress.add(size);
    return file;
  }
  const metadata = largeCopyMetadata(plan, source, plan.range === undefined);
  const started = await context.raw.startLargeFile(
    {
      bucketId: plan.destinationBucketId ?? source.bucketId,
      fileName: plan.fileName,
      ...metadata,
      serverSideEncryption: plan.serverSideEncryption,
      fileRetention: plan.fileRetention,
      legalHold: plan.legalHold,
    },
    call,
  );
  const destinationKey = plan.serverSideEncryption?.mode === 'SSE-C' ? plan.serverSideEncryption : undefined;
  const large = new LargeFile(context, started, destinationKey);
  try {
    await mapConcurrent(
      planParts(size, partSize),
      concurrency ?? context.concurrency,
      async (part, _i, signal) => {
        const copied = await context.raw.copyPart(
          {
            sourceFileId: plan.sourceFileId,
            largeFileId: large.id,
            partNumber: part.partNumber,
            range: { start: start + part.start, end: start + part.end - 1 },
            sourceServerSideEncryption: plan.sourceServerSideEncryption,
            destinationServerSideEncryption: destinationKey,
          },
          { ...call, signal },
        );
        large.adopt(copied);
        progress.add(copied.contentLength);
      },
      { signal: options.signal },
    );
    return await large.finish(call);
  } catch (error) {
    await large.cancel().catch(() => {});
    throw error;
  }
}

/**
 * Large files (spec §3.3.8): parts cut from a rangeable source (or from a stream as it comes), uploaded in
 * parallel, then finished; a failure cancels the file unless `resume` was asked. With `resume`, an
 * unfinished file is continued only when it is provably the same upload, as b2sdk decides: same name, content
 * type, file info, encryption and Object Lock settings, every finished part of the planned size and of the
 * SHA-1 of that range of the source. Anything else starts a new large file.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { type BodySource, InvalidInputError, mapConcurrent, TO_ARRAY_HARD_LIMIT } from '@mediaferry/core';
import type { CustomerKey } from '../encryption.js';
import { retentionJson } from '../file-lock.js';
import type { FileVersion, Part } from '../models.js';
import { parts as listParts, unfinishedLargeFiles } from '../paging.js';
import { LargeFile } from './parts.js';
import type { UploadJob } from './upload.js';

/** A part of a plan: its number and the bytes `[start, end)` it covers. */
export interface PlannedPart {
  readonly partNumber: number;
  readonly start: number;
  readonly end: number;
}

/** Cuts `[0, size)` into parts of `partSize` (at most 10 000). */
export function planParts(size: number, partSize: number): PlannedPart[] {
  const count = Math.ceil(size / partSize);
  if (count > 10_000)
    throw new InvalidInputError('partSize', `too small for ${size} bytes (at most 10000 parts)`);
  return Array.from({ length: count }, (_, i) => ({
    partNumber: i + 1,
    start: i * partSize,
    end: Math.min(size, (i + 1) * partSize),
  }));
}

async function sha1Of(body: BodySource, range: PlannedPart): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of await body.open({ start: range.start, end: range.end })) hash.update(chunk);
  return hash.digest('hex');
}

function sameInfo(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The key of an SSE-C upload (its parts repeat it). */
export function customerKeyOf(job: UploadJob): CustomerKey | undefined {
  const sse = job.plan.serverSideEncryption;
  return sse?.mode === 'SSE-C' ? sse : undefined;
}

/** Whether an unfinished file carries exactly the encryption and Object Lock settings this upload asks for. */
function sameSettings(file: FileVersion, job: UploadJob): boolean {
  const wantedMode = job.plan.serverSideEncryption?.mode ?? null;
  const mode = file.serverSideEncryption?.mode ?? null;
  // B2 keeps no trace of an SSE-C key that could prove it is the same: such a file is never continued.
  if (mode !== wantedMode || mode === 'SSE-C') return false;
  const retention = file.fileRetention;
  const wanted = retentionJson(job.plan.fileRetention) ?? { mode: null, retainUntilTimestamp: null };
  if (retention && !retention.isClientAuthorizedToRead) return false;
  const held = retention?.value ?? { mode: null, retainUntilTimestamp: null };
  if ((held.mode ?? null) !== wanted.mode) return false;
  if ((held.retainUntilTimestamp?.getTime() ?? null) !== wanted.retainUntilTimestamp) return false;
  const hold = file.legalHold;
  if (hold && !hold.isClientAuthorizedToRead) return false;
  return (hold?.value ?? 'off') === (job.plan.legalHold ?? 'off');
}

/**
 * The unfinished file this upload may continue, with its finished parts, or undefined. Candidates are tried
 * newest first; the first that matches in every respect wins (b2sdk's eager matching).
 */
async function findResumable(
  job: UploadJob,
  body: BodySource,
  plan: readonly PlannedPart[],
): Promise<{ file: FileVersion; parts: Part[] } | undefined> {
  const { context, bucketId, plan: upload, options } = job;
  const call = { signal: options.signal };
  const wantedType =
    upload.contentType && upload.contentType !== 'b2/x-auto' ? upload.contentType : undefined;
  const listing = unfinishedLargeFiles(
    context.raw,
    { bucketId: async () => bucketId, namePrefix: upload.fileName },
    call,
  );
  const candidates = (await listing.toArray({ limit: TO_ARRAY_HARD_LIMIT })).reverse();
  const sha1s = new Map<number, Promise<string>>();
  const planned = new Map(plan.map((part) => [part.partNumber, part]));
  candidate: for (const file of candidates) {
    if (!file.fileId || file.fileName !== upload.fileName) continue;
    if (wantedType !== undefined && file.contentType !== wantedType) continue;
    if (!sameInfo(file.fileInfo, upload.info ?? {}) || !sameSettings(file, job)) continue;
    const done = await listParts(context.raw, { fileId: file.fileId }, call).toArray({ limit: 10_000 });
    for (const part of done) {
      const range = planned.get(part.partNumber);
      if (!range || part.contentLength !== range.end - range.start) continue candidate;
      let sha1 = sha1s.get(part.partNumber);
      if (!sha1) {
        sha1 = sha1Of(body, range);
        sha1s.set(part.partNumber, sha1);
      }
      if ((await sha1) !== part.contentSha1) continue candidate;
    }
    return { file, parts: done };
  }
  return undefined;
}

async function startLargeFile(job: UploadJob): Promise<LargeFile> {
  const { context, bucketId, plan, options } = job;
  const file = await context.raw.startLargeFile(
    {
      bucketId,
      fileName: plan.fileName,
      contentType: plan.contentType,
      fileInfo: plan.info,
      serverSideEncryption: plan.serverSideEncryption,
      fileRetention: plan.fileRetention,
      legalHold: plan.legalHold,
    },
    { signal: options.signal, headers: options.headers },
  );
  return new LargeFile(context, file, customerKeyOf(job));
}

/** A large upload from a source that can be read by range (a file, a Blob, bytes). */
export async function uploadLargeFromRanges(
  job: UploadJob,
  body: BodySource,
  size: number,
): Promise<FileVersion> {
  const plan = planParts(size, job.partSize);
  const found = job.plan.resume ? await findResumable(job, body, plan) : undefined;
  const large = found ? new LargeFile(job.context, found.file) : await startLargeFile(job);
  const done = new Set(found?.parts.map((part) => part.partNumber));
  return runLargeUpload(job, large, async () => {
    for (const part of found?.parts ?? []) {
      large.adopt(part);
      job.progress.add(part.contentLength);
    }
    await mapConcurrent(
      plan.filter((range) => !done.has(range.partNumber)),
      job.plan.concurrency ?? job.context.concurrency,
      (range, _i, signal) =>
        large.upload(
          range.partNumber,
          () => body.open({ start: range.start, end: range.end }),
          range.end - range.start,
          {
            ...job.options,
            signal,
            replayable: body.replayable,
            onBytes: (n) => job.progress.add(n),
          },
        ),
      { signal: job.options.signal },
    );
  });
}

/**
 * A large upload from parts cut out of a stream as it arrives (each held in memory while it uploads, so it
 * can be re-sent). Its parts cannot be checked against an unfinished file before they are read, so it
 * always starts a new one.
 */
export async function uploadLargeFromChunks(
  job: UploadJob,
  chunks: AsyncIterable<Uint8Array>,
): Promise<FileVersion> {
  const large = await startLargeFile(job);
  return runLargeUpload(job, large, () =>
    mapConcurrent(
      chunks,
      job.plan.concurrency ?? job.context.concurrency,
      (bytes, index, signal) =>
        large.upload(index + 1, async () => new Blob([bytes]).stream(), bytes.byteLength, {
          ...job.options,
          signal,
          replayable: true,
          onBytes: (n) => job.progress.add(n),
        }),
      { signal: job.options.signal },
    ).then(() => undefined),
  );
}

async function runLargeUpload(
  job: UploadJob,
  large: LargeFile,
  sendParts: () => Promise<void>,
): Promise<FileVersion> {
  try {
    await sendParts();
    return await large.finish({ signal: job.options.signal, headers: job.options.headers });
  } catch (error) {
    // Leave the parts for a later `resume`, or clean up so nothing half-made lingers (and costs storage).
    if (!job.plan.resume) await large.cancel().catch(() => {});
    throw error;
  }
}

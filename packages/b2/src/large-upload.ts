/**
 * Large files (spec §3.3.8): parts cut from a rangeable source (or from a stream as it comes), uploaded in
 * parallel, then finished; a failure cancels the file unless `resume` was asked. With `resume`, an
 * unfinished file is reused only when it is provably the same upload, as b2sdk decides: same name, content
 * type, file info, encryption and locks, every finished part of the planned size and of the SHA-1 of that
 * range of the source. Anything else starts a new large file.
 */
import { createHash } from 'node:crypto';
import {
  type BodySource,
  type CallOptions,
  InvalidInputError,
  mapConcurrent,
  progressReporter,
} from '@mediaferry/core';
import type { LargeFile, LargeFileApi } from './large-file.js';
import type { FileVersion, Part } from './models.js';
import { type UploadOptions, uploadPart } from './uploads.js';

/** What a large upload needs from the client. */
export interface LargeUploadApi extends LargeFileApi {
  startLargeFile(bucketId: string, fileName: string, options: UploadOptions): Promise<LargeFile>;
  /** Wraps an unfinished file found by a listing. */
  adoptLargeFile(file: FileVersion, options: CallOptions): Promise<LargeFile>;
  listUnfinished(bucketId: string, fileName: string, options: CallOptions): Promise<FileVersion[]>;
  listParts(fileId: string, options: CallOptions): Promise<Part[]>;
}

interface PlannedPart {
  readonly partNumber: number;
  readonly start: number;
  readonly end: number;
}

type PartSender = (large: LargeFile, onBytes: (n: number) => void) => Promise<unknown>;

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

/** Settings of a file version this client never asks for (encryption, retention, legal hold) must be unset. */
function hasUnrequestedSettings(file: FileVersion): boolean {
  const record = file as Record<string, unknown>;
  const mode = (record.serverSideEncryption as { mode?: unknown } | null | undefined)?.mode;
  if (mode !== undefined && mode !== null && mode !== 'none') return true;
  const retention = (record.fileRetention as { value?: { mode?: unknown } | null } | null | undefined)?.value;
  if (retention?.mode !== undefined && retention.mode !== null) return true;
  const hold = (record.legalHold as { value?: unknown } | null | undefined)?.value;
  return hold === 'on';
}

/**
 * The unfinished file this upload may continue, with its finished parts, or undefined. Candidates are tried
 * newest first; the first that matches in every respect wins (b2sdk's eager matching).
 */
async function findResumable(
  api: LargeUploadApi,
  bucketId: string,
  fileName: string,
  body: BodySource,
  plan: readonly PlannedPart[],
  options: UploadOptions,
): Promise<{ file: FileVersion; parts: Part[] } | undefined> {
  const call = { signal: options.signal };
  const wantedType =
    options.contentType && options.contentType !== 'b2/x-auto' ? options.contentType : undefined;
  const candidates = (await api.listUnfinished(bucketId, fileName, call)).reverse();
  const sha1s = new Map<number, Promise<string>>();
  const planned = new Map(plan.map((part) => [part.partNumber, part]));
  candidate: for (const file of candidates) {
    if (!file.fileId || file.fileName !== fileName) continue;
    if (wantedType !== undefined && file.contentType !== wantedType) continue;
    if (!sameInfo(file.fileInfo, options.info ?? {})) continue;
    if (hasUnrequestedSettings(file)) continue;
    const parts = await api.listParts(file.fileId, call);
    for (const part of parts) {
      const range = planned.get(part.partNumber);
      if (!range || part.contentLength !== range.end - range.start) continue candidate;
      let sha1 = sha1s.get(part.partNumber);
      if (!sha1) {
        sha1 = sha1Of(body, range);
        sha1s.set(part.partNumber, sha1);
      }
      if ((await sha1) !== part.contentSha1) continue candidate;
    }
    return { file, parts };
  }
  return undefined;
}

/** A large upload from a source that can be read by range (a file, a Blob, bytes). */
export async function uploadLargeFromRanges(
  api: LargeUploadApi,
  bucketId: string,
  fileName: string,
  body: BodySource,
  size: number,
  partSize: number,
  options: UploadOptions,
): Promise<FileVersion> {
  const plan = planParts(size, partSize);
  const found = options.resume
    ? await findResumable(api, bucketId, fileName, body, plan, options)
    : undefined;
  const large = found
    ? await api.adoptLargeFile(found.file, { signal: options.signal })
    : await api.startLargeFile(bucketId, fileName, options);
  const done = new Set(found?.parts.map((part) => part.partNumber));
  return runLargeUpload(api, large, size, options, async (file, onBytes) => {
    for (const part of found?.parts ?? []) {
      file.adopt(part);
      onBytes(part.contentLength);
    }
    await mapConcurrent(
      plan.filter((range) => !done.has(range.partNumber)),
      options.concurrency ?? 4,
      async (range, _i, partSignal) =>
        file.adopt(
          await uploadPart(
            api.upload,
            file.id,
            range.partNumber,
            () => body.open({ start: range.start, end: range.end }),
            range.end - range.start,
            { ...options, signal: partSignal, replayable: body.replayable, onBytes },
          ),
        ),
      { signal: options.signal },
    );
  });
}

/**
 * A large upload from parts cut out of a stream as it arrives (held in memory, so each can be re-sent). Its
 * parts cannot be checked against an unfinished file before they are read, so it always starts a new one.
 */
export async function uploadLargeFromChunks(
  api: LargeUploadApi,
  bucketId: string,
  fileName: string,
  chunks: AsyncIterable<Uint8Array>,
  options: UploadOptions,
): Promise<FileVersion> {
  const large = await api.startLargeFile(bucketId, fileName, options);
  return runLargeUpload(api, large, undefined, options, (file, onBytes) =>
    mapConcurrent(
      chunks,
      options.concurrency ?? 4,
      async (bytes, index, partSignal) =>
        file.adopt(
          await uploadPart(
            api.upload,
            file.id,
            index + 1,
            async () => new Blob([bytes]).stream(),
            bytes.byteLength,
            { ...options, signal: partSignal, replayable: true, onBytes },
          ),
        ),
      { signal: options.signal },
    ),
  );
}

async function runLargeUpload(
  _api: LargeUploadApi,
  large: LargeFile,
  size: number | undefined,
  options: UploadOptions,
  sendParts: PartSender,
): Promise<FileVersion> {
  const { signal } = options;
  const progress = progressReporter(options.onProgress, size);
  try {
    await sendParts(large, (n) => progress.add(n));
    return await large.finish(signal ? { signal } : {});
  } catch (error) {
    // Leave the parts for a later `resume`, or clean up so nothing half-made lingers (and costs storage).
    if (!options.resume) await large.cancel().catch(() => {});
    throw error;
  }
}

/**
 * curl as the reference B2 client: each request its own curl process (timed whole, peak RSS measured), as a
 * shell script would do it. curl is handed the SHA-1s B2 requires (computed before its clock starts), so its
 * figures are the transfer alone: a ceiling, not a peer that also hashes.
 */
import { join } from 'node:path';
import type { RawB2 } from './b2-raw.js';
import { type SourceFile, writeRange } from './files.js';
import { lastJsonLine, measureProcess, type ProcessResult } from './process.js';

const CURL = ['--silent', '--show-error', '--fail'];

/** A sequence of processes timed as one: wall time over all of them, the largest peak RSS of any one. */
export interface SequenceResult {
  readonly ms: number;
  /** Peak RSS of the largest single curl process, bytes. */
  readonly peakRss: number;
  readonly processes: number;
}

async function curlJson<T>(raw: RawB2, name: string, body: unknown, seen: ProcessResult[]): Promise<T> {
  const result = await measureProcess('curl', [
    ...CURL,
    '-X',
    'POST',
    '-H',
    `Authorization: ${raw.auth.authorizationToken}`,
    '--data-binary',
    JSON.stringify(body),
    `${raw.auth.apiUrl}/b2api/v3/${name}`,
  ]);
  seen.push(result);
  return lastJsonLine<T>(result.stdout);
}

function summary(started: number, seen: readonly ProcessResult[]): SequenceResult {
  return {
    ms: performance.now() - started,
    peakRss: Math.max(...seen.map((r) => r.peakRss)),
    processes: seen.length,
  };
}

function uploadArgs(url: string, token: string, headers: Record<string, string>, file: string): string[] {
  const args = [...CURL, '-o', '/dev/null', '-X', 'POST', '-H', `Authorization: ${token}`];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  // -T streams the file from disk (--data-binary would read it all into memory first).
  args.push('-T', file, url);
  return args;
}

/** `b2_get_upload_url` then one `b2_upload_file` POST of the whole file. */
export async function curlUploadStream(
  raw: RawB2,
  bucketId: string,
  source: SourceFile,
  fileName: string,
): Promise<SequenceResult> {
  const seen: ProcessResult[] = [];
  const started = performance.now();
  const target = await curlJson<{ uploadUrl: string; authorizationToken: string }>(
    raw,
    'b2_get_upload_url',
    { bucketId },
    seen,
  );
  seen.push(
    await measureProcess(
      'curl',
      uploadArgs(
        target.uploadUrl,
        target.authorizationToken,
        {
          'X-Bz-File-Name': encodeURIComponent(fileName),
          'Content-Type': 'b2/x-auto',
          'X-Bz-Content-Sha1': source.sha1,
          'Content-Length': String(source.size),
        },
        source.path,
      ),
    ),
  );
  return summary(started, seen);
}

/** A large-file layout split to disk in advance: one file per part, with its SHA-1. */
export interface SplitParts {
  readonly files: readonly string[];
  readonly sizes: readonly number[];
  readonly sha1s: readonly string[];
}

/** Splits the source into part files of the given sizes (untimed preparation, as `split -b` would). */
export async function splitParts(
  source: SourceFile,
  sizes: readonly number[],
  dir: string,
): Promise<SplitParts> {
  const files: string[] = [];
  const sha1s: string[] = [];
  let offset = 0;
  for (const [index, size] of sizes.entries()) {
    const file = join(dir, `part-${index + 1}.bin`);
    await writeRange(source.path, offset, offset + size, file);
    sha1s.push(await source.rangeSha1(offset, offset + size));
    files.push(file);
    offset += size;
  }
  if (offset !== source.size) throw new Error(`part sizes add up to ${offset}, not ${source.size}`);
  return { files, sizes, sha1s };
}

/**
 * A large file the way B2 documents it: `b2_start_large_file`, one `b2_get_upload_part_url` per worker,
 * `parallel` curl processes uploading parts (each worker with its own URL), `b2_finish_large_file`.
 */
export async function curlUploadParts(
  raw: RawB2,
  bucketId: string,
  fileName: string,
  parts: SplitParts,
  parallel: number,
): Promise<SequenceResult> {
  const seen: ProcessResult[] = [];
  const started = performance.now();
  const { fileId } = await curlJson<{ fileId: string }>(
    raw,
    'b2_start_large_file',
    { bucketId, fileName, contentType: 'b2/x-auto' },
    seen,
  );
  const workers = Math.min(parallel, parts.files.length);
  const urls = await Promise.all(
    Array.from({ length: workers }, () =>
      curlJson<{ uploadUrl: string; authorizationToken: string }>(
        raw,
        'b2_get_upload_part_url',
        { fileId },
        seen,
      ),
    ),
  );
  let next = 0;
  await Promise.all(
    urls.map(async (target) => {
      for (let index = next++; index < parts.files.length; index = next++) {
        seen.push(
          await measureProcess(
            'curl',
            uploadArgs(
              target.uploadUrl,
              target.authorizationToken,
              {
                'X-Bz-Part-Number': String(index + 1),
                'X-Bz-Content-Sha1': parts.sha1s[index]!,
                'Content-Length': String(parts.sizes[index]),
              },
              parts.files[index]!,
            ),
          ),
        );
      }
    }),
  );
  await curlJson(raw, 'b2_finish_large_file', { fileId, partSha1Array: parts.sha1s }, seen);
  return summary(started, seen);
}

/**
 * One authorized GET of a file by name, to a file or to /dev/null. With `fsync`, the file is then flushed to
 * disk (coreutils `sync FILE`), timed with the GET: what a download costs that is on disk when it says it is
 * done, as mediaferry's is before its rename. For reading: the target is against curl → file, whose
 * bytes are still in the page cache when it exits.
 */
export async function curlDownload(
  raw: RawB2,
  bucketName: string,
  fileName: string,
  dest: string,
  options: { fsync?: boolean } = {},
): Promise<SequenceResult> {
  const started = performance.now();
  const seen = [
    await measureProcess('curl', [
      ...CURL,
      '-o',
      dest,
      '-H',
      `Authorization: ${raw.auth.authorizationToken}`,
      raw.fileUrl(bucketName, fileName),
    ]),
  ];
  // No flush of the whole disk before it: that would be timed too, and write out more than curl's file.
  if (options.fsync) seen.push(await measureProcess('sync', [dest], { flushFirst: false }));
  return summary(started, seen);
}

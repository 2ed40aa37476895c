import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { FileVersion, SavedB2File } from '@mediaferry/b2';
import { fromPath } from '@mediaferry/core';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { formatBytes, info, print, printJson, table } from '../output.js';
import { transferProgress } from '../progress/index.js';
import { connect, withRuntime } from '../runtime.js';
import { b2Client, bucketIdOf } from '../services/b2.js';
import { modifiedOf, sha1Of } from '../services/b2-copy.js';
import { restoreModified } from '../services/b2-dates.js';

/** `b2://bucket/name` or `bucket/name` → bucket and name. */
function splitPath(text: string): { bucket: string; name: string } {
  const rest = text.replace(/^b2:\/\//, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) throw new UsageError(`expected b2://bucket/path, got ${text}`);
  return { bucket: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

async function client(command: Command, runtime: Parameters<Parameters<typeof withRuntime>[1]>[0]) {
  const { connection } = await connect('b2', command, runtime);
  return b2Client(connection, runtime);
}

export async function b2Buckets(command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const buckets = await (await client(command, runtime)).buckets
      .list({}, { signal: runtime.signal })
      .toArray({ limit: 10_000 });
    if (runtime.output.json)
      return printJson(buckets.map((b) => ({ name: b.bucketName, id: b.bucketId, type: b.bucketType })));
    print(
      table(
        ['bucket', 'type', 'id'],
        buckets.map((b) => [b.bucketName, String(b.bucketType), b.bucketId]),
      ),
    );
  });
}

export async function b2Ls(
  path: string,
  options: { recursive?: boolean; versions?: boolean; long?: boolean },
  command: Command,
): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const bare = path.replace(/^b2:\/\//, '');
    const { bucket, name } = bare.includes('/') ? splitPath(bare) : { bucket: bare, name: '' };
    const b2 = await client(command, runtime);
    const bucketId = await bucketIdOf(b2, bucket, runtime.signal);
    const call = { signal: runtime.signal };
    const listing = options.versions
      ? b2.files.listVersions({ bucketId, prefix: name }, call)
      : b2.files.list({ bucketId, prefix: name, ...(options.recursive ? {} : { delimiter: '/' }) }, call);
    const files = await listing.toArray({ limit: 100_000 });
    if (runtime.output.json) {
      return printJson(
        files.map((f) => ({
          name: f.fileName,
          size: f.contentLength,
          action: f.action,
          id: f.fileId,
          sha1: f.contentSha1,
          uploaded: f.uploadTimestamp,
          ...(modifiedOf(f) === undefined ? {} : { modified: new Date(modifiedOf(f)!) }),
        })),
      );
    }
    const long = options.long ?? false;
    print(
      table(
        [
          'name',
          'size',
          long ? 'modified' : 'uploaded',
          ...(long ? ['sha1'] : []),
          ...(options.versions ? ['action'] : []),
        ],
        files.map((f) => [
          f.fileName,
          f.action === 'folder' ? '-' : long ? String(f.contentLength) : formatBytes(f.contentLength),
          f.action === 'folder'
            ? ''
            : new Date((long ? modifiedOf(f) : undefined) ?? f.uploadTimestamp.getTime()).toISOString(),
          ...(long ? [f.action === 'folder' ? '' : (sha1Of(f) ?? '-')] : []),
          ...(options.versions ? [String(f.action)] : []),
        ]),
      ),
    );
  });
}

export async function b2Upload(
  file: string,
  target: string,
  options: { jobs: string; contentType?: string },
  command: Command,
): Promise<void> {
  const concurrency = Number(options.jobs);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('-j/--jobs must be a positive integer');
  await withRuntime(command, async (runtime) => {
    const { bucket, name } = splitPath(
      target.endsWith('/') || !target.replace(/^b2:\/\//, '').includes('/')
        ? `${target.replace(/\/?$/, '/')}${basename(file)}`
        : target,
    );
    const info0 = await stat(file).catch(() => undefined);
    if (!info0?.isFile()) throw new UsageError(`${file} is not a file`);
    const b2 = await client(command, runtime);
    const bucketId = await bucketIdOf(b2, bucket, runtime.signal);
    const progress = transferProgress(runtime.output, basename(file), info0.size);
    let uploaded: FileVersion;
    try {
      const upload = b2.files.upload(
        {
          bucketId,
          fileName: name,
          source: fromPath(file),
          concurrency,
          onProgress: progress.onProgress,
          // Kept like a copy keeps it: a later `copy`/`sync` compares it, a download restores it.
          info: { src_last_modified_millis: String(Math.round(info0.mtimeMs)) },
          ...(options.contentType ? { contentType: options.contentType } : {}),
        },
        { signal: runtime.signal },
      );
      uploaded = await upload.done();
    } finally {
      progress.stop();
    }
    if (runtime.output.json)
      return printJson({
        name: uploaded.fileName,
        id: uploaded.fileId,
        size: uploaded.contentLength,
        sha1: uploaded.contentSha1,
      });
    info(
      runtime.output,
      `uploaded ${file} → b2://${bucket}/${uploaded.fileName} (${formatBytes(uploaded.contentLength)}, ${uploaded.fileId})`,
    );
  });
}

export async function b2Download(
  source: string,
  dest: string,
  options: { jobs?: string },
  command: Command,
): Promise<void> {
  // Unset: the library decides (one stream, and parallel ranges for a large file while the link is the limit).
  const concurrency = options.jobs === undefined ? undefined : Number(options.jobs);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1))
    throw new UsageError('-j/--jobs must be a positive integer');
  await withRuntime(command, async (runtime) => {
    const { bucket, name } = splitPath(source);
    const target = (await stat(dest).catch(() => undefined))?.isDirectory()
      ? join(dest, basename(name))
      : dest;
    const b2 = await client(command, runtime);
    const progress = transferProgress(runtime.output, basename(name), undefined);
    let saved: SavedB2File;
    try {
      const download = b2.files.downloadToFile(
        { bucketName: bucket, fileName: name },
        target,
        { concurrency, onProgress: progress.onProgress },
        { signal: runtime.signal },
      );
      saved = await download.done();
    } finally {
      progress.stop();
    }
    await restoreModified(saved);
    if (runtime.output.json) return printJson({ path: saved.path, size: saved.size, sha1: saved.digest });
    info(
      runtime.output,
      `downloaded b2://${bucket}/${name} → ${saved.path} (${formatBytes(saved.size)}, SHA-1 verified)`,
    );
  });
}

export async function b2Rm(
  path: string,
  options: { allVersions?: boolean },
  command: Command,
): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const { bucket, name } = splitPath(path);
    const b2 = await client(command, runtime);
    const bucketId = await bucketIdOf(b2, bucket, runtime.signal);
    const versions = (
      await b2.files
        .listVersions({ bucketId, prefix: name }, { signal: runtime.signal })
        .toArray({ limit: 100_000 })
    ).filter((v) => v.fileName === name && v.fileId);
    if (versions.length === 0) throw new UsageError(`b2://${bucket}/${name} does not exist`);
    const doomed = options.allVersions ? versions : versions.slice(0, 1);
    for (const version of doomed)
      await b2.files.delete(
        { fileName: version.fileName, fileId: version.fileId! },
        { signal: runtime.signal },
      );
    if (runtime.output.json) return printJson({ deleted: doomed.map((v) => v.fileId) });
    info(runtime.output, `deleted ${doomed.length} version(s) of b2://${bucket}/${name}`);
  });
}

export async function b2Hide(path: string, command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const { bucket, name } = splitPath(path);
    const b2 = await client(command, runtime);
    const bucketId = await bucketIdOf(b2, bucket, runtime.signal);
    const marker = await b2.files.hide({ bucketId, fileName: name }, { signal: runtime.signal });
    if (runtime.output.json) return printJson({ hidden: marker.fileName, id: marker.fileId });
    info(runtime.output, `hid b2://${bucket}/${name}`);
  });
}

export async function b2Keys(command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const keys = await (await client(command, runtime)).keys
      .list({}, { signal: runtime.signal })
      .toArray({ limit: 10_000 });
    if (runtime.output.json)
      return printJson(
        keys.map((k) => ({ id: k.applicationKeyId, name: k.keyName, capabilities: k.capabilities })),
      );
    print(
      table(
        ['key id', 'name', 'capabilities'],
        keys.map((k) => [k.applicationKeyId, k.keyName, k.capabilities.join(',')]),
      ),
    );
  });
}

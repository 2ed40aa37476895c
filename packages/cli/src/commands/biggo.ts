import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { info, print, printJson, table } from '../output.js';
import { transferProgress } from '../progress/index.js';
import { connect, withRuntime } from '../runtime.js';
import { biggoClient } from '../services/biggo.js';

const ACCESS = ['public', 'private', 'unlisted'] as const;
type AccessName = (typeof ACCESS)[number];

function access(value: string | undefined): AccessName | undefined {
  if (value === undefined) return undefined;
  if (!(ACCESS as readonly string[]).includes(value))
    throw new UsageError(`--access must be one of ${ACCESS.join(', ')}`);
  return value as AccessName;
}

async function client(command: Command, runtime: Parameters<Parameters<typeof withRuntime>[1]>[0]) {
  const { connection } = await connect('biggo', command, runtime);
  return biggoClient(connection, runtime);
}

export async function biggoVideos(options: { user?: string }, command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const videos = await (await client(command, runtime)).videos
      .list({ userId: options.user ?? 'self' }, { signal: runtime.signal })
      .toArray({ limit: 100_000 });
    if (runtime.output.json)
      return printJson(
        videos.map((v) => ({
          id: v.video_id,
          title: v.title,
          access: v.access,
          processed: v.status.process_status === 13,
        })),
      );
    const names = ['public', 'private', 'unlisted'];
    print(
      table(
        ['id', 'title', 'access', 'status'],
        videos.map((v) => [
          v.video_id,
          v.title ?? '',
          names[v.access] ?? String(v.access),
          v.status.process_status === 13 ? 'ready' : 'processing',
        ]),
      ),
    );
  });
}

export async function biggoUpload(
  file: string,
  options: { title: string; description?: string; access?: string; wait?: boolean },
  command: Command,
): Promise<void> {
  const visibility = access(options.access) ?? 'private';
  await withRuntime(command, async (runtime) => {
    const biggo = await client(command, runtime);
    const size = (await stat(file).catch(() => undefined))?.size;
    if (size === undefined) throw new UsageError(`${file} is not a file`);
    const progress = transferProgress(runtime.output, basename(file), size);
    let id: string;
    try {
      const published = await biggo.videos
        .publish(
          file,
          {
            title: options.title,
            description: options.description ?? '',
            access: visibility,
            filename: basename(file),
          },
          { signal: runtime.signal, onProgress: progress.onProgress },
        )
        .done();
      id = published.video_id;
    } finally {
      progress.stop();
    }
    const video = options.wait
      ? await biggo.videos.waitUntilProcessed(id, { intervalMs: 2000 }, { signal: runtime.signal })
      : undefined;
    if (runtime.output.json) return printJson({ id, processed: video !== undefined });
    info(
      runtime.output,
      `published ${file} as BigGo video ${id} (${visibility})${video ? ', processed' : ''}`,
    );
  });
}

export async function biggoUpdate(
  id: string,
  options: { title?: string; description?: string; access?: string },
  command: Command,
): Promise<void> {
  const visibility = access(options.access);
  await withRuntime(command, async (runtime) => {
    await (await client(command, runtime)).videos.partialUpdate(
      {
        videoId: id,
        ...(options.title ? { title: options.title } : {}),
        ...(options.description ? { description: options.description } : {}),
        ...(visibility ? { access: visibility } : {}),
      },
      { signal: runtime.signal },
    );
    if (runtime.output.json) return printJson({ id, updated: true });
    info(runtime.output, `updated BigGo video ${id}`);
  });
}

export async function biggoRm(id: string, command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    await (await client(command, runtime)).videos.delete(id, { signal: runtime.signal });
    if (runtime.output.json) return printJson({ id, deleted: true });
    info(runtime.output, `deleted BigGo video ${id}`);
  });
}

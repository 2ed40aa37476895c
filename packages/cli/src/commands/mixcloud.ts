import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fromPath } from '@mediaferry/core';
import { Resource, type ResourceList, type Section } from '@mediaferry/mixcloud';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { info, print, printJson, table } from '../output.js';
import { transferProgress } from '../progress/index.js';
import { connect, withRuntime } from '../runtime.js';
import { mixcloudClient } from '../services/mixcloud.js';

async function client(command: Command, runtime: Parameters<Parameters<typeof withRuntime>[1]>[0]) {
  const { connection } = await connect('mixcloud', command, runtime);
  return mixcloudClient(connection, runtime);
}

function printList(list: ResourceList, runtime: Parameters<Parameters<typeof withRuntime>[1]>[0]): void {
  const items = list.items.filter((i): i is Resource => i instanceof Resource);
  if (runtime.output.json) {
    printJson({ name: list.name, items: items.map((i) => i.data) });
    return;
  }
  print(
    table(
      ['key', 'name', 'type'],
      items.map((i) => [i.key, String(i.get('name') ?? ''), i.type]),
    ),
  );
}

const positive = (value: string | undefined, flag: string) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be an integer ≥ 0`);
  return n;
};

/** `--section "0:Intro"` (a chapter) or `--section "95:Artist - Song"` (a track). */
export function parseSection(text: string): Section {
  const match = /^(\d+):(.+)$/.exec(text);
  if (!match) throw new UsageError(`--section must be SECONDS:Chapter or SECONDS:Artist - Song, got ${text}`);
  const [artist, song] = match[2]!.split(' - ');
  const start = Number(match[1]);
  return song === undefined
    ? { chapter: match[2]!, start_time: start }
    : { artist: artist!.trim(), song: song.trim(), start_time: start };
}

export async function mixcloudGet(key: string, command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const result = await (await client(command, runtime)).get(key, { signal: runtime.signal });
    if (result instanceof Resource) {
      if (runtime.output.json) return printJson(result.data);
      print(
        `${result.type} ${result.key}: ${String(result.get('name') ?? '')}\nconnections: ${result.connections.join(', ')}`,
      );
      return;
    }
    if ('items' in result) return printList(result as ResourceList, runtime);
    printJson(result);
  });
}

export async function mixcloudSearch(
  query: string,
  options: { type: string; limit?: string; offset?: string },
  command: Command,
): Promise<void> {
  if (!['cloudcast', 'user', 'tag'].includes(options.type))
    throw new UsageError('--type must be cloudcast, user or tag');
  const limit = positive(options.limit, '--limit');
  const offset = positive(options.offset, '--offset');
  await withRuntime(command, async (runtime) => {
    const list = await (await client(command, runtime)).search(query, {
      type: options.type as 'cloudcast',
      signal: runtime.signal,
      ...(limit === undefined ? {} : { limit }),
      ...(offset === undefined ? {} : { offset }),
    });
    printList(list, runtime);
  });
}

export async function mixcloudPopular(
  options: { limit?: string; offset?: string },
  command: Command,
): Promise<void> {
  const limit = positive(options.limit, '--limit');
  const offset = positive(options.offset, '--offset');
  await withRuntime(command, async (runtime) => {
    printList(
      await (await client(command, runtime)).popular(
        { ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) },
        { signal: runtime.signal },
      ),
      runtime,
    );
  });
}

interface UploadFlags {
  name?: string;
  description?: string;
  tag?: string[];
  section?: string[];
  picture?: string;
  unlisted?: boolean;
}

function fields(options: UploadFlags) {
  return {
    ...(options.description ? { description: options.description } : {}),
    ...(options.tag ? { tags: options.tag } : {}),
    ...(options.section ? { sections: options.section.map(parseSection) } : {}),
    ...(options.picture ? { picture: fromPath(options.picture) } : {}),
    ...(options.unlisted ? { unlisted: true } : {}),
  };
}

export async function mixcloudUpload(
  file: string,
  options: UploadFlags & { name: string },
  command: Command,
): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const mixcloud = await client(command, runtime);
    const size = (await stat(file).catch(() => undefined))?.size;
    const progress = transferProgress(runtime.output, basename(file), size);
    let result: Awaited<ReturnType<typeof mixcloud.upload>>;
    try {
      result = await mixcloud.upload(fromPath(file), options.name, {
        ...fields(options),
        signal: runtime.signal,
        filename: basename(file),
        onProgress: progress.onProgress,
      });
    } finally {
      progress.stop();
    }
    if (runtime.output.json) return printJson(result);
    info(runtime.output, `uploaded ${file} → ${result.key ?? '(no key)'}: ${result.message}`);
  });
}

export async function mixcloudEdit(key: string, options: UploadFlags, command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const result = await (await client(command, runtime)).edit(key, {
      ...fields(options),
      ...(options.name ? { name: options.name } : {}),
      signal: runtime.signal,
    });
    if (runtime.output.json) return printJson(result);
    info(runtime.output, `edited ${key}: ${result.message}`);
  });
}

export async function mixcloudAction(
  action:
    | 'follow'
    | 'unfollow'
    | 'favorite'
    | 'unfavorite'
    | 'repost'
    | 'unrepost'
    | 'listenLater'
    | 'unlistenLater',
  key: string,
  command: Command,
): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const result = await (await client(command, runtime))[action](key, { signal: runtime.signal });
    if (runtime.output.json) return printJson(result);
    info(runtime.output, result.message);
  });
}

import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MixcloudObject, Section } from '@mediaferry/mixcloud';
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

function printList(
  name: string | undefined,
  items: readonly MixcloudObject[],
  runtime: Parameters<Parameters<typeof withRuntime>[1]>[0],
): void {
  if (runtime.output.json) {
    printJson({ name, items });
    return;
  }
  print(
    table(
      ['key', 'name', 'type'],
      items.map((i) => [i.key ?? '', typeof i.name === 'string' ? i.name : '', i.type]),
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
    const found = await (await client(command, runtime)).objects.find(key, { signal: runtime.signal });
    if (found.list) return printList(found.list.name, found.list.data, runtime);
    const object = found.object;
    if (runtime.output.json) return printJson(object);
    const connections = Object.keys(object.metadata?.connections ?? {});
    print(
      `${object.type} ${object.key ?? ''}: ${typeof object.name === 'string' ? object.name : ''}\nconnections: ${connections.join(', ')}`,
    );
  });
}

export async function mixcloudSearch(
  query: string,
  options: { type: string; limit?: string; offset?: string },
  command: Command,
): Promise<void> {
  const type = options.type;
  if (type !== 'cloudcast' && type !== 'user' && type !== 'tag')
    throw new UsageError('--type must be cloudcast, user or tag');
  const pageSize = positive(options.limit, '--limit');
  const offset = positive(options.offset, '--offset');
  await withRuntime(command, async (runtime) => {
    const page = await (await client(command, runtime)).search(
      { query, type, pageSize, offset },
      { signal: runtime.signal },
    );
    printList((page.raw as { name?: string } | undefined)?.name, page.items, runtime);
  });
}

export async function mixcloudPopular(
  options: { limit?: string; offset?: string },
  command: Command,
): Promise<void> {
  const pageSize = positive(options.limit, '--limit');
  const offset = positive(options.offset, '--offset');
  await withRuntime(command, async (runtime) => {
    const page = await (await client(command, runtime)).discover.popular(
      { pageSize, offset },
      { signal: runtime.signal },
    );
    printList((page.raw as { name?: string } | undefined)?.name, page.items, runtime);
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
    ...(options.picture ? { picture: options.picture } : {}),
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
    const result = await mixcloud.cloudcasts
      .upload(
        { mp3: file, name: options.name, ...fields(options), onProgress: progress.onProgress },
        { signal: runtime.signal },
      )
      .done()
      .finally(() => progress.stop());
    if (runtime.output.json) return printJson(result);
    info(runtime.output, `uploaded ${file} → ${result.key ?? '(no key)'}: ${result.message}`);
  });
}

export async function mixcloudEdit(key: string, options: UploadFlags, command: Command): Promise<void> {
  await withRuntime(command, async (runtime) => {
    const mixcloud = await client(command, runtime);
    // A bare slug is one of yours.
    const trimmed = key.replace(/^\/+|\/+$/g, '');
    const cloudcast = trimmed.includes('/')
      ? trimmed
      : `${(await mixcloud.users.me({ signal: runtime.signal })).username}/${trimmed}`;
    const result = await mixcloud.cloudcasts.edit(
      { cloudcast, ...fields(options), ...(options.name ? { name: options.name } : {}) },
      { signal: runtime.signal },
    );
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
    const mixcloud = await client(command, runtime);
    const call = { signal: runtime.signal };
    const result =
      action === 'follow' || action === 'unfollow'
        ? await mixcloud.users[action](key, call)
        : await mixcloud.cloudcasts[action](key, call);
    if (runtime.output.json) return printJson(result);
    info(runtime.output, result.message);
  });
}

/**
 * What the web console shows of the B2 emulator: buckets → file names → versions (size, SHA-1, info,
 * lock/retention), unfinished large files and their parts, keys (never their secrets). Deleting or hiding
 * goes through the B2 API itself, with the master key, so every rule the API enforces still holds.
 */
import {
  ConsoleActionError,
  type ConsoleCell,
  type ConsoleNode,
  type ConsolePage,
  formatBytes,
  isoCell,
  monoCell,
  type ServiceConsole,
  sizeCell,
} from '../framework/index.js';
import type { B2Ctx } from './auth.js';
import type { B2Bucket, B2FileVersion, B2State } from './model.js';
import type { B2EmulatorOptions } from './options.js';

/** File names a bucket page lists before it says how many more there are. */
const NAMES_SHOWN = 200;

const iso = isoCell;
const mono = monoCell;
const size = sizeCell;

function infoCell(info: Record<string, string>): ConsoleCell {
  const entries = Object.entries(info);
  if (entries.length === 0) return null;
  return { list: entries.map(([key, value]) => mono(`${key}=${value}`)) };
}

const isoText = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : '?');

/** Object Lock: the version's retention and legal hold. */
function lockCell(version: B2FileVersion): ConsoleCell {
  const parts: ConsoleCell[] = [];
  const retention = version.fileRetention;
  if (retention?.mode)
    parts.push({ badge: `${retention.mode} until ${isoText(retention.retainUntilTimestamp)}`, tone: 'warn' });
  if (version.legalHold === 'on') parts.push({ badge: 'legal hold', tone: 'warn' });
  return parts.length === 0 ? null : { list: parts };
}

const ACTION_TONE: Record<string, 'ok' | 'info' | 'warn'> = { upload: 'ok', hide: 'info', start: 'warn' };

function versionRow(version: B2FileVersion, latest: boolean): ConsoleCell[] {
  return [
    { badge: version.action, tone: ACTION_TONE[version.action] ?? 'info' },
    size(version.contentLength),
    mono(version.contentSha1),
    version.contentType,
    iso(version.uploadTimestamp),
    infoCell(version.fileInfo),
    lockCell(version),
    mono(version.fileId),
    {
      list: [
        version.blobId
          ? { download: version.blobId, name: version.fileName.split('/').pop() || 'file' }
          : null,
        latest && version.action === 'upload'
          ? { action: 'hide', target: version.fileId, label: 'Hide' }
          : null,
        {
          action: 'delete',
          target: version.fileId,
          label: 'Delete',
          confirm: `Delete this version of ${version.fileName}?`,
        },
      ],
    },
  ];
}

const VERSION_COLUMNS = [
  'Action',
  'Size',
  'SHA-1',
  'Type',
  'Uploaded',
  'Info',
  'Lock / retention',
  'File id',
  '',
];

function bucketFiles(ctx: B2Ctx, bucket: B2Bucket): ConsoleNode[] {
  const byName = new Map<string, B2FileVersion[]>();
  const unfinished: B2FileVersion[] = [];
  for (const file of Object.values(ctx.state.files)) {
    if (file.bucketId !== bucket.bucketId) continue;
    if (file.action === 'start') unfinished.push(file);
    else byName.set(file.fileName, [...(byName.get(file.fileName) ?? []), file]);
  }
  const names = [...byName.keys()].sort();
  const groups: ConsoleNode[] = names.slice(0, NAMES_SHOWN).map((name) => {
    const versions = (byName.get(name) ?? []).sort(
      (a, b) => b.uploadTimestamp - a.uploadTimestamp || (a.fileId < b.fileId ? 1 : -1),
    );
    const newest = versions[0]!;
    return {
      kind: 'group',
      title: name,
      open: names.length <= 5,
      summary: `${versions.length} version${versions.length === 1 ? '' : 's'} · ${newest.action === 'hide' ? 'hidden' : formatBytes(newest.contentLength)}`,
      children: [
        {
          kind: 'table',
          columns: VERSION_COLUMNS,
          rows: versions.map((version, index) => versionRow(version, index === 0)),
        },
      ],
    };
  });
  const nodes: ConsoleNode[] = [
    {
      kind: 'text',
      title: `Files (${names.length})`,
      text:
        names.length === 0
          ? 'No files in this bucket.'
          : `Open a name to see its versions${names.length > NAMES_SHOWN ? ` (the first ${NAMES_SHOWN} names of ${names.length} are listed)` : ''}.`,
    },
    ...groups,
  ];
  nodes.push({
    kind: 'group',
    title: `Unfinished large files (${unfinished.length})`,
    open: unfinished.length > 0,
    children: unfinished.length
      ? unfinished.map((file) => {
          const parts = Object.values(ctx.state.parts[file.fileId] ?? {}).sort(
            (a, b) => a.partNumber - b.partNumber,
          );
          return {
            kind: 'group' as const,
            title: file.fileName,
            summary: `${parts.length} part${parts.length === 1 ? '' : 's'} · ${formatBytes(parts.reduce((sum, p) => sum + p.contentLength, 0))} · started ${iso(file.uploadTimestamp)}`,
            children: [
              {
                kind: 'fields' as const,
                fields: [
                  ['File id', mono(file.fileId)],
                  ['Info', infoCell(file.fileInfo)],
                ] as const,
              },
              {
                kind: 'table' as const,
                columns: ['Part', 'Size', 'SHA-1', 'Uploaded', ''],
                rows: parts.map((part) => [
                  part.partNumber,
                  size(part.contentLength),
                  mono(part.contentSha1),
                  iso(part.uploadTimestamp),
                  { download: part.blobId, name: `${file.fileName.split('/').pop()}.part${part.partNumber}` },
                ]),
                empty: 'No part uploaded yet.',
              },
            ],
          };
        })
      : [{ kind: 'text', text: 'None.' }],
  });
  return nodes;
}

function overview(ctx: B2Ctx): ConsolePage {
  const files = Object.values(ctx.state.files);
  const buckets = Object.values(ctx.state.buckets).sort((a, b) => a.bucketName.localeCompare(b.bucketName));
  return {
    title: 'B2: buckets and keys',
    nodes: [
      { kind: 'fields', fields: [['Account id', mono(ctx.state.accountId)]] },
      {
        kind: 'table',
        title: 'Buckets',
        columns: ['Bucket', 'Type', 'Names', 'Versions', 'Bytes', 'Unfinished', 'File lock', 'Bucket id'],
        rows: buckets.map((bucket) => {
          const mine = files.filter((f) => f.bucketId === bucket.bucketId);
          const stored = mine.filter((f) => f.action !== 'start');
          return [
            { text: bucket.bucketName, at: `bucket/${bucket.bucketId}` },
            bucket.bucketType,
            new Set(stored.map((f) => f.fileName)).size,
            stored.length,
            size(stored.reduce((sum, f) => sum + f.contentLength, 0)),
            mine.length - stored.length,
            bucket.fileLockEnabled ? { badge: 'enabled', tone: 'warn' } : 'off',
            mono(bucket.bucketId),
          ];
        }),
        empty: 'No buckets.',
      },
      {
        kind: 'table',
        title: 'Application keys',
        columns: ['Name', 'Key id', 'Capabilities', 'Buckets', 'Name prefix', 'Expires'],
        rows: Object.values(ctx.state.keys).map((key) => [
          key.master ? { list: [key.keyName, { badge: 'master', tone: 'info' }] } : key.keyName,
          mono(key.applicationKeyId),
          { text: `${key.capabilities.length}`, title: key.capabilities.join(', ') },
          key.bucketIds?.map((id) => ctx.state.buckets[id]?.bucketName ?? id).join(', ') ?? 'all',
          key.namePrefix,
          iso(key.expirationTimestamp) ?? 'never',
        ]),
        note: 'Application keys (the secrets) are never shown here.',
      },
    ],
  };
}

async function api(
  call: typeof fetch,
  ctx: B2Ctx,
  name: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const master = Object.values(ctx.state.keys).find((k) => k.master);
  if (!master) throw new ConsoleActionError('the master key is gone');
  const origin = 'http://b2.console.invalid';
  const basic = Buffer.from(`${master.applicationKeyId}:${master.applicationKey}`).toString('base64');
  const auth = await call(`${origin}/b2api/v3/b2_authorize_account`, {
    headers: { authorization: `Basic ${basic}` },
  });
  const session = (await auth.json()) as { authorizationToken?: string; message?: string };
  if (!auth.ok || !session.authorizationToken)
    throw new ConsoleActionError(`b2_authorize_account: ${auth.status} ${session.message ?? ''}`);
  const response = await call(`${origin}/b2api/v3/${name}`, {
    method: 'POST',
    headers: { authorization: session.authorizationToken, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok)
    throw new ConsoleActionError(
      `${name}: ${response.status} ${String(answer.code)}: ${String(answer.message)}`,
    );
  return answer;
}

function versionOf(ctx: B2Ctx, fileId: string): B2FileVersion {
  const file = ctx.state.files[fileId];
  if (!file) throw new ConsoleActionError(`no file version ${fileId}`);
  return file;
}

export const b2Console: ServiceConsole<B2State, B2EmulatorOptions> = {
  summary(ctx) {
    const files = Object.values(ctx.state.files);
    return {
      buckets: Object.keys(ctx.state.buckets).length,
      'file versions': files.filter((f) => f.action !== 'start').length,
      'unfinished large files': files.filter((f) => f.action === 'start').length,
      keys: Object.keys(ctx.state.keys).length,
    };
  },
  view(ctx, at) {
    if (at === '') return overview(ctx);
    const bucketId = /^bucket\/(.+)$/.exec(at)?.[1];
    const bucket = bucketId === undefined ? undefined : ctx.state.buckets[bucketId];
    if (!bucket) return undefined;
    return {
      title: `Bucket ${bucket.bucketName}`,
      trail: [['B2', '']],
      nodes: [
        {
          kind: 'fields',
          fields: [
            ['Bucket id', mono(bucket.bucketId)],
            ['Type', bucket.bucketType],
            ['Bucket info', infoCell(bucket.bucketInfo)],
            ['Lifecycle rules', bucket.lifecycleRules.length],
            ['Default encryption', bucket.defaultServerSideEncryption.mode ?? 'none'],
            ['File lock', bucket.fileLockEnabled],
            [
              'Default retention',
              bucket.defaultRetention?.mode && bucket.defaultRetention.period
                ? `${bucket.defaultRetention.mode}, ${bucket.defaultRetention.period.duration} ${bucket.defaultRetention.period.unit}`
                : 'none',
            ],
          ],
        },
        ...bucketFiles(ctx, bucket),
      ],
    };
  },
  actions: {
    async delete(ctx, fileId, call) {
      const file = versionOf(ctx, fileId);
      await api(call, ctx, 'b2_delete_file_version', { fileId, fileName: file.fileName });
      return `deleted version ${fileId} of ${file.fileName}`;
    },
    async hide(ctx, fileId, call) {
      const file = versionOf(ctx, fileId);
      await api(call, ctx, 'b2_hide_file', { bucketId: file.bucketId, fileName: file.fileName });
      return `hid ${file.fileName}`;
    },
  },
};

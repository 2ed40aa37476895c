/**
 * The kill-9 loop: `mediaferry emulator --data DIR` takes uploads from several clients at once and is
 * killed with SIGKILL mid-stream, again and again. Every upload it answered 200 must be there after the
 * restart, byte for byte; nothing it never acknowledged may have left debris (orphan blobs, temp files).
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLine, isolatedEnv, start } from './support/cli.js';

const CYCLES = 5;
const WORKERS = 6;

/** Deterministic bytes for a file name: nothing to keep in memory to check them later. */
function content(name: string): Buffer {
  const seed = createHash('sha256').update(name).digest();
  const size = 1 + (seed.readUInt32BE(0) % (96 * 1024));
  const out = Buffer.alloc(size);
  let block = seed;
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

interface Running {
  child: ChildProcess;
  url: string;
  keyId: string;
  key: string;
}

async function launch(data: string, env: NodeJS.ProcessEnv): Promise<Running> {
  const child = start(['emulator', '--json', '--port', '0', '--services', 'b2', '--data', data], env);
  const endpoints = JSON.parse(await firstLine(child)) as { b2: { url: string; keyId: string; key: string } };
  return { child, ...endpoints.b2 };
}

async function session(server: Running) {
  const basic = Buffer.from(`${server.keyId}:${server.key}`).toString('base64');
  const auth = (await (
    await fetch(`${server.url}/b2api/v3/b2_authorize_account`, {
      headers: { authorization: `Basic ${basic}` },
    })
  ).json()) as { authorizationToken: string; accountId: string };
  const call = async <T>(name: string, body: unknown): Promise<T> => {
    const response = await fetch(`${server.url}/b2api/v3/${name}`, {
      method: 'POST',
      headers: { authorization: auth.authorizationToken },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${name}: ${response.status}`);
    return (await response.json()) as T;
  };
  const { buckets } = await call<{ buckets: Array<{ bucketId: string; bucketName: string }> }>(
    'b2_list_buckets',
    { accountId: auth.accountId },
  );
  const bucketId = buckets.find((b) => b.bucketName === 'mediaferry-demo')!.bucketId;
  const names = async () => {
    const all: string[] = [];
    let startFileName: string | null = '';
    while (startFileName !== null) {
      const page: { files: Array<{ fileName: string }>; nextFileName: string | null } = await call(
        'b2_list_file_names',
        { bucketId, startFileName: startFileName || undefined, maxFileCount: 1000 },
      );
      all.push(...page.files.map((f) => f.fileName));
      startFileName = page.nextFileName;
    }
    return all;
  };
  return { auth, call, bucketId, names };
}

describe('mediaferry emulator --data under SIGKILL', () => {
  it('keeps every acknowledged upload, byte for byte, across a kill-9 loop', async () => {
    const env = await isolatedEnv();
    const data = await mkdtemp(join(env.HOME!, 'kill9-'));
    const acknowledged: string[] = [];
    let attempted = 0;

    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const server = await launch(data, env);
      const b2 = await session(server);
      // What earlier cycles were told is stored must still be listed before anything new is written.
      const listed = new Set(await b2.names());
      expect(acknowledged.filter((name) => !listed.has(name))).toEqual([]);

      let killed = false;
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      const worker = async (w: number) => {
        const target = await b2
          .call<{ uploadUrl: string; authorizationToken: string }>('b2_get_upload_url', {
            bucketId: b2.bucketId,
          })
          .catch(() => undefined);
        for (let n = 0; target && !killed; n += 1) {
          const name = `kill9/c${cycle}/w${w}/f${n}.bin`;
          const bytes = content(name);
          attempted += 1;
          const response = await fetch(target.uploadUrl, {
            method: 'POST',
            headers: {
              authorization: target.authorizationToken,
              'x-bz-file-name': name,
              'content-type': 'application/octet-stream',
              'content-length': String(bytes.length),
              'x-bz-content-sha1': sha1(bytes),
            },
            body: bytes,
          }).catch(() => undefined);
          if (response?.status === 200) acknowledged.push(name);
          await response?.arrayBuffer().catch(() => {});
          if (!response) return;
        }
      };
      let active = WORKERS;
      const workers = Array.from({ length: WORKERS }, (_, w) =>
        worker(w).finally(() => {
          active -= 1;
        }),
      );
      // Let the load build up (a different amount each cycle), then pull the plug while uploads are in flight.
      const target = acknowledged.length + 10 + cycle * 7;
      while (acknowledged.length < target && active > 0) await new Promise((r) => setTimeout(r, 5));
      expect(active).toBe(WORKERS);
      killed = true;
      server.child.kill('SIGKILL');
      await exited;
      await Promise.all(workers);
    }

    const server = await launch(data, env);
    try {
      const b2 = await session(server);
      const listed = new Set(await b2.names());
      let found = 0;
      for (const name of acknowledged) {
        if (!listed.has(name)) continue;
        const response = await fetch(`${server.url}/file/mediaferry-demo/${name}`, {
          headers: { authorization: b2.auth.authorizationToken },
        });
        if (response.status === 200 && Buffer.from(await response.arrayBuffer()).equals(content(name)))
          found += 1;
      }
      console.log(
        `kill-9 loop: ${CYCLES} SIGKILLs under ${WORKERS} concurrent uploaders; ${attempted} uploads sent, ` +
          `${acknowledged.length} acknowledged, ${found} found after restart byte for byte`,
      );
      expect(found).toBe(acknowledged.length);
      expect(acknowledged.length).toBeGreaterThan(0);

      // No debris: every blob file is referenced by the state, and no temporary file is left.
      const dir = join(data, 'b2');
      const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as {
        blobs: Array<{ id: string; kind: string }>;
      };
      const referenced = state.blobs
        .filter((b) => b.kind === 'stored')
        .map((b) => b.id)
        .sort();
      expect((await readdir(join(dir, 'blobs'))).sort()).toEqual(referenced);
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
    }
  }, 180_000);
});

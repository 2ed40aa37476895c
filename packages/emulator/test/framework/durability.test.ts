import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BlobStore,
  createEmulator,
  DataDirBusyError,
  DataDirError,
  type Emulator,
  IdGenerator,
  LOCK_FILE,
  probeService,
} from '../../src/index.js';

const ORIGIN = 'http://probe.test';
const basic = `Basic ${Buffer.from('probe-client:probe-secret').toString('base64')}`;
const open: Emulator[] = [];
afterEach(async () => {
  for (const emulator of open.splice(0)) await emulator.close();
});

function probe(data: string) {
  const emulator = createEmulator(probeService, { data }) as Emulator;
  open.push(emulator);
  return emulator;
}

async function issue(emulator: Emulator): Promise<string> {
  const response = await emulator.fetch(`${ORIGIN}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

const savedTokens = async (data: string) =>
  Object.keys(
    (JSON.parse(await readFile(join(data, 'probe', 'state.json'), 'utf8')) as { state: { tokens: object } })
      .state.tokens,
  );

describe('--data: an answered write is durable', () => {
  it('has the state on disk when the answer arrives, not some time later', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-durable-'));
    const emulator = probe(data);
    for (let i = 0; i < 5; i += 1) {
      const token = await issue(emulator);
      // Read at once: no timer, no close.
      expect(await savedTokens(data)).toContain(token);
    }
  });

  it('keeps every one of many concurrent writes (they share commits)', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-durable-'));
    const emulator = probe(data);
    const tokens = await Promise.all(Array.from({ length: 40 }, () => issue(emulator)));
    expect((await savedTokens(data)).sort()).toEqual([...tokens].sort());
  });

  it('creates state and blob files 0600 in 0700 directories', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-durable-'));
    const emulator = probe(data);
    await emulator.ready;
    await emulator.context.blobs.putBytes('secret bytes');
    await issue(emulator);
    const mode = async (path: string) => (await stat(path)).mode & 0o777;
    expect(await mode(join(data, 'probe'))).toBe(0o700);
    expect(await mode(join(data, 'probe', 'blobs'))).toBe(0o700);
    expect(await mode(join(data, 'probe', 'state.json'))).toBe(0o600);
    expect(await mode(join(data, 'probe', LOCK_FILE))).toBe(0o600);
    for (const name of await readdir(join(data, 'probe', 'blobs')))
      expect(await mode(join(data, 'probe', 'blobs', name))).toBe(0o600);
  });

  it('removes orphan blobs and temporary files at start, keeping every blob the state references', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-durable-'));
    const first = probe(data);
    await first.ready;
    const kept = await first.context.blobs.putBytes('referenced');
    await issue(first); // commits, with the blob record
    await first.close();
    open.splice(0);
    const dir = join(data, 'probe');
    // What a SIGKILL can leave: a blob written for a request whose state never got committed, a half state file.
    await writeFile(join(dir, 'blobs', 'blob_orphan'), 'never committed');
    await writeFile(join(dir, 'state.json.123-4.tmp'), '{"half":');
    const second = probe(data);
    await second.ready;
    expect(await readdir(join(dir, 'blobs'))).toEqual([kept.id]);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(await new Response(second.context.blobs.read(kept.id)).text()).toBe('referenced');
  });

  it('keeps a deleted blob file until the state that forgets it is committed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mf-blobs-'));
    const blobs = new BlobStore(new IdGenerator('d'), dir);
    const blob = await blobs.putBytes('still referenced by the last commit');
    await blobs.delete(blob.id);
    expect(await readdir(dir)).toEqual([blob.id]);
    await blobs.prepareCommit();
    blobs.commitFailed();
    expect(await readdir(dir)).toEqual([blob.id]);
    await blobs.prepareCommit();
    await blobs.committed();
    expect(await readdir(dir)).toEqual([]);
  });

  it('leaves no blob file behind a request that stored and dropped one', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-durable-'));
    const emulator = probe(data);
    await emulator.ready;
    // The echo endpoint stores the body as a blob, then deletes it, within one request.
    const answer = await emulator.fetch(`${ORIGIN}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: '--x\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\nabc\r\n--x--\r\n',
    });
    expect(answer.status).toBe(200);
    expect(await readdir(join(data, 'probe', 'blobs'))).toEqual([]);
  });
});

describe('--data: one process at a time', () => {
  it('refuses a second emulator on the same directory while the first runs, then lets it in', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-lock-'));
    const first = probe(data);
    await first.ready;
    const second = createEmulator(probeService, { data, lock: { command: 'second test emulator' } });
    const refused = (await second.ready.catch((error: unknown) => error)) as DataDirBusyError;
    expect(refused).toBeInstanceOf(DataDirBusyError);
    expect(refused.holder.pid).toBe(process.pid);
    expect(refused.message).toMatch(/is in use by .* \(pid \d+/);
    await second.close();
    await first.close();
    open.splice(0);
    const third = probe(data);
    await third.ready;
    expect((await third.fetch(`${ORIGIN}/items`)).status).toBe(200);
  });

  it('takes over the lock of a process that died (SIGKILL leaves its lock file behind)', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-lock-'));
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = dead.pid!;
    await new Promise((resolve) => dead.once('exit', resolve));
    await mkdir(join(data, 'probe'), { recursive: true });
    await writeFile(
      join(data, 'probe', LOCK_FILE),
      JSON.stringify({ pid, hostname: (await import('node:os')).hostname(), since: '', command: 'gone' }),
    );
    const emulator = probe(data);
    await emulator.ready;
    expect(JSON.parse(await readFile(join(data, 'probe', LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });

  it('fails at once, in one line, on a directory it cannot create', async () => {
    const emulator = createEmulator(probeService, { data: '/proc/mediaferry-no-such-dir' });
    const error = (await emulator.ready.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DataDirError);
    expect(error.message).toMatch(/^cannot keep emulator state in \/proc\/mediaferry-no-such-dir\/probe: /);
    expect(error.message).not.toContain('\n');
    await emulator.close();
    const file = join(await mkdtemp(join(tmpdir(), 'mf-lock-')), 'plain-file');
    await writeFile(file, 'x');
    const onFile = createEmulator(probeService, { data: file });
    expect(((await onFile.ready.catch((e: unknown) => e)) as Error).message).toMatch(/not a directory/);
    await onFile.close();
  });
});

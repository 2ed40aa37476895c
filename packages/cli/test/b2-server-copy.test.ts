/**
 * `mediaferry copy b2://… b2://…` within one account copies on the server (issue 16): `b2_copy_file` for a
 * file up to the part size, parallel `b2_copy_part`s beyond it; no byte passes through the CLI, and the
 * copy's SHA-1 is checked against the source's. When B2 refuses the copy to this key, the file streams.
 */
import { randomBytes } from 'node:crypto';
import { B2Client } from '@mediaferry/b2';
import { readAll } from '@mediaferry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isolatedEnv, run, startEmulator } from './support/cli.js';

type Emulated = Awaited<ReturnType<typeof startEmulator>>;

describe('copy b2:// → b2:// on one account', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  let b2: B2Client;
  let url: string;
  const journal = async () => {
    const response = await fetch(`${url}/__emulator/journal`);
    const { entries } = (await response.json()) as { entries: { endpoint: string; status: number }[] };
    return entries.map((e) => e.endpoint);
  };
  const clearJournal = () => fetch(`${url}/__emulator/journal`, { method: 'DELETE' });

  beforeAll(async () => {
    emulator = await startEmulator('b2', ['--option', 'b2.recommendedPartSize=5000000']);
    const service = emulator.endpoints.b2!;
    url = service.url;
    env = await isolatedEnv({
      MEDIAFERRY_B2_URL: url,
      B2_APPLICATION_KEY_ID: service.keyId!,
      B2_APPLICATION_KEY: service.key!,
    });
    b2 = new B2Client({ baseUrl: url, keyId: service.keyId!, applicationKey: service.key! });
  });
  afterAll(async () => {
    await b2.close();
    expect(await emulator.stop()).toBe(0);
  });

  it('copies small and large files on the server; the bytes never cross the CLI', async () => {
    const small = randomBytes(100_000);
    const large = randomBytes(12_000_000);
    const { createHash } = await import('node:crypto');
    const sha1 = (data: Uint8Array) => createHash('sha1').update(data).digest('hex');
    await b2.files.upload({ bucketName: 'mediaferry-demo', fileName: 'src/small.bin', source: small }).done();
    await b2.files
      .upload({
        bucketName: 'mediaferry-demo',
        fileName: 'src/large.bin',
        source: large,
        info: { large_file_sha1: sha1(large) },
      })
      .done();
    await clearJournal();
    const copied = await run(['copy', 'b2://mediaferry-demo/src/', 'b2://my-media/dst/', '--json'], env);
    expect(copied.code, copied.stderr).toBe(0);
    const calls = await journal();
    expect(calls.filter((c) => /upload_file|upload_part|download/.test(c))).toEqual([]);
    expect(calls.filter((c) => c === 'b2_copy_file')).toHaveLength(1);
    expect(calls.filter((c) => c === 'b2_copy_part')).toHaveLength(3);
    for (const [name, data] of [
      ['dst/small.bin', small],
      ['dst/large.bin', large],
    ] as const) {
      const back = await b2.files.download({ bucketName: 'my-media', fileName: name });
      expect(sha1(await readAll(back.body)), name).toBe(sha1(data));
    }
    // A second run finds everything there.
    const again = await run(['copy', 'b2://mediaferry-demo/src/', 'b2://my-media/dst/'], env);
    expect(again.code).toBe(0);
    expect(again.stdout + again.stderr).toMatch(/skipped|already/i);
  });

  it('when B2 refuses the copy to this key, the file streams instead', async () => {
    await b2.files
      .upload({ bucketName: 'mediaferry-demo', fileName: 'refused/a.bin', source: randomBytes(50_000) })
      .done();
    await fetch(`${url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ on: 'b2_copy_file', status: 401, code: 'unauthorized', count: -1 }),
    });
    await clearJournal();
    const copied = await run(['copy', 'b2://mediaferry-demo/refused/', 'b2://my-media/refused/'], env);
    await fetch(`${url}/__emulator/faults`, { method: 'DELETE' });
    expect(copied.code, copied.stderr).toBe(0);
    const calls = await journal();
    expect(calls).toContain('b2_copy_file');
    expect(calls).toContain('b2_download_file_by_id');
    expect(calls).toContain('b2_upload_file');
  });
});

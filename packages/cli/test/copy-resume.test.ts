/**
 * `mediaferry copy` against `mediaferry emulator`: crash safety and resume across runs (issue 12 rows 7, 9):
 * SIGKILL mid-download and mid-upload, then a re-run that continues where the killed one stopped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { B2Client } from '@mediaferry/b2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  b2ClientFor,
  control,
  type Emulated,
  envFor,
  finish,
  journal,
  report,
  run,
  start,
  startEmulator,
  until,
} from './support/cli.js';

const BUCKET = 'b2://mediaferry-demo';
const PARTIAL = '.mediaferry-partial';
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe('copy: crash safety and resume across runs', () => {
  let emulator: Emulated;
  let env: NodeJS.ProcessEnv;
  let b2: B2Client;
  let bucketId: string;
  let put: Awaited<ReturnType<typeof b2ClientFor>>['put'];
  let bytesOf: Awaited<ReturnType<typeof b2ClientFor>>['bytesOf'];

  beforeAll(async () => {
    emulator = await startEmulator('b2');
    env = await envFor(emulator);
    ({ b2, bucketId, put, bytesOf } = await b2ClientFor(emulator));
  });
  beforeEach(async () => {
    await control(emulator, 'b2', 'wire-faults', undefined, 'DELETE');
    await control(emulator, 'b2', 'journal', undefined, 'DELETE');
  });
  afterAll(async () => {
    expect(await emulator.stop()).toBe(0);
  });

  const faultsLeft = async () =>
    (await control<{ faults: unknown[] }>(emulator, 'b2', 'wire-faults')).faults.length;

  /** Starts a copy and SIGKILLs it once every armed wire fault has fired (the last one a long stall). */
  const killWhenStalled = async (args: string[]) => {
    const child = start(args, env);
    const done = finish(child);
    await until(async () => (await faultsLeft()) === 0);
    child.kill('SIGKILL');
    const result = await done;
    expect(result.code).toBe(null);
    await control(emulator, 'b2', 'wire-faults', undefined, 'DELETE');
    return result;
  };

  /** Arms a download cut after 6 MB whose Range request (the resume) then hangs until the kill. */
  const cutThenHang = async () => {
    const on = 'b2_download_file_by_id';
    await control(emulator, 'b2', 'wire-faults', { on, kind: 'reset_mid_body', afterBytes: 6_000_000 });
    await control(emulator, 'b2', 'wire-faults', { on, kind: 'stall', ms: 120_000, skip: 1 });
  };

  /** Runs a large upload (3 parts of 5 MiB) and SIGKILLs it once two parts are in and the third hangs. */
  const killAfterTwoParts = async (args: string[]) => {
    await control(emulator, 'b2', 'wire-faults', {
      on: 'b2_upload_part',
      kind: 'stall',
      ms: 120_000,
      skip: 2,
    });
    const child = start(args, env);
    const done = finish(child);
    await until(
      async () =>
        (await faultsLeft()) === 0 && (await journal(emulator, 'b2', 'b2_upload_part')).length === 2,
    );
    child.kill('SIGKILL');
    expect((await done).code).toBe(null);
    await control(emulator, 'b2', 'wire-faults', undefined, 'DELETE');
  };

  it('a download killed mid-body leaves its bytes in .mediaferry-partial, never as data; a re-run resumes them by Range', async () => {
    const bytes = randomBytes(20_000_000);
    await put('kill-down/big.bin', bytes);
    await put('kill-down/small.bin', randomBytes(1000));
    const dest = await mkdtemp(join(tmpdir(), 'mf-resume-down-'));
    await cutThenHang();
    await killWhenStalled(['copy', `${BUCKET}/kill-down/`, dest, '-j', '1', '--json']);
    expect((await readdir(dest)).sort()).toEqual([PARTIAL]);
    const partials = await readdir(join(dest, PARTIAL));
    expect(partials).toHaveLength(1);
    const held = (await stat(join(dest, PARTIAL, partials[0]!))).size;
    expect(held).toBeGreaterThan(0);

    // A later upload of that folder does not take the partial file for data.
    const up = report(await run(['copy', dest, `${BUCKET}/kill-reupload/`, '--json'], env));
    expect(up.items).toEqual([]);

    await control(emulator, 'b2', 'journal', undefined, 'DELETE');
    const rerun = await run(['copy', `${BUCKET}/kill-down/`, dest, '--json'], env);
    expect(report(rerun)).toMatchObject({ copied: 2, failed: 0 });
    expect(sha1(await readFile(join(dest, 'big.bin')))).toBe(sha1(bytes));
    const downloads = await journal(emulator, 'b2', 'b2_download_file_by_id');
    expect(downloads.filter((d) => d.status === 206)).toHaveLength(1);
    expect((await readdir(dest)).sort()).toEqual(['big.bin', 'small.bin']);
  });

  it('a partial file of content that changed since is deleted and the new content downloaded whole', async () => {
    await put('kill-changed/big.bin', randomBytes(20_000_000));
    const dest = await mkdtemp(join(tmpdir(), 'mf-resume-changed-'));
    await cutThenHang();
    await killWhenStalled(['copy', `${BUCKET}/kill-changed/`, dest, '--json']);
    expect(await readdir(join(dest, PARTIAL))).toHaveLength(1);
    const fresh = randomBytes(20_000_000);
    await put('kill-changed/big.bin', fresh);
    await control(emulator, 'b2', 'journal', undefined, 'DELETE');
    expect(report(await run(['copy', `${BUCKET}/kill-changed/`, dest, '--json'], env)).copied).toBe(1);
    expect(sha1(await readFile(join(dest, 'big.bin')))).toBe(sha1(fresh));
    const downloads = await journal(emulator, 'b2', 'b2_download_file_by_id');
    expect(downloads.map((d) => d.status)).toEqual([200]);
    expect(await readdir(dest)).toEqual(['big.bin']);
  });

  it('a download cut mid-body inside one run resumes with Range and completes', async () => {
    const bytes = randomBytes(3_000_000);
    await put('cut/clip.mp4', bytes);
    const dest = await mkdtemp(join(tmpdir(), 'mf-resume-cut-'));
    await control(emulator, 'b2', 'wire-faults', {
      on: 'b2_download_file_by_id',
      kind: 'reset_mid_body',
      afterBytes: 1_000_000,
      count: 2,
    });
    const result = await run(['copy', `${BUCKET}/cut/`, dest, '--json'], env);
    expect(report(result)).toMatchObject({ copied: 1, failed: 0 });
    expect(sha1(await readFile(join(dest, 'clip.mp4')))).toBe(sha1(bytes));
    const statuses = (await journal(emulator, 'b2', 'b2_download_file_by_id')).map((d) => d.status);
    expect(statuses).toEqual([200, 206, 206]);
  });

  it('a large upload killed mid-way resumes from its finished parts on re-run', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-resume-up-'));
    const bytes = randomBytes(12_000_000);
    await writeFile(join(src, 'large.mp4'), bytes);
    const args = ['copy', src, `${BUCKET}/kill-up/`, '--part-size', '5M', '--json'];
    await killAfterTwoParts(args);
    const unfinished = await b2.largeFiles
      .listUnfinished({ bucketId, namePrefix: 'kill-up/' })
      .toArray({ limit: 1000 });
    expect(unfinished.map((f) => f.fileName)).toEqual(['kill-up/large.mp4']);

    await control(emulator, 'b2', 'journal', undefined, 'DELETE');
    expect(report(await run(args, env))).toMatchObject({ copied: 1, failed: 0 });
    expect(await journal(emulator, 'b2', 'b2_upload_part')).toHaveLength(1);
    expect(await journal(emulator, 'b2', 'b2_start_large_file')).toHaveLength(0);
    expect(sha1(await bytesOf('kill-up/large.mp4'))).toBe(sha1(bytes));
    expect(
      await b2.largeFiles.listUnfinished({ bucketId, namePrefix: 'kill-up/' }).toArray({ limit: 1000 }),
    ).toEqual([]);
  });

  it('an interrupted large upload of a file edited since is cancelled and uploaded afresh', async () => {
    const src = await mkdtemp(join(tmpdir(), 'mf-resume-edit-'));
    await writeFile(join(src, 'large.mp4'), randomBytes(12_000_000));
    const args = ['copy', src, `${BUCKET}/kill-edit/`, '--part-size', '5M', '--json'];
    await killAfterTwoParts(args);
    const edited = randomBytes(12_000_000);
    await writeFile(join(src, 'large.mp4'), edited);
    await control(emulator, 'b2', 'journal', undefined, 'DELETE');
    expect(report(await run(args, env))).toMatchObject({ copied: 1, failed: 0 });
    expect(await journal(emulator, 'b2', 'b2_cancel_large_file')).toHaveLength(1);
    expect(await journal(emulator, 'b2', 'b2_upload_part')).toHaveLength(3);
    expect(sha1(await bytesOf('kill-edit/large.mp4'))).toBe(sha1(edited));
  });

  it('a connection reset while reading a JSON answer (a listing) is retried, not the end of the copy', async () => {
    await put('json-reset/a.bin', randomBytes(1000));
    await put('json-reset/b.bin', randomBytes(1000));
    const dest = await mkdtemp(join(tmpdir(), 'mf-resume-json-'));
    for (const on of ['b2_list_file_names', 'b2_list_buckets'])
      await control(emulator, 'b2', 'wire-faults', { on, kind: 'reset_mid_body', afterBytes: 20 });
    const result = await run(['copy', `${BUCKET}/json-reset/`, dest, '--json'], env);
    expect(report(result)).toMatchObject({ copied: 2, failed: 0 });
    expect(await faultsLeft()).toBe(0);
  });
});

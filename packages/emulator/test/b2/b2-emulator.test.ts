import { describe, expect, it } from 'vitest';
import { loadRecorded, shapeOf } from './recorded.js';
import { type Answer, openSession, sha1, type UploadTarget } from './session.js';

/**
 * Replays every exchange recorded against real B2 (test/fixtures/b2-recorded) and compares the emulator's
 * answer: status, error code, JSON keys and value types, the exact set of response header names, the JSON
 * content type (upper case on success, lower case on errors), and the download headers' values.
 */
describe('B2 emulator against recorded real-B2 exchanges', () => {
  it('answers every recorded call (54/54) with the same status, code, JSON shape and header set', async () => {
    const seen = new Map<string, Answer>();
    const s = await openSession({ onAnswer: (call, answer) => seen.set(`${call} ${answer.status}`, answer) });
    const { call, upload, accountId } = s;
    const bucket = (
      await call('b2_create_bucket', { accountId, bucketName: 'testing-b2-client', bucketType: 'allPrivate' })
    ).json();
    await call('b2_create_bucket', { accountId, bucketName: 'testing-b2-client', bucketType: 'allPrivate' });
    await call('b2_list_buckets', { accountId });
    await call('b2_update_bucket', {
      accountId,
      bucketId: bucket.bucketId,
      bucketInfo: { a: 'b' },
      ifRevisionIs: bucket.revision,
    });
    await call('b2_update_bucket', {
      accountId,
      bucketId: bucket.bucketId,
      bucketType: 'allPublic',
      ifRevisionIs: 1,
    });
    const created = (
      await call('b2_create_key', { accountId, capabilities: ['listFiles'], keyName: 'my-special-key' })
    ).json();
    await call('b2_list_keys', { accountId, maxKeyCount: 100 });
    await call('b2_delete_key', { applicationKeyId: created.applicationKeyId });
    await call('b2_get_download_authorization', {
      bucketId: bucket.bucketId,
      fileNamePrefix: 'files/',
      validDurationInSeconds: 30000,
      b2CacheControl: 'must-revalidate',
    });
    const target = await s.uploadUrl(bucket.bucketId);
    const file = (
      await upload(target, 'test-file.txt', 'Some text\n', {
        'x-bz-info-src_last_modified_millis': '1637248673875',
      })
    ).json();
    await s.download(
      '/b2api/v2/b2_download_file_by_id',
      {
        method: 'POST',
        headers: { authorization: s.token, 'content-type': 'application/json' },
        body: JSON.stringify({ fileId: file.fileId }),
      },
      'b2_download_file_by_id',
    );
    await s.download('/file/testing-b2-client/test-file.txt', {
      headers: { authorization: s.token, range: 'bytes=5-8' },
    });
    await s.download('/file/testing-b2-client/test-file.txt', { headers: { authorization: s.token } });
    await call('b2_get_file_info', { fileId: file.fileId });
    await call('b2_list_file_names', {
      bucketId: bucket.bucketId,
      maxFileCount: 5,
      prefix: null,
      startFileName: null,
      delimiter: null,
    });
    await call('b2_list_file_versions', { bucketId: bucket.bucketId, maxFileCount: 5 });
    const large = (
      await call('b2_start_large_file', {
        bucketId: bucket.bucketId,
        fileName: 'large.txt',
        contentType: 'b2/x-auto',
      })
    ).json();
    await call('b2_cancel_large_file', { fileId: large.fileId });
    await call('b2_cancel_large_file', { fileId: 'bad-id' });
    await call('b2_copy_file', { sourceFileId: file.fileId, fileName: 'copied.txt' });
    const big = (
      await call('b2_start_large_file', {
        bucketId: bucket.bucketId,
        fileName: 'big.txt',
        contentType: 'text/plain',
      })
    ).json();
    const partUrl = (await call('b2_get_upload_part_url', { fileId: big.fileId })).json() as UploadTarget;
    await upload(partUrl, 'x', 'aaaaaaaa', { 'x-bz-part-number': '1' });
    await upload(partUrl, 'x', 'bbbb', { 'x-bz-part-number': '2' });
    await call('b2_list_parts', { fileId: big.fileId });
    await call('b2_list_unfinished_large_files', { bucketId: bucket.bucketId });
    await call('b2_finish_large_file', {
      fileId: big.fileId,
      partSha1Array: [sha1('aaaaaaaa'), sha1('bbbb')],
    });
    const parts = (
      await call('b2_start_large_file', {
        bucketId: bucket.bucketId,
        fileName: 'parts.txt',
        contentType: 'text/plain',
      })
    ).json();
    await call('b2_copy_part', {
      sourceFileId: file.fileId,
      largeFileId: parts.fileId,
      partNumber: 1,
      range: 'bytes=0-4',
    });
    const marker = (
      await call('b2_hide_file', { bucketId: bucket.bucketId, fileName: 'test-file.txt' })
    ).json();
    // File Lock on a plain bucket (the recorded calls name a hide marker there), then on a File Lock bucket.
    await call('b2_update_file_legal_hold', {
      fileId: marker.fileId,
      fileName: 'test-file.txt',
      legalHold: 'on',
    });
    await call('b2_update_file_retention', {
      fileId: marker.fileId,
      fileName: 'test-file.txt',
      fileRetention: { mode: 'governance', retainUntilTimestamp: 32503680000 },
    });
    const locked = await s.createBucket('testing-b2-locked', { fileLockEnabled: true });
    const kept = await s.put(locked.bucketId, 'test-file.txt', 'Some text\n');
    await call('b2_update_file_legal_hold', {
      fileId: kept.fileId,
      fileName: 'test-file.txt',
      legalHold: 'on',
    });
    await call('b2_update_file_retention', {
      fileId: kept.fileId,
      fileName: 'test-file.txt',
      fileRetention: { mode: 'governance', retainUntilTimestamp: 32503680000000 },
    });
    await call('b2_delete_file_version', {
      fileName: 'copied.txt',
      fileId: (await call('b2_list_file_names', { bucketId: bucket.bucketId, prefix: 'copied' })).json()
        .files[0].fileId,
    });
    const empty = (
      await call('b2_create_bucket', { accountId, bucketName: 'to-be-deleted', bucketType: 'allPrivate' })
    ).json();
    await call('b2_delete_bucket', { accountId, bucketId: empty.bucketId });
    await call('b2_delete_bucket', { accountId, bucketId: '1234567' });
    await s.authorize('v2', 'nope', 'wrong');

    // Recorder artefacts (see SOURCE.md), not B2's.
    const artefacts: Record<string, string[]> = {
      b2_create_key: ['authorizationToken'],
      b2_list_keys: ['nextApplicationId'],
    };
    // Download headers whose recorded values our replay reproduces exactly (same bytes, same info).
    const sameValues = [
      'accept-ranges',
      'content-length',
      'content-range',
      'content-type',
      'x-bz-content-sha1',
      'x-bz-file-name',
      'x-bz-info-src_last_modified_millis',
    ];
    const recorded = loadRecorded();
    const problems: string[] = [];
    let compared = 0;
    for (const exchange of recorded) {
      const where = `${exchange.file}: ${exchange.call} ${exchange.status}`;
      const ours = seen.get(`${exchange.call} ${exchange.status}`);
      if (!ours) {
        problems.push(`${where}: no answer of ours with that status`);
        continue;
      }
      compared += 1;
      const theirNames = Object.keys(exchange.headers).sort();
      const ourNames = [...ours.headers.keys()].sort();
      if (theirNames.join() !== ourNames.join())
        problems.push(`${where}: headers [${ourNames.join(', ')}] ≠ recorded [${theirNames.join(', ')}]`);
      const type = exchange.headers['content-type'] ?? '';
      if (type.startsWith('application/json')) {
        if (ours.headers.get('content-type') !== type)
          problems.push(`${where}: content-type ${ours.headers.get('content-type')} ≠ recorded ${type}`);
        const theirs = JSON.parse(exchange.body) as Record<string, unknown>;
        const mine = JSON.parse(ours.body) as Record<string, unknown>;
        if (exchange.status >= 400) {
          if (theirs.code !== mine.code)
            problems.push(`${where}: code ${String(mine.code)} ≠ recorded ${String(theirs.code)}`);
          continue;
        }
        compareShape(shapeOf(theirs), shapeOf(mine), exchange.call, artefacts[exchange.call] ?? [], problems);
      } else {
        for (const name of sameValues.filter((h) => exchange.headers[h] !== undefined)) {
          if (ours.headers.get(name) !== exchange.headers[name])
            problems.push(`${where}: ${name} ${ours.headers.get(name)} ≠ recorded ${exchange.headers[name]}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(recorded).toHaveLength(54);
    expect(compared).toBe(recorded.length);
  });
});

const MAPS = new Set(['bucketInfo', 'fileInfo']);

function compareShape(
  theirs: unknown,
  mine: unknown,
  path: string,
  ignore: string[],
  problems: string[],
): void {
  if (theirs === 'null' || mine === 'null') return;
  if (Array.isArray(theirs)) {
    if (!Array.isArray(mine)) return void problems.push(`${path}: array expected`);
    if (theirs.length > 0 && mine.length > 0)
      compareShape(theirs[0], mine[0], `${path}[0]`, ignore, problems);
    return;
  }
  if (typeof theirs === 'object' && theirs) {
    if (typeof mine !== 'object' || !mine) return void problems.push(`${path}: object expected`);
    const a = Object.keys(theirs).filter((k) => !ignore.includes(k));
    const b = Object.keys(mine);
    for (const key of a) if (!b.includes(key)) problems.push(`${path}.${key}: missing`);
    for (const key of b) if (!a.includes(key)) problems.push(`${path}.${key}: extra`);
    // bucketInfo and fileInfo are user data: their keys are values, not shape.
    for (const key of a) {
      if (b.includes(key) && !MAPS.has(key))
        compareShape(
          (theirs as Record<string, unknown>)[key],
          (mine as Record<string, unknown>)[key],
          `${path}.${key}`,
          ignore,
          problems,
        );
    }
    return;
  }
  if (theirs !== mine) problems.push(`${path}: ${String(mine)} ≠ recorded ${String(theirs)}`);
}

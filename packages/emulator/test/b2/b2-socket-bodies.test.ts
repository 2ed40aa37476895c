/**
 * Bodies over a real socket take the emulator's direct paths: uploads read straight off the socket
 * (`requestChunks`), blob downloads written straight from the store (`sendBlobDirectly`). These check that
 * those paths keep every rule the web-stream path keeps: the bytes, SHA-1 checks, ranges, the journal's
 * record of each body, faults, a client that leaves mid-download.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession, type Session, sha1 } from './session.js';

const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.close();
});

async function socketSession() {
  const s = await openSession({ listen: true, options: { recommendedPartSize: 5_000_000 } });
  sessions.push(s);
  const bucket = await s.createBucket('socket-bodies');
  return { s, bucketId: bucket.bucketId as string };
}

/** POSTs bytes with `X-Bz-Content-Sha1: hex_digits_at_end`, as b2sdk sends parts. */
async function uploadAtEnd(s: Session, bucketId: string, name: string, data: Buffer, digest = sha1(data)) {
  const target = await s.uploadUrl(bucketId);
  const body = Buffer.concat([data, Buffer.from(digest)]);
  return s.answer(
    'b2_upload_file',
    await fetch(target.uploadUrl, {
      method: 'POST',
      headers: {
        authorization: target.authorizationToken,
        'x-bz-file-name': name,
        'content-type': 'application/octet-stream',
        'x-bz-content-sha1': 'hex_digits_at_end',
        'content-length': String(body.byteLength),
      },
      body,
    }),
  );
}

function journalEntry(s: Session, endpoint: string) {
  const entries = s.emulator.control.journal.entries().filter((e) => e.endpoint === endpoint);
  const last = entries.at(-1)!;
  return s.emulator.control.journal.detail(last.seq)!;
}

describe('B2 bodies over a socket', () => {
  it('stores an upload with its SHA-1 at the end, byte for byte, and journals its size', async () => {
    const { s, bucketId } = await socketSession();
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const stored = await uploadAtEnd(s, bucketId, 'at-end.bin', data);
    expect(stored.status).toBe(200);
    expect(stored.json()).toMatchObject({ contentSha1: sha1(data), contentLength: data.byteLength });
    expect(journalEntry(s, 'b2_upload_file').request.body).toMatchObject({
      size: data.byteLength + 40,
      truncated: true,
    });
    const back = await fetch(`${s.origin}/file/socket-bodies/at-end.bin`, {
      headers: { authorization: s.token },
    });
    expect(Buffer.from(await back.arrayBuffer()).equals(data)).toBe(true);
  });

  it('refuses an upload whose trailing SHA-1 does not match, with a 400 the client reads', async () => {
    const { s, bucketId } = await socketSession();
    const data = randomBytes(2 * 1024 * 1024);
    const refused = await uploadAtEnd(s, bucketId, 'bad.bin', data, sha1('other bytes'));
    expect(refused.status).toBe(400);
    expect(refused.json().message).toMatch(/Sha1 did not match/);
    const listed = await s.call('b2_list_file_names', { bucketId });
    expect(listed.json().files).toEqual([]);
  });

  it('answers an injected fault on a large upload it never read, instead of cutting the connection', async () => {
    const { s, bucketId } = await socketSession();
    s.emulator.control.faults.add({ on: 'b2_upload_file', status: 503 });
    const answer = await uploadAtEnd(s, bucketId, 'faulted.bin', randomBytes(8 * 1024 * 1024));
    expect(answer.status).toBe(503);
    const retried = await uploadAtEnd(s, bucketId, 'faulted.bin', randomBytes(1024));
    expect(retried.status).toBe(200);
  });

  it('serves a download and any range straight from the store, journalling what was sent', async () => {
    const { s, bucketId } = await socketSession();
    const data = randomBytes(5 * 1024 * 1024 + 3);
    expect((await uploadAtEnd(s, bucketId, 'served.bin', data)).status).toBe(200);
    const auth = { authorization: s.token };
    const whole = await fetch(`${s.origin}/file/socket-bodies/served.bin`, { headers: auth });
    expect(whole.headers.get('content-length')).toBe(String(data.byteLength));
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
    const detail = journalEntry(s, 'download_file_by_name');
    expect(detail.response.body).toMatchObject({ size: data.byteLength, truncated: true });
    expect(detail.response.body?.text).toBeUndefined();
    const range = await fetch(`${s.origin}/file/socket-bodies/served.bin`, {
      headers: { ...auth, range: 'bytes=1048570-3145730' },
    });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 1048570-3145730/${data.byteLength}`);
    expect(Buffer.from(await range.arrayBuffer()).equals(data.subarray(1048570, 3145731))).toBe(true);
  });

  it('still cuts a served body when a wire fault says so', async () => {
    const { s, bucketId } = await socketSession();
    const data = randomBytes(4 * 1024 * 1024);
    expect((await uploadAtEnd(s, bucketId, 'cut.bin', data)).status).toBe(200);
    s.emulator.control.wireFaults.add({
      on: 'download_file_by_name',
      kind: 'truncate_body',
      afterBytes: 1000,
    });
    const cut = await fetch(`${s.origin}/file/socket-bodies/cut.bin`, {
      headers: { authorization: s.token },
    });
    expect((await cut.arrayBuffer()).byteLength).toBe(1000);
  });

  it('notes a client that leaves mid-download, and serves the next one whole', async () => {
    const { s, bucketId } = await socketSession();
    const data = randomBytes(32 * 1024 * 1024);
    expect((await uploadAtEnd(s, bucketId, 'left.bin', data)).status).toBe(200);
    const url = new URL(`${s.origin}/file/socket-bodies/left.bin`);
    await new Promise<void>((resolve, reject) => {
      const req = request(url, { headers: { authorization: s.token } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (req.destroyed ? resolve() : reject(error)));
      req.end();
    });
    await expect.poll(() => journalEntry(s, 'download_file_by_name').response.body?.incomplete).toBe(true);
    expect(journalEntry(s, 'download_file_by_name').response.body?.size).toBeLessThan(data.byteLength);
    const again = await fetch(url, { headers: { authorization: s.token } });
    expect(sha1(Buffer.from(await again.arrayBuffer()))).toBe(sha1(data));
  });
});

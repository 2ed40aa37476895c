/**
 * What the BigGo emulator keeps of an upload: a large video whole, read off the socket and hashed on a worker;
 * and of one that fails after its video part arrived, nothing, whether the rest of the multipart body is
 * malformed or the client goes away half-way through the video.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BIGGO_DEMO_CLIENT, biggoService, createEmulator } from '../../src/index.js';

const BOUNDARY = 'xyz';
const videoPart = (bytes: number) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="video"; filename="clip.mp4"\r\n` +
  `Content-Type: video/mp4\r\n\r\n${'v'.repeat(bytes)}`;

async function start(data?: string) {
  const emulator = createEmulator(biggoService, data === undefined ? {} : { data });
  const server = await emulator.listen();
  const basic = Buffer.from(`${BIGGO_DEMO_CLIENT.clientId}:${BIGGO_DEMO_CLIENT.clientSecret}`).toString(
    'base64',
  );
  const issued = await fetch(`${server.url}/auth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}` },
    body: 'grant_type=client_credentials',
  });
  const token = ((await issued.json()) as { access_token: string }).access_token;
  const blobCount = () => (emulator.control.dump() as { blobs: unknown[] }).blobs.length;
  return { emulator, server, token, blobCount };
}

describe('BigGo emulator storage', () => {
  it('a video part followed by a malformed body is answered 400 and not kept', async () => {
    const { emulator, server, token, blobCount } = await start();
    const response = await fetch(`${server.url}/api/v1/video`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'file-size': '1000',
      },
      // The video part ends, then the body stops without its closing boundary.
      body: `${videoPart(1000)}\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\ncut`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ result: false, error: { code: 1006 } });
    expect(blobCount()).toBe(0);
    await emulator.close();
  });

  it('a video of 8 MiB or more is stored whole, with the digests of the bytes sent', async () => {
    const data = await mkdtemp(join(tmpdir(), 'mf-biggo-storage-'));
    const { emulator, server, token } = await start(data);
    // Bytes that are not one repeated value: a slab written at the wrong place would change the digest.
    const video = new Uint8Array(9 * 1024 * 1024 + 4321).map((_, i) => (i * 2654435761) >>> 24);
    const form = new FormData();
    form.set('title', 'large');
    form.set('video', new Blob([video], { type: 'video/mp4' }), 'large.mp4');
    const response = await fetch(`${server.url}/api/v1/video`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'file-size': String(video.byteLength) },
      body: form,
    });
    expect(response.status).toBe(200);
    const { blobs } = emulator.control.dump() as { blobs: Array<Record<string, unknown>> };
    expect(blobs).toEqual([
      expect.objectContaining({
        size: video.byteLength,
        sha1: createHash('sha1').update(video).digest('hex'),
        md5: createHash('md5').update(video).digest('hex'),
      }),
    ]);
    await emulator.close();
  });

  it.each([
    ['a small video', 1_000_000],
    ['a video declared 8 MiB or more (stored off the event loop)', 20_000_000],
  ])('a client that goes away in the middle of %s leaves no blob file behind', async (_, length) => {
    const data = await mkdtemp(join(tmpdir(), 'mf-biggo-storage-'));
    const { emulator, server, token } = await start(data);
    const blobFiles = async () => (await readdir(join(data, 'biggo', 'blobs')).catch(() => [])).length;
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/v1/video HTTP/1.1\r\nHost: biggo.test\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${length}\r\n` +
        `File-Size: ${length - 200}\r\n\r\n${videoPart(200_000)}`,
    );
    await vi.waitFor(async () => expect(await blobFiles()).toBe(1));
    socket.destroy();
    await vi.waitFor(async () => expect(await blobFiles()).toBe(0));
    await emulator.close();
    expect(await blobFiles()).toBe(0);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEmulator, probeService } from '../../src/index.js';

const sha1 = (bytes: Uint8Array | string) => createHash('sha1').update(bytes).digest('hex');

describe('readMultipart (through the probe echo)', () => {
  it('streams file parts into blobs and returns text fields', async () => {
    const emulator = createEmulator(probeService);
    const form = new FormData();
    form.set('title', 'Sunset ✓');
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    form.set('media', new Blob([bytes], { type: 'video/mp4' }), 'clip.mp4');
    const response = await emulator.fetch('http://probe.test/echo', { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      fields: { title: 'Sunset ✓' },
      files: { media: { filename: 'clip.mp4', contentType: 'video/mp4', size: 300_000, sha1: sha1(bytes) } },
    });
  });

  it('answers a malformed multipart body with 400 in the service error shape', async () => {
    const emulator = createEmulator(probeService);
    const response = await emulator.fetch('http://probe.test/echo', {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'bad_request' } });
  });
});

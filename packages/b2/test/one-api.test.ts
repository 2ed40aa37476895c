/**
 * The one-API scenario every client runs (issue 17): construct from the environment, list with paging,
 * upload with progress, download to a file, an error with what the server said, `withResponse`, close —
 * here against the B2 emulator listening on 127.0.0.1.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError, NotFoundError, type Progress } from '@mediaferry/core';
import { b2Service, createEmulator } from '@mediaferry/emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { B2Client, B2Error } from '../src/index.js';
import { bytes, sha1 } from './support/emulator.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('one API: B2', () => {
  it('runs the shared scenario', async () => {
    const emulator = createEmulator(b2Service, {
      seed: 'demo',
      options: { recommendedPartSize: 4000, absoluteMinimumPartSize: 1000 },
    });
    const server = await emulator.listen();
    try {
      const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
      vi.stubEnv('MEDIAFERRY_B2_URL', server.url);
      vi.stubEnv('B2_APPLICATION_KEY_ID', keyId);
      vi.stubEnv('B2_APPLICATION_KEY', key);
      const b2 = new B2Client();

      // Upload with progress (a large file: parallel parts).
      const data = bytes(10_000, 3);
      const events: Progress[] = [];
      const upload = b2.files.upload({
        bucketName: 'mediaferry-demo',
        fileName: 'one-api/clip.mp4',
        source: data,
      });
      upload.on('progress', (p) => events.push(p));
      const file = await upload.done();
      expect(file.contentLength).toBe(10_000);
      expect(events.at(-1)).toEqual({ loaded: 10_000, total: 10_000 });
      expect(events.map((e) => e.loaded)).toEqual([...events.map((e) => e.loaded)].sort((a, b) => a - b));
      for (const name of ['one-api/a', 'one-api/b', 'one-api/c'])
        await b2.files.upload({ bucketName: 'mediaferry-demo', fileName: name, source: bytes(10) }).done();

      // List with paging.
      const listing = b2.files.list({ bucketName: 'mediaferry-demo', prefix: 'one-api/', pageSize: 2 });
      const pages = [];
      for await (const page of listing.pages()) pages.push(page.items.map((f) => f.fileName));
      expect(pages).toEqual([
        ['one-api/a', 'one-api/b'],
        ['one-api/c', 'one-api/clip.mp4'],
      ]);
      expect(await listing.toArray({ limit: 3 })).toHaveLength(3);

      // Download to a file.
      const dir = await mkdtemp(join(tmpdir(), 'mf-one-api-b2-'));
      const saved = await b2.files.downloadToFile({ fileId: file.fileId! }, join(dir, 'clip.mp4')).done();
      expect(saved.size).toBe(10_000);
      expect(sha1(await readFile(join(dir, 'clip.mp4')))).toBe(sha1(data));

      // withResponse: the data and the response that carried it.
      const {
        data: bucket,
        response,
        requestId,
      } = await b2.buckets.get({ bucketName: 'mediaferry-demo' }).withResponse();
      expect(bucket.bucketName).toBe('mediaferry-demo');
      expect(response.status).toBe(200);
      expect(requestId).toBe(response.headers.get('x-bz-request-id') ?? undefined);

      // An error: typed, with status, B2's code and message, the request id the server sent (B2 sends none).
      const error = await b2.files.get('4_zdeadbeef_f000000000000000').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(B2Error);
      expect(error).toMatchObject({ status: expect.any(Number), code: expect.any(String) });
      expect((error as B2Error).requestId).toBe(
        (error as B2Error).headers.get('x-bz-request-id') ?? undefined,
      );
      const missing = await b2.files
        .download({ bucketName: 'mediaferry-demo', fileName: 'one-api/none' })
        .catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(NotFoundError);
      expect(missing).toMatchObject({ status: 404, code: 'not_found' });

      // Close.
      await b2.close();
      await expect(b2.buckets.get({ bucketName: 'mediaferry-demo' })).rejects.toBeInstanceOf(AbortError);
    } finally {
      await server.close();
      await emulator.close();
    }
  });
});

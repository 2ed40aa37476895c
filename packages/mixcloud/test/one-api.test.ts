/**
 * Issue 17's scenario, the same for the four clients, against the Mixcloud emulator over HTTP on 127.0.0.1:
 * construct from the environment, list with paging, upload with progress, an error carrying its request id,
 * `withResponse`, close. Mixcloud's API serves no audio, so there is no download to a file here (docs/api.md).
 */
import { AbortError, InvalidInputError, NotFoundError } from '@mediaferry/core';
import { createEmulator, MIXCLOUD_DEMO_TOKEN, mixcloudService } from '@mediaferry/emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Cloudcast, MixcloudClient, MixcloudError } from '../src/index.js';

async function emulatorOnLoopback() {
  const emulator = createEmulator(mixcloudService, { seed: 'demo' });
  const server = await emulator.listen();
  return { emulator, url: server.url, close: () => emulator.close() };
}

describe('one API: Mixcloud', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('runs the scenario against the emulator, configured from the environment only', async () => {
    const { emulator, url, close } = await emulatorOnLoopback();
    try {
      vi.stubEnv('MEDIAFERRY_MIXCLOUD_URL', url);
      vi.stubEnv('MIXCLOUD_ACCESS_TOKEN', MIXCLOUD_DEMO_TOKEN);
      await using mixcloud = new MixcloudClient();
      expect(mixcloud.roots.api).toBe(url);
      expect(mixcloud.hasAccessToken).toBe(true);

      // List with paging: every page, in pages of pageSize, nothing twice.
      const pages: number[] = [];
      const keys: string[] = [];
      for await (const page of mixcloud.users.cloudcasts('ferry', { pageSize: 4 }).pages()) {
        pages.push(page.items.length);
        keys.push(...page.items.map((show: Cloudcast) => show.key));
      }
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.slice(0, -1).every((n) => n === 4)).toBe(true);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength((await mixcloud.users.get('ferry')).cloudcast_count ?? -1);

      // Upload with progress: monotonic, ending at the total.
      const seen: { loaded: number; total: number | undefined }[] = [];
      const upload = mixcloud.cloudcasts.upload({
        mp3: new Uint8Array(300_000).fill(7),
        name: 'One API Mix',
        tags: ['house'],
      });
      upload.on('progress', (progress) => seen.push(progress));
      const result = await upload.done();
      expect(result).toMatchObject({ success: true, key: '/ferry/one-api-mix/' });
      expect(seen.length).toBeGreaterThan(1);
      expect(seen.map((p) => p.loaded)).toEqual([...seen.map((p) => p.loaded)].sort((a, b) => a - b));
      expect(seen.at(-1)?.loaded).toBe(seen.at(-1)?.total);
      expect(seen.at(-1)!.total!).toBeGreaterThan(300_000);
      expect((await mixcloud.cloudcasts.get(result.key ?? '')).name).toBe('One API Mix');

      // An error carries its status, Mixcloud's type and the request id the server sent.
      emulator.control.faults.add({
        on: 'user',
        status: 404,
        code: 'ResourceNotFoundException',
        message: 'No user found',
        headers: { 'x-request-id': 'req-404-abc' },
      });
      const error = await mixcloud.users.get('bob').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MixcloudError);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({
        status: 404,
        type: 'ResourceNotFoundException',
        code: 'ResourceNotFoundException',
        requestId: 'req-404-abc',
      });

      // withResponse: the data with its response, from the one request sent.
      const before = emulator.control.journal.entries().length;
      const { data, response, requestId } = await mixcloud.users.get('bob').withResponse();
      expect(data).toMatchObject({ type: 'user', username: 'bob' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('json');
      expect(requestId).toBeUndefined();
      expect(emulator.control.journal.entries().length).toBe(before + 1);
      expect(response.url).not.toContain(MIXCLOUD_DEMO_TOKEN);

      // Close: later calls are refused.
      await mixcloud.close();
      await expect(mixcloud.users.get('bob')).rejects.toBeInstanceOf(AbortError);
    } finally {
      await close();
    }
  });

  it('without a token, public reads work and calls that act for a user are refused before any request', async () => {
    const { emulator, url, close } = await emulatorOnLoopback();
    try {
      vi.stubEnv('MEDIAFERRY_MIXCLOUD_URL', url);
      vi.stubEnv('MIXCLOUD_ACCESS_TOKEN', '');
      const mixcloud = new MixcloudClient();
      expect((await mixcloud.users.get('bob')).username).toBe('bob');
      const journal = emulator.control.journal.entries().length;
      await expect(mixcloud.users.me()).rejects.toThrow(/MIXCLOUD_ACCESS_TOKEN/);
      await expect(mixcloud.users.me()).rejects.toBeInstanceOf(InvalidInputError);
      await expect(
        mixcloud.cloudcasts.upload({ mp3: new Uint8Array(1), name: 'x' }).done(),
      ).rejects.toBeInstanceOf(InvalidInputError);
      expect(emulator.control.journal.entries().length).toBe(journal);
    } finally {
      await close();
    }
  });
});

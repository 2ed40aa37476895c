/** `B2Client` itself: construction from options or the environment, authorize, withOptions, close. */
import { AbortError, AuthenticationError, InvalidInputError } from '@mediaferry/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { B2_BASE_URL, B2Client } from '../src/index.js';
import { bytes, setup } from './support/emulator.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** A fetch that records where requests go and answers 503. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch = async (input: string | URL | Request) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return new Response('{"status":503,"code":"service_unavailable","message":"no"}', { status: 503 });
  };
  return { urls, fetch };
}

describe('construction', () => {
  it('without credentials: InvalidInputError naming the option and the variable, before any request', () => {
    vi.stubEnv('B2_APPLICATION_KEY_ID', '');
    vi.stubEnv('B2_APPLICATION_KEY', 'K-secret');
    const error = (() => {
      try {
        return new B2Client();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field: 'keyId' });
    expect(String(error)).toContain('B2_APPLICATION_KEY_ID');
    expect(() => new B2Client({ keyId: 'id' })).not.toThrow();
    vi.stubEnv('B2_APPLICATION_KEY', '');
    expect(() => new B2Client({ keyId: 'id' })).toThrow(/B2_APPLICATION_KEY/);
  });

  it('host: the baseUrl option, else MEDIAFERRY_B2_URL, else the real B2', async () => {
    const { urls, fetch } = recordingFetch();
    const options = { keyId: 'id', applicationKey: 'key-secret', fetch, maxRetries: 0 };
    vi.stubEnv('MEDIAFERRY_B2_URL', '');
    await new B2Client(options).authorize().catch(() => {});
    vi.stubEnv('MEDIAFERRY_B2_URL', 'http://127.0.0.1:9/');
    await new B2Client(options).authorize().catch(() => {});
    await new B2Client({ ...options, baseUrl: 'http://b2.option' }).authorize().catch(() => {});
    expect(urls).toEqual([
      `${B2_BASE_URL}/b2api/v3/b2_authorize_account`,
      'http://127.0.0.1:9/b2api/v3/b2_authorize_account',
      'http://b2.option/b2api/v3/b2_authorize_account',
    ]);
    expect(() => new B2Client({ ...options, baseUrl: 'ftp://x' })).toThrow(InvalidInputError);
    expect(() => new B2Client({ ...options, apiVersion: 'v9' as 'v3' })).toThrow(/apiVersion/);
    expect(() => new B2Client({ ...options, partSize: 0 })).toThrow(/partSize/);
  });

  it('constructs from the environment against a listening emulator', async () => {
    const { emulator, keyId, key } = await setup();
    const server = await emulator.listen();
    try {
      vi.stubEnv('MEDIAFERRY_B2_URL', server.url);
      vi.stubEnv('B2_APPLICATION_KEY_ID', keyId);
      vi.stubEnv('B2_APPLICATION_KEY', key);
      await using b2 = new B2Client();
      const { data, response, requestId } = await b2.authorize().withResponse();
      expect(data.apiUrl).toBe(server.url);
      expect(data.recommendedPartSize).toBe(4000);
      expect(response.status).toBe(200);
      // Real B2 names no request id on its answers (none in the recordings), and neither does the emulator.
      expect(requestId).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});

describe('authorization', () => {
  it('a wrong key is an AuthenticationError and the key never shows up in it', async () => {
    const { connect } = await setup();
    const wrong = connect({ applicationKey: 'K002-not-the-key' });
    const error = await wrong.authorize().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error) + String(error)).not.toContain('K002-not-the-key');
  });

  it('authorizes once for everyone, and again only when the token expires', async () => {
    const { client, calls, bucketId, emulator } = await setup();
    await Promise.all([client.authorize(), client.files.list({ bucketId }).toArray({ limit: 1 })]);
    expect(calls('b2_authorize_account')).toEqual([]);
    emulator.control.clock.advance(86_400_001);
    await client.files.list({ bucketId }).toArray({ limit: 1 });
    expect(calls('b2_authorize_account')).toEqual(['b2_authorize_account:200']);
  });
});

describe('withOptions and close', () => {
  it('withOptions shares the authorization and upload URLs, with its own transport options', async () => {
    const { client, bucketId, calls } = await setup();
    const patient = client.withOptions({ timeout: 120_000, maxRetries: 5 });
    expect(patient).not.toBe(client);
    await patient.files.upload({ bucketId, fileName: 'w.txt', source: bytes(5) }).done();
    await client.files.upload({ bucketId, fileName: 'v.txt', source: bytes(5) }).done();
    // The same token (no second authorize) and the same idle upload URL (one b2_get_upload_url).
    expect(calls('b2_authorize_account')).toEqual([]);
    expect(calls('b2_get_upload_url')).toEqual(['b2_get_upload_url:200']);
  });

  it('close stops running transfers; later calls fail with AbortError; await using closes', async () => {
    const { connect, bucketId, emulator } = await setup();
    const client = connect();
    emulator.control.wireFaults.add({ on: 'b2_upload_part', kind: 'stall', ms: 2_000, count: -1 });
    const upload = client.files.upload({ bucketId, fileName: 'c.bin', source: bytes(9000) });
    const copy = client.withOptions({});
    await client.close();
    await expect(upload.done()).rejects.toBeInstanceOf(AbortError);
    await expect(client.buckets.get({ bucketId })).rejects.toBeInstanceOf(AbortError);
    await expect(copy.files.get('x')).rejects.toBeInstanceOf(AbortError);
    emulator.control.clearFaults();
    let disposed: B2Client | undefined;
    {
      await using scoped = connect();
      disposed = scoped;
    }
    await expect(disposed.authorize()).rejects.toBeInstanceOf(AbortError);
  });
});

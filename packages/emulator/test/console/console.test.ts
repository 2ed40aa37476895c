import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { b2Service, createEmulator, type Emulator, startEmulators } from '../../src/index.js';

const ORIGIN = 'http://b2.test';
const UI = `${ORIGIN}/__emulator/ui/`;
const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
});

const bucketCount = (emulator: Emulator) =>
  Object.keys((emulator.control.dump() as { state: { buckets: object } }).state.buckets).length;

/** What a console form's redirect tells the page it lands on (`ok=…` or `error=…`). */
function said(response: Response): string {
  const params = new URL(response.headers.get('location') ?? '', ORIGIN).searchParams;
  return `ok=${params.get('ok') ?? ''} error=${params.get('error') ?? ''}`;
}

/** A B2 emulator with the demo seed, and a little B2 client made of plain fetch calls. */
async function b2() {
  const emulator = createEmulator(b2Service, { seed: 'demo' }) as Emulator;
  open.push(emulator);
  const { keyId, key } = emulator.control.credentials() as { keyId: string; key: string };
  const auth = (await (
    await emulator.fetch(`${ORIGIN}/b2api/v3/b2_authorize_account`, {
      headers: { authorization: `Basic ${Buffer.from(`${keyId}:${key}`).toString('base64')}` },
    })
  ).json()) as { authorizationToken: string; accountId: string };
  const call = async <T>(name: string, body: unknown) =>
    (await (
      await emulator.fetch(`${ORIGIN}/b2api/v3/${name}`, {
        method: 'POST',
        headers: { authorization: auth.authorizationToken },
        body: JSON.stringify(body),
      })
    ).json()) as T;
  const { buckets } = await call<{ buckets: Array<{ bucketId: string; bucketName: string }> }>(
    'b2_list_buckets',
    { accountId: auth.accountId },
  );
  const bucket = buckets.find((b) => b.bucketName === 'mediaferry-demo')!;
  const upload = async (fileName: string, text: string) => {
    const target = await call<{ uploadUrl: string; authorizationToken: string }>('b2_get_upload_url', {
      bucketId: bucket.bucketId,
    });
    const response = await emulator.fetch(target.uploadUrl, {
      method: 'POST',
      headers: {
        authorization: target.authorizationToken,
        'x-bz-file-name': encodeURIComponent(fileName),
        'content-type': 'text/plain',
        'content-length': String(Buffer.byteLength(text)),
        'x-bz-content-sha1': createHash('sha1').update(text).digest('hex'),
        'x-bz-info-author': 'console-test',
      },
      body: text,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { fileId: string };
  };
  const page = async (path: string, init?: RequestInit) => {
    const response = await emulator.fetch(`${UI}${path}`, init);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    emulator.fetch(`${UI}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
  return { emulator, bucket, upload, page, form, token: auth.authorizationToken };
}

describe('the web console, server side', () => {
  it('shows buckets, then a bucket with each version: size, SHA-1, info, and what can be done to it', async () => {
    const { bucket, upload, page } = await b2();
    await upload('clips/harbour.txt', 'first');
    await upload('clips/harbour.txt', 'second version');
    const overview = await page('');
    expect(overview.status).toBe(200);
    expect(overview.headers.get('content-type')).toMatch(/^text\/html/);
    expect(overview.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(overview.text).toContain('mediaferry-demo');
    expect(overview.text).toContain(`?at=bucket%2F${bucket.bucketId}`);
    expect(overview.text).toContain('Application keys');
    const bucketPage = await page(`?at=bucket/${bucket.bucketId}`);
    expect(bucketPage.text).toContain('clips/harbour.txt');
    expect(bucketPage.text).toContain('2 versions');
    expect(bucketPage.text).toContain(createHash('sha1').update('second version').digest('hex'));
    expect(bucketPage.text).toContain('author=console-test');
    expect(bucketPage.text).toMatch(/name="action" value="hide"/);
    expect((await page('?at=bucket/nope')).status).toBe(404);
  });

  it('shows Object Lock: retention and legal hold of a version', async () => {
    const { emulator, bucket, upload, page } = await b2();
    const { fileId } = await upload('locked.txt', 'locked');
    const files = (emulator.control.dump() as { state: { files: Record<string, Record<string, unknown>> } })
      .state.files;
    files[fileId]!.fileRetention = { mode: 'governance', retainUntilTimestamp: Date.UTC(2030, 0, 1) };
    files[fileId]!.legalHold = 'on';
    const text = (await page(`?at=bucket/${bucket.bucketId}`)).text;
    expect(text).toContain('governance until 2030-01-01T00:00:00.000Z');
    expect(text).toContain('legal hold');
  });

  it('never shows an application key (the secret), only key ids', async () => {
    const { emulator, page } = await b2();
    const { key, keyId } = emulator.control.credentials() as { key: string; keyId: string };
    const overview = await page('');
    expect(overview.text).toContain(keyId);
    expect(overview.text).not.toContain(key);
  });

  it('deletes and hides through the B2 API, which journals the calls, and says what it did', async () => {
    const { emulator, bucket, upload, form } = await b2();
    const kept = await upload('keep.txt', 'keep');
    const doomed = await upload('doomed.txt', 'doomed');
    const hidden = await form('action', {
      action: 'hide',
      target: kept.fileId,
      back: `bucket/${bucket.bucketId}`,
    });
    expect(hidden.status).toBe(303);
    expect(said(hidden)).toMatch(/ok=hid keep\.txt/);
    const deleted = await form('action', { action: 'delete', target: doomed.fileId, back: '' });
    expect(deleted.status).toBe(303);
    const files = Object.values(
      (emulator.control.dump() as { state: { files: Record<string, { fileName: string; action: string }> } })
        .state.files,
    );
    expect(files.filter((f) => f.fileName === 'doomed.txt')).toEqual([]);
    expect(
      files
        .filter((f) => f.fileName === 'keep.txt')
        .map((f) => f.action)
        .sort(),
    ).toEqual(['hide', 'upload']);
    const endpoints = emulator.control.journal.entries().map((e) => e.endpoint);
    expect(endpoints).toContain('b2_hide_file');
    expect(endpoints).toContain('b2_delete_file_version');
    const refused = await form('action', { action: 'delete', target: 'no-such-file', back: '' });
    expect(said(refused)).toMatch(/error=no file version no-such-file/);
  });

  it('lists the journal and opens a request with its headers and bodies, secrets redacted', async () => {
    const { emulator, upload, page, token } = await b2();
    await upload('journal.txt', 'journal body');
    const journal = await page('journal');
    expect(journal.text).toContain('b2_upload_file');
    expect(journal.text).toContain('data-stream=');
    const uploadEntry = emulator.control.journal.entries().find((e) => e.endpoint === 'b2_upload_file')!;
    const detail = await page(`journal/${uploadEntry.seq}`);
    expect(detail.status).toBe(200);
    expect(detail.text).toContain('journal body');
    expect(detail.text).toContain('x-bz-info-author');
    expect(detail.text).toContain('[REDACTED]');
    expect(detail.text).not.toContain(token);
    const authorize = emulator.control.journal.entries()[0]!;
    expect(await page(`journal/${authorize.seq}`)).toMatchObject({ status: 200 });
    expect((await page(`journal/${authorize.seq}`)).text).not.toContain(token);
    expect((await page('journal/99999')).status).toBe(404);
    expect((await page('journal?status=bogus')).status).toBe(400);
  });

  it('serves a blob as a download, never as a page of the console origin', async () => {
    const { emulator, page, upload, bucket } = await b2();
    await upload('report.html', '<script>alert(1)</script>');
    const version = Object.values(
      (emulator.control.dump() as { state: { files: Record<string, { fileName: string; blobId: string }> } })
        .state.files,
    ).find((f) => f.fileName === 'report.html')!;
    const bucketPage = await page(`?at=bucket/${bucket.bucketId}`);
    expect(bucketPage.text).toContain(`blob/${version.blobId}?name=report.html`);
    const response = await emulator.fetch(`${UI}blob/${version.blobId}?name=report.html`);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="report.html"');
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-security-policy')).toBe('sandbox');
    expect(await response.text()).toBe('<script>alert(1)</script>');
  });

  it('arms and disarms faults, moves the clock, seeds and resets from its forms, refusing bad input whole', async () => {
    const { emulator, form, page } = await b2();
    const seeded = bucketCount(emulator);
    const armed = await form('faults', {
      on: 'b2_upload_file',
      status: '503',
      count: '2',
      retryAfter: '1',
      method: '',
    });
    expect(said(armed)).toMatch(/ok=HTTP fault 1 armed/);
    expect(emulator.control.faults.list()).toMatchObject([
      { on: 'b2_upload_file', status: 503, remaining: 2 },
    ]);
    expect((await page('steer')).text).toContain('b2_upload_file');
    const bad = await form('faults', { on: 'b2_upload_file', status: '200' });
    expect(said(bad)).toMatch(/error=status must be/);
    expect(emulator.control.faults.list()).toHaveLength(1);
    await form('wire-faults', { on: 'b2_download_file_by_id', kind: 'reset_mid_body', afterBytes: '10' });
    expect(emulator.control.wireFaults.list()).toHaveLength(1);
    await form('faults/1/disarm', {});
    await form('wire-faults/2/disarm', {});
    expect(emulator.control.faults.list()).toEqual([]);
    await form('wire-faults', { on: 'b2_list_buckets', kind: 'stall', ms: '10' });
    await form('faults/disarm-all', {});
    expect(emulator.control.wireFaults.list()).toEqual([]);
    await form('clock', { amount: '2', unit: 'days' });
    expect(emulator.control.clock.offsetMs).toBe(2 * 86_400_000);
    const tooFar = await form('clock', { amount: '100000000', unit: 'days' });
    expect(said(tooFar)).toMatch(/error=advanceMs must be at most/);
    expect(emulator.control.clock.offsetMs).toBe(2 * 86_400_000);
    await form('reset', {});
    expect(bucketCount(emulator)).toBe(0);
    await form('seed', { name: 'demo' });
    expect(bucketCount(emulator)).toBe(seeded);
    const unknown = await form('seed', { name: 'galaxy' });
    expect(said(unknown)).toMatch(/error=unknown seed galaxy/);
  });

  it('refuses changes from another origin, and any request naming a foreign Host over a socket', async () => {
    const { emulator, form } = await b2();
    const seeded = bucketCount(emulator);
    for (const headers of [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }]) {
      const refused = await form('reset', {}, headers);
      expect(refused.status).toBe(403);
    }
    const json = await emulator.fetch(`${ORIGIN}/__emulator/faults`, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ on: '*', status: 500, count: -1 }),
    });
    expect(json.status).toBe(403);
    expect(emulator.control.faults.list()).toEqual([]);
    expect(bucketCount(emulator)).toBe(seeded);

    const server = await emulator.listen();
    open.push(server);
    const { request } = await import('node:http');
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/__emulator/ui/`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await get('attacker.example')).toBe(403);
    expect(await get(`127.0.0.1:${server.port}`)).toBe(200);
    expect(await get(`localhost:${server.port}`)).toBe(200);
  });

  it('streams journal entries as server-sent events, with the clock offset', async () => {
    const { emulator, upload } = await b2();
    const since = emulator.control.journal.entries().at(-1)!.seq;
    const response = await emulator.fetch(`${UI}events?since=b2:${since}`);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(received)) received += decoder.decode((await reader.read()).value);
    };
    await until(/event: clock\ndata: \{"offsetMs":0\}/);
    await upload('live.txt', 'live');
    await until(/"endpoint":"b2_upload_file"/);
    expect(received).toMatch(/"service":"b2"/);
    expect(received).toMatch(/"detail":"\/__emulator\/ui\/journal\/\d+"/);
    await reader.cancel();
  });

  it('serves its script, style and icon itself', async () => {
    const { emulator } = await b2();
    const script = await emulator.fetch(`${UI}live.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).toContain('new EventSource');
    expect((await emulator.fetch(`${UI}style.css`)).headers.get('content-type')).toMatch(/text\/css/);
    expect((await emulator.fetch(`${UI}favicon.svg`)).status).toBe(200);
  });
});

describe('the console index of every service', () => {
  it('links each service and merges their journals', async () => {
    const started = await startEmulators({ seed: 'demo' });
    open.push(started);
    expect(started.index).toMatch(/\/__emulator\/ui\/all$/);
    const names = started.emulators.map((e) => e.name);
    expect(names).toEqual(['b2', 'biggo', 'gopro', 'mixcloud']);
    for (const service of started.emulators) {
      const response = await fetch(service.console);
      expect(response.status).toBe(200);
      const text = await response.text();
      for (const other of started.emulators.filter((e) => e !== service))
        expect(text).toContain(other.console);
    }
    await fetch(`${started.emulators[2]!.url}/media/search`);
    const index = await (await fetch(started.index)).text();
    for (const label of ['buckets', 'videos', 'media', 'shows', 'follows']) expect(index).toContain(label);
    expect(index).toMatch(/<td>gopro<\/td>/);
    for (const service of started.emulators) {
      const page = await (await fetch(service.console)).text();
      expect(page).toMatch(/<h1>/);
    }
  });
});

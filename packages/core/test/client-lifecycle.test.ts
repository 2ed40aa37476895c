import { describe, expect, it } from 'vitest';
import { AbortError, BaseClient, type FetchLike, ManualClock } from '../src/index.js';
import { createProbe, probeProfile } from './support/probe.js';

/** A server that never answers: the request ends only when its signal aborts. */
const hanging: FetchLike = (input, init) =>
  new Promise((_resolve, reject) => {
    const request = new Request(input, init);
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
  });

describe('BaseClient lifecycle', () => {
  it('close() aborts calls in flight and refuses later ones with AbortError', async () => {
    const client = new BaseClient(
      { baseUrl: 'http://x.test', fetch: hanging, clock: new ManualClock() },
      probeProfile,
    );
    const inFlight = client.request({ path: '/slow' });
    await new Promise((r) => setImmediate(r));
    expect(client.closed).toBe(false);
    client.close();
    client.close();
    expect(client.closed).toBe(true);
    await expect(inFlight).rejects.toBeInstanceOf(AbortError);
    await expect(client.request({ path: '/later' })).rejects.toThrow('The client was closed');
  });

  it('derive takes the options given (none of the parent), shares credentials and the lifetime both ways', async () => {
    const { client, control } = createProbe();
    const dispatcher = {};
    const base = client({ clock: new ManualClock(), fetchOptions: { dispatcher } });
    const { fetchOptions: _dispatcher, ...rest } = base.options;
    const quick = base.derive({ ...rest, defaultHeaders: { 'x-extra': '1' } });
    expect(quick.options.baseUrl).toBe(base.options.baseUrl);
    expect(quick.options.fetchOptions).toBeUndefined();
    expect(quick.auth).toBe(base.auth);
    expect(quick.options.defaultHeaders).toEqual({ 'x-extra': '1' });
    expect(base.options.defaultHeaders).toBeUndefined();
    await quick.request({ method: 'POST', path: '/echo', body: { json: {} }, endpoint: 'echo' });
    expect(control.journal.entries()).toHaveLength(1);
    const bare = base.derive(base.options, null);
    expect(bare.auth).toBeUndefined();
    quick.close();
    expect(base.closed).toBe(true);
    expect(bare.closed).toBe(true);
    await expect(base.request({ path: '/echo' })).rejects.toBeInstanceOf(AbortError);
  });

  it('lifetimeSignal joins the given signals with the lifetime: closing or aborting either ends it', () => {
    const { client } = createProbe();
    const base = client({ clock: new ManualClock() });
    const caller = new AbortController();
    const joined = base.lifetimeSignal(caller.signal, undefined);
    const bare = base.lifetimeSignal();
    expect(joined.aborted || bare.aborted).toBe(false);
    caller.abort();
    expect(joined.aborted).toBe(true);
    expect(bare.aborted).toBe(false);
    const later = base.derive(base.options).lifetimeSignal(new AbortController().signal);
    base.close();
    expect(bare.aborted).toBe(true);
    expect(later.aborted).toBe(true);
    expect(later.reason).toBeInstanceOf(AbortError);
    expect(base.lifetimeSignal().aborted).toBe(true);
  });

  it('callText gives the text with its response', async () => {
    const fetch: FetchLike = async () =>
      new Response('<p>hi</p>', { headers: { 'content-type': 'text/html', 'x-request-id': 'rid-7' } });
    const client = new BaseClient({ baseUrl: 'http://x.test', fetch }, probeProfile);
    const { data, response, requestId } = await client.callText({ path: '/page' }).withResponse();
    expect(data).toBe('<p>hi</p>');
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(requestId).toBe('rid-7');
    expect(await client.text({ path: '/page' })).toBe('<p>hi</p>');
  });
});

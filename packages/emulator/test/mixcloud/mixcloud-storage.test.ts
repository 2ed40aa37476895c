/**
 * What the Mixcloud emulator keeps of uploaded pictures: the one a show displays, and nothing else, whether
 * an edit replaces it, a request carries several, or the request is refused after the picture arrived.
 */
import { describe, expect, it, vi } from 'vitest';
import { MIXCLOUD_DEMO_TOKEN, mixcloudService } from '../../src/index.js';
import { serve } from '../support/http.js';

const token = `access_token=${MIXCLOUD_DEMO_TOKEN}`;

type Server = Awaited<ReturnType<typeof serve>>;

/** A form whose parts come in the order given; a file is `[name, size]`. */
function form(parts: ReadonlyArray<readonly [string, string | number]>): FormData {
  const body = new FormData();
  for (const [name, value] of parts) {
    if (typeof value === 'string') body.append(name, value);
    else body.append(name, new Blob([new Uint8Array(value).fill(name.length)]), `${name}.bin`);
  }
  return body;
}

const blobIds = (s: Server) =>
  (s.emulator.control.dump() as { blobs: { id: string }[] }).blobs.map((blob) => blob.id);
const pictureOf = (s: Server, key: string) =>
  (s.emulator.control.dump() as { state: { cloudcasts: Record<string, { picture_blob: string | null }> } })
    .state.cloudcasts[decodeURIComponent(key)]?.picture_blob;

describe('Mixcloud emulator storage', () => {
  it('an edit with a new picture gives the old one back', async () => {
    const s = await serve(mixcloudService, { seed: 'demo' });
    const before = blobIds(s);
    const made = await s.json(`/upload/?${token}`, {
      method: 'POST',
      body: form([
        ['name', 'Pictured'],
        ['mp3', 2000],
        ['picture', 100],
      ]),
    });
    expect(made.status).toBe(200);
    const key = made.body.result.key as string;
    const first = pictureOf(s, key);
    expect(blobIds(s)).toEqual([...before, first]);
    const edited = await s.json(`/upload${key}edit/?${token}`, {
      method: 'POST',
      body: form([['picture', 200]]),
    });
    expect(edited.status).toBe(200);
    const second = pictureOf(s, key);
    expect(second).not.toBe(first);
    expect(blobIds(s)).toEqual([...before, second]);
  });

  it('of several picture parts the last is kept; a refused request keeps none', async () => {
    const s = await serve(mixcloudService, { seed: 'demo', options: { mp3MaxSize: 1000 } });
    const before = blobIds(s).length;
    const twice = await s.json(`/upload/?${token}`, {
      method: 'POST',
      body: form([
        ['name', 'Twice'],
        ['picture', 100],
        ['mp3', 1000],
        ['picture', 300],
      ]),
    });
    expect(twice.status).toBe(200);
    const kept = pictureOf(s, twice.body.result.key);
    expect(blobIds(s)).toHaveLength(before + 1);
    expect(
      (s.emulator.control.dump() as { blobs: { id: string; size: number }[] }).blobs.at(-1),
    ).toMatchObject({ id: kept, size: 300 });

    // A picture, then an mp3 over the limit: answered at once, the picture dropped once the parse winds down.
    const oversize = await s.json(`/upload/?${token}`, {
      method: 'POST',
      body: form([
        ['name', 'Too long'],
        ['picture', 100],
        ['mp3', 1001],
      ]),
    });
    expect(oversize.status).toBe(400);
    // A picture, then a body cut short.
    const boundary = 'cut-short';
    const malformed = await s.json(`/upload/?${token}`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body:
        `--${boundary}\r\nContent-Disposition: form-data; name="picture"; filename="p.jpg"\r\n\r\n${'p'.repeat(100)}` +
        `\r\n--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nno end`,
    });
    expect(malformed.status).toBe(400);
    await vi.waitFor(() => expect(blobIds(s)).toHaveLength(before + 1));
  });
});

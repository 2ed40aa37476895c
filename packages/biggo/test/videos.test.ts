/**
 * `biggo.videos` and `biggo.account` against the BigGo emulator: listing in pages of any size, get,
 * updates, delete, uploads (a string is a path), publish with its clean-up, waiting for processing on the
 * virtual clock, and downloads through the client's transport.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InvalidInputError,
  NotFoundError,
  PaginationError,
  type Progress,
  ResponseValidationError,
  TimeoutError,
} from '@mediaferry/core';
import { BIGGO_DEMO_CLIENT } from '@mediaferry/emulator';
import { describe, expect, it } from 'vitest';
import { Access, BigGoError, isProcessed, ProcessStatus } from '../src/index.js';
import { failure, setup, videoBytes } from './support.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'mf-biggo-'));

describe('videos.list', () => {
  it('walks every video newest first in pages of pageSize, asking each 20-video server page once', async () => {
    const { biggo, calls } = setup();
    const pages = [];
    for await (const page of biggo.videos.list({ pageSize: 7 }).pages()) pages.push(page.items);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 7, 7, 3]);
    const ids = pages.flat().map((v) => v.video_id);
    expect(new Set(ids).size).toBe(45);
    const times = pages.flat().map((v) => v.timestamp.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(calls().filter((c) => c.startsWith('user_videos'))).toEqual([
      'user_videos:200',
      'user_videos:200',
      'user_videos:200',
    ]);
  });

  it('defaults to BigGo pages of 20; larger pages span server pages; no empty page past the end', async () => {
    const { biggo, calls } = setup();
    const first = await biggo.videos.list();
    expect(first.items).toHaveLength(20);
    const big = [];
    for await (const page of biggo.videos.list({ pageSize: 50 }).pages()) big.push(page.items.length);
    expect(big).toEqual([45]);
    expect(calls().filter((c) => c.startsWith('user_videos'))).toHaveLength(4);
    expect(await biggo.videos.list({ pageSize: 45 }).toArray({ limit: 1000 })).toHaveLength(45);
  });

  it("lists another user's visible videos; an unknown user is code 1007; bad paging input fails before any request", async () => {
    const { biggo, calls } = setup();
    const others = await biggo.videos.list({ userId: 'u2000' }).toArray({ limit: 100 });
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((v) => v.userid === 'u2000' && !v.is_myvideo && v.access !== Access.PRIVATE)).toBe(
      true,
    );
    expect(await failure(biggo.videos.list({ userId: 'nobody' }).firstPage())).toMatchObject({
      errorCode: 1007,
    });
    const before = calls().length;
    expect(() => biggo.videos.list({ pageSize: 0 })).toThrow(InvalidInputError);
    expect(() => biggo.videos.list({ userId: '' })).toThrow(InvalidInputError);
    expect(calls().length).toBe(before);
  });

  it('stops a listing that would never end at maxPages', async () => {
    const { biggo } = setup();
    const error = await failure(biggo.videos.list({ pageSize: 5, maxPages: 3 }).toArray({ limit: 100 }));
    expect(error).toBeInstanceOf(PaginationError);
  });
});

describe('videos.get, update, partialUpdate, delete', () => {
  it('round-trips the settings; answers are the seed response models; delete then get is 1004', async () => {
    const { biggo, seen } = setup();
    const { video_id: id } = await biggo.videos.upload(videoBytes(7)).done();
    expect(
      await biggo.videos.update({
        videoId: id,
        access: Access.PUBLIC,
        title: 'Harbour at dawn',
        description: 'calm',
      }),
    ).toMatchObject({ result: true });
    let video = await biggo.videos.get(id);
    expect(video).toMatchObject({
      video_id: id,
      access: Access.PUBLIC,
      limit: Access.PUBLIC,
      title: 'Harbour at dawn',
      description: 'calm',
    });
    expect(
      await biggo.videos.partialUpdate({ videoId: id, access: 'unlisted', thumbnailTime: 1500 }),
    ).toEqual({
      result: true,
    });
    const patch = seen.find((r) => r.method === 'PATCH')!;
    expect(await patch.json()).toEqual({ access: 2, thumbnail_time: 1500 });
    video = await biggo.videos.get(id);
    expect(video.access).toBe(Access.UNLISTED);
    expect(video.meta?.thumbnails[0]).toContain('-1500.jpg');
    expect(await biggo.videos.delete(id)).toEqual({ result: true });
    const gone = await failure(biggo.videos.get(id));
    expect(gone).toBeInstanceOf(BigGoError);
    expect(gone).toBeInstanceOf(NotFoundError);
    expect(gone).toMatchObject({ status: 404, errorCode: 1004 });
  });

  it('bad input is an InvalidInputError before any request, as a rejected promise', async () => {
    const { biggo, calls } = setup();
    const before = calls().length;
    const checks = [
      biggo.videos.update({ videoId: 'v1', title: 'only a title' }),
      biggo.videos.partialUpdate({ videoId: 'v1' }),
      biggo.videos.partialUpdate({
        videoId: 'v1',
        productList: Array.from({ length: 11 }, (_, i) => ({ nindex: 'n', oid: String(i) })),
      }),
      biggo.videos.partialUpdate({ videoId: 'v1', productList: [{ nindex: '', oid: '1' }] }),
      biggo.videos.partialUpdate({ videoId: 'v1', thumbnailTime: -1 }),
      // @ts-expect-error: not an access value
      biggo.videos.partialUpdate({ videoId: 'v1', access: 'secret' }),
      biggo.videos.get(''),
      biggo.videos.delete(' '),
    ];
    for (const check of checks) expect(await failure(check)).toBeInstanceOf(InvalidInputError);
    expect(calls().length).toBe(before);
  });

  it('products: at most 10, each listed back with every field of a full product', async () => {
    const { biggo } = setup();
    const { video_id: id } = await biggo.videos.upload(videoBytes(8)).done();
    const productList = Array.from({ length: 10 }, (_, i) => ({
      nindex: 'tw_pmall_test',
      oid: String(100 + i),
    }));
    await biggo.videos.partialUpdate({ videoId: id, productList });
    const video = await biggo.videos.get(id);
    expect(video.product_count).toBe(10);
    expect(video.product_list?.[0]).toMatchObject({ title: 'Product 100', currency: 'TWD', hasShop: true });
  });

  it('withResponse gives the status and headers of the answer, from the same request', async () => {
    const { biggo, calls } = setup();
    const [video] = (await biggo.videos.list()).items;
    const before = calls().length;
    const { data, response } = await biggo.videos.get(video!.video_id).withResponse();
    expect(data.video_id).toBe(video!.video_id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(calls().length - before).toBe(1);
  });

  it('an answer without the video asked for does not pass as a video', async () => {
    const { biggo } = setup(
      {},
      {
        middleware: [
          async (request, next) => {
            const response = await next(request);
            if (request.method !== 'GET' || !request.url.includes('/api/v1/video/')) return response;
            const body = (await response.json()) as Record<string, unknown>;
            return Response.json({ ...body, video: [] });
          },
        ],
      },
    );
    const [video] = (await biggo.videos.list()).items;
    expect(await failure(biggo.videos.get(video!.video_id))).toBeInstanceOf(ResponseValidationError);
  });
});

describe('videos.upload', () => {
  it('reads a string as a path (never as content), with File-Size and progress up to the file size', async () => {
    const { biggo, seen } = setup();
    const dir = await tempDir();
    const path = join(dir, 'test_video1.mp4');
    const bytes = videoBytes(3, 300_000);
    await writeFile(path, bytes);
    const upload = biggo.videos.upload(path);
    const events: Progress[] = [];
    upload.on('progress', (p) => events.push(p));
    const { video_id: id } = await upload.done();
    const sent = seen.find((r) => r.url.endsWith('/api/v1/video/'))!;
    expect(sent.headers.get('file-size')).toBe('300000');
    const body = new Uint8Array(await sent.arrayBuffer());
    expect(new TextDecoder().decode(body.subarray(0, 300))).toContain(
      'name="video"; filename="test_video1.mp4"',
    );
    expect(Buffer.from(body).includes(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(body).includes(Buffer.from(path))).toBe(false);
    expect(events.at(-1)).toEqual({ loaded: 300_000, total: 300_000 });
    expect(upload.progress).toEqual({ loaded: 300_000, total: 300_000 });
    expect((await biggo.videos.get(id)).video_id).toBe(id);
  });

  it('a missing file fails with InvalidInputError before any request; a duplicate is 1002', async () => {
    const { biggo, calls } = setup();
    const before = calls().length;
    const missing = await failure(biggo.videos.upload(join(await tempDir(), 'NotExistVideo.mp4')).done());
    expect(missing).toBeInstanceOf(InvalidInputError);
    expect(calls().length).toBe(before);
    await biggo.videos.upload(videoBytes(5), { filename: 'a.mp4' }).done();
    const duplicate = await failure(biggo.videos.upload(videoBytes(5), { filename: 'b.mp4' }).done());
    expect(duplicate).toMatchObject({ errorCode: 1002, status: 409 });
  });

  it('sends the thumbnail time header and the file name given; abort() stops it with AbortError', async () => {
    const { biggo, seen, calls } = setup();
    await biggo.videos
      .upload(new Blob([videoBytes(9)]), { filename: 'clip.mov', thumbnailTime: 2500 })
      .done();
    const sent = seen.find((r) => r.url.endsWith('/api/v1/video/'))!;
    expect(sent.headers.get('x-bgo-thumbnail-ts')).toBe('2500');
    expect(await sent.text()).toContain('filename="clip.mov"');
    const aborted = biggo.videos.upload(videoBytes(10));
    aborted.abort();
    expect(await failure(aborted.done())).toMatchObject({ name: 'AbortError' });
    expect(calls().filter((c) => c.startsWith('upload'))).toHaveLength(1);
  });
});

describe('videos.publish', () => {
  it('uploads, applies the settings, and gives the video; waitUntilProcessed polls on the virtual clock', async () => {
    const { biggo, clock } = setup({ processingMs: 12_000 });
    const events: Progress[] = [];
    const video = await biggo.videos
      .publish(videoBytes(9), { title: 'Clip', access: 'public' }, { onProgress: (p) => events.push(p) })
      .done();
    expect(video).toMatchObject({ title: 'Clip', description: '', access: Access.PUBLIC });
    expect(events.at(-1)).toEqual({ loaded: 5000, total: 5000 });
    expect(video.status.process_status).toBe(ProcessStatus.INQUEUE);
    expect(video.meta?.download).toBeNull();
    expect(await failure(biggo.videos.download(video.video_id))).toBeInstanceOf(InvalidInputError);
    const done = await biggo.videos.waitUntilProcessed(video.video_id, { intervalMs: 5000 });
    expect(isProcessed(done)).toBe(true);
    expect(done.meta?.download?.mp4).toContain(`/media/${video.video_id}.mp4`);
    expect(clock.sleeps).toEqual([5000, 5000, 5000]);
  });

  it('gives up with a TimeoutError past timeoutMs', async () => {
    const { biggo } = setup({ processingMs: 60_000 });
    const video = await biggo.videos.publish(videoBytes(12), { title: 'Slow' }).done();
    const error = await failure(
      biggo.videos.waitUntilProcessed(video.video_id, { intervalMs: 5000, timeoutMs: 20_000 }),
    );
    expect(error).toBeInstanceOf(TimeoutError);
  });

  it('deletes the upload when the settings are refused; bad settings fail before the upload', async () => {
    const { biggo, emulator, calls } = setup();
    emulator.control.faults.add({ on: 'update', status: 400, code: '1006', message: 'bad' });
    expect(await failure(biggo.videos.publish(videoBytes(11), { title: 'Clip' }).done())).toMatchObject({
      errorCode: 1006,
    });
    expect(calls()).toContain('delete:200');
    expect((await biggo.videos.list().toArray({ limit: 100 })).map((v) => v.title)).not.toContain('Clip');
    const before = calls().length;
    expect(await failure(biggo.videos.publish(videoBytes(13), { title: '' }).done())).toBeInstanceOf(
      InvalidInputError,
    );
    expect(
      await failure(
        biggo.videos.publish(videoBytes(13), { title: 'x', productList: [{ nindex: 'n', oid: '' }] }).done(),
      ),
    ).toBeInstanceOf(InvalidInputError);
    expect(calls().length).toBe(before);
  });
});

describe('downloads', () => {
  it('download streams the processed file; no token goes to the media link', async () => {
    const { biggo, seen } = setup({ processingMs: 0 });
    const bytes = videoBytes(21, 70_000);
    const { video_id: id } = await biggo.videos.upload(bytes).done();
    const file = await biggo.videos.download(id);
    expect(file).toMatchObject({ size: 70_000, contentType: 'video/mp4' });
    expect(file.video.video_id).toBe(id);
    expect(Buffer.from(await new Response(file.body).arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    const media = seen.find((r) => r.url.includes('/media/'))!;
    expect(media.headers.get('authorization')).toBeNull();
    expect(media.headers.get('region')).toBeNull();
  });

  it('downloadToFile writes the file atomically with progress, and survives a cut body', async () => {
    const { biggo, emulator } = setup({ processingMs: 0 });
    const bytes = videoBytes(22, 200_000);
    const { video_id: id } = await biggo.videos.upload(bytes).done();
    const dir = await tempDir();
    emulator.control.wireFaults.add({ on: 'media', kind: 'reset_mid_body', afterBytes: 50_000 });
    const events: Progress[] = [];
    const transfer = biggo.videos.downloadToFile(
      id,
      join(dir, 'out.mp4'),
      {},
      { onProgress: (p) => events.push(p) },
    );
    const saved = await transfer.done();
    expect(saved).toMatchObject({ path: join(dir, 'out.mp4'), size: 200_000 });
    expect((await readFile(join(dir, 'out.mp4'))).equals(Buffer.from(bytes))).toBe(true);
    expect(await readdir(dir)).toEqual(['out.mp4']);
    const loaded = events.map((e) => e.loaded);
    expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
    expect(events.at(-1)).toEqual({ loaded: 200_000, total: 200_000 });
  });

  it('head gives the size without the bytes; a range header gets part of the file (206)', async () => {
    const { biggo, calls, seen } = setup({ processingMs: 0 });
    const bytes = videoBytes(23, 30_000);
    const { video_id: id } = await biggo.videos.upload(bytes).done();
    const video = await biggo.videos.get(id);
    const before = calls().length;
    const { data: head, response } = await biggo.videos.head(video).withResponse();
    expect(head).toMatchObject({ size: 30_000, contentType: 'video/mp4' });
    expect(head.video.video_id).toBe(id);
    expect(response.status).toBe(200);
    expect(calls().slice(before)).toEqual(['media:200']);
    expect(seen.at(-1)!.method).toBe('HEAD');
    expect(seen.at(-1)!.headers.get('authorization')).toBeNull();
    const part = await biggo.videos.download(video, { headers: { range: 'bytes=1000-1999' } }).withResponse();
    expect(part.response.status).toBe(206);
    expect(part.data.size).toBe(1000);
    expect(part.data.headers.get('content-range')).toBe('bytes 1000-1999/30000');
    const got = Buffer.from(await new Response(part.data.body).arrayBuffer());
    expect(got.equals(Buffer.from(bytes.subarray(1000, 2000)))).toBe(true);
    expect(await failure(biggo.videos.head(''))).toBeInstanceOf(InvalidInputError);
  });

  it('a video listed already is downloaded without a second look; a missing video is 1004', async () => {
    const { biggo, calls } = setup({ processingMs: 0 });
    const [video] = (await biggo.videos.list()).items;
    const before = calls().length;
    const file = await biggo.videos.download(video!);
    await file.body.cancel();
    expect(calls().slice(before)).toEqual(['media:200']);
    expect(
      await failure(biggo.videos.downloadToFile('missing', join(await tempDir(), 'x.mp4')).done()),
    ).toMatchObject({
      errorCode: 1004,
    });
  });
});

describe('the links a video carries', () => {
  it('profileimg, cover_image, thumbnails, the page url and product links all answer (no token needed)', async () => {
    const { biggo, fetch } = setup({ processingMs: 0 });
    const { video_id: id } = await biggo.videos.upload(videoBytes(30)).done();
    await biggo.videos.partialUpdate({
      videoId: id,
      access: 'public',
      productList: [{ nindex: 'tw_pmall_x', oid: '7' }],
    });
    const video = await biggo.videos.get(id);
    const product = video.product_list![0]!;
    const links = {
      image: [video.profileimg, video.meta!.cover_image, ...video.meta!.thumbnails, product.image],
      page: [video.url, product.url!, product.purl!],
    };
    for (const link of links.image) {
      const answer = await fetch(link);
      expect([link, answer.status, answer.headers.get('content-type')]).toEqual([link, 200, 'image/jpeg']);
    }
    for (const link of links.page) {
      const answer = await fetch(link);
      expect(answer.status, link).toBeLessThan(400);
    }
    expect(await (await fetch(video.url)).text()).toContain(`/media/${id}.mp4`);
  });
});

describe('account.permission', () => {
  it('says who the credentials act for', async () => {
    const { biggo } = setup({}, { region: 'jp' });
    expect(await biggo.account.permission()).toEqual({
      result: true,
      at_userid: 'ferrystudio',
      region: 'jp',
      userid: 'u1000',
    });
    expect(BIGGO_DEMO_CLIENT.clientId).toBeTruthy();
  });
});

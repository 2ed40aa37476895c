/**
 * Downloads of a processed video (the mp4 link of `meta.download`), through the client's transport: its
 * timeouts, retries, abort and typed errors. The link is a public CDN URL: no credentials go to it.
 *
 * @module
 */
import {
  APIPromise,
  InvalidInputError,
  type RangeOpener,
  ResponseValidationError,
  rangeOpener,
  type SavedFile,
  saveToFile,
  type Transfer,
} from '@mediaferry/core';
import { getOneVideo } from './api.js';
import type { BigGoContext, BigGoTransferOptions } from './context.js';
import type { BigGoVideo } from './models.js';
import { requireId } from './params.js';

/** A video's bytes as a stream, with what the server said about them. */
export interface DownloadedFile {
  /** The bytes; the stream errors if they end before the announced length. */
  readonly body: ReadableStream<Uint8Array>;
  /** Length announced by the server, when it did. */
  readonly size: number | undefined;
  readonly contentType: string | undefined;
  /** Response headers (secrets redacted). */
  readonly headers: Headers;
  /** The video the bytes belong to. */
  readonly video: BigGoVideo;
}

/** What a HEAD on a video's file says: its size and type, without the bytes. */
export interface VideoHead {
  /** Length announced by the server (BigGo gives no checksum: this is what a download is verified against). */
  readonly size: number | undefined;
  readonly contentType: string | undefined;
  /** Response headers (`etag`, `last-modified`… when the CDN sends them). */
  readonly headers: Headers;
  /** The video the file belongs to. */
  readonly video: BigGoVideo;
}

/** Options of `videos.downloadToFile`. */
export interface DownloadToFileParams {
  /** Replace an existing file. Default true. */
  readonly overwrite?: boolean | undefined;
  /** Keep `<path>.mfpart` when the download fails, and resume from it next time. Default false. */
  readonly keepPartial?: boolean | undefined;
}

/** A video, by id or as already listed. */
export type VideoRef = string | BigGoVideo;

/** The mp4 link of a processed video, or `InvalidInputError` while it is still processing. */
function mp4Of(video: BigGoVideo): string {
  const link = video.meta?.download?.mp4;
  if (link === undefined)
    throw new InvalidInputError(
      'videoId',
      `video ${video.video_id} has no file to download yet (still processing: see videos.waitUntilProcessed)`,
    );
  const url = URL.canParse(link) ? new URL(link) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:')
    throw new ResponseValidationError(
      `biggo video ${video.video_id}: the download link is not an http(s) URL`,
      [{ path: 'meta.download.mp4', message: 'expected an http(s) URL' }],
    );
  return link;
}

async function videoOf(ctx: BigGoContext, ref: VideoRef, options: BigGoTransferOptions): Promise<BigGoVideo> {
  if (typeof ref === 'object' && ref !== null && typeof ref.video_id === 'string') return ref;
  return getOneVideo(ctx, requireId(ref, 'videoId'), options);
}

/** `videos.download`: the bytes as a stream. */
export function download(
  ctx: BigGoContext,
  ref: VideoRef,
  options: BigGoTransferOptions,
): APIPromise<DownloadedFile> {
  return new APIPromise(
    (async () => {
      const video = await videoOf(ctx, ref, options);
      const answer = await ctx.stream(
        { path: mp4Of(video), endpoint: 'download', onDownloadProgress: options.onProgress },
        options,
      );
      const data: DownloadedFile = {
        body: answer.body,
        size: answer.contentLength,
        contentType: answer.headers.get('content-type') ?? undefined,
        headers: answer.headers,
        video,
      };
      return {
        data,
        response: { status: answer.status, headers: answer.headers, url: answer.url },
        requestId: answer.requestId,
      };
    })(),
  );
}

/** `videos.head`: a HEAD on the file (its empty body already released). */
export function head(ctx: BigGoContext, ref: VideoRef, options: BigGoTransferOptions): APIPromise<VideoHead> {
  return new APIPromise(
    (async () => {
      const video = await videoOf(ctx, ref, options);
      const answer = await ctx.stream({ path: mp4Of(video), endpoint: 'download', method: 'HEAD' }, options);
      await answer.body.cancel().catch(() => {});
      const data: VideoHead = {
        size: answer.contentLength,
        contentType: answer.headers.get('content-type') ?? undefined,
        headers: answer.headers,
        video,
      };
      return {
        data,
        response: { status: answer.status, headers: answer.headers, url: answer.url },
        requestId: answer.requestId,
      };
    })(),
  );
}

/**
 * `videos.downloadToFile`: written beside `path` under a temporary name, its length proven, fsynced and
 * renamed; a body cut mid-way resumes by range.
 */
export function downloadToFile(
  ctx: BigGoContext,
  ref: VideoRef,
  path: string,
  params: DownloadToFileParams,
  options: BigGoTransferOptions,
): Transfer<SavedFile> {
  return ctx.transfer(options, async (transfer) => {
    if (typeof path !== 'string' || path === '') throw new InvalidInputError('path', 'is required');
    const call = { ...options, signal: transfer.signal };
    const video = await videoOf(ctx, ref, call);
    const open: RangeOpener = rangeOpener(
      { stream: (request) => ctx.stream(request, call) },
      { path: mp4Of(video), endpoint: 'download' },
    );
    return saveToFile(open, path, {
      signal: transfer.signal,
      refuseHtml: true,
      overwrite: params.overwrite,
      keepPartial: params.keepPartial,
      onProgress: (progress) => {
        transfer.progress.setTotal(progress.total);
        transfer.progress.report(progress.loaded);
      },
    });
  });
}

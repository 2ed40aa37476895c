/**
 * Uploads as `Transfer`s: `videos.upload` (the bytes) and `videos.publish` (the bytes, then the settings,
 * the upload deleted again when the settings fail). Progress counts the video's bytes as they are sent,
 * monotonic across retries.
 *
 * @module
 */
import { basename } from 'node:path';
import {
  type BodySource,
  countedStream,
  fromPath,
  InvalidInputError,
  type Transfer,
  type TransferContext,
  toBodySource,
  type UploadSource,
} from '@mediaferry/core';
import { deleteVideo, getOneVideo, updateVideo, uploadVideo } from './api.js';
import type { BigGoContext, BigGoTransferOptions } from './context.js';
import type { AccessInput, BigGoProductRef, BigGoVideo, VideoUploadResponse } from './models.js';
import { fullUpdateBody } from './params.js';

/**
 * What an upload reads: **a string is a path** (never content), or `fromPath(path)`, a `Blob`, bytes, a
 * factory of streams (replayable), or a stream (read once: not retried once started).
 */
export type VideoSource = string | Exclude<UploadSource, string>;

/** Parameters of `videos.upload`. */
export interface VideoUploadParams {
  /** File name sent with the bytes. Default: the path's base name, else `video.mp4`. */
  readonly filename?: string | undefined;
  /** Where the thumbnail is taken, in ms into the video (the `X-Bgo-Thumbnail-TS` header). */
  readonly thumbnailTime?: number | undefined;
  /** Size in bytes of a stream source (sent as `File-Size`); files, Blobs and bytes know theirs. */
  readonly size?: number | undefined;
}

/** Parameters of `videos.publish`: the upload's, and the settings applied right after it. */
export interface VideoPublishParams extends VideoUploadParams {
  readonly title: string;
  /** Default empty. */
  readonly description?: string | undefined;
  /** Default private. */
  readonly access?: AccessInput | undefined;
  readonly productList?: readonly BigGoProductRef[] | undefined;
}

function checkUploadParams(params: VideoUploadParams): void {
  if (typeof params !== 'object' || params === null)
    throw new InvalidInputError('params', 'must be an object');
  if (params.filename !== undefined && (typeof params.filename !== 'string' || params.filename.trim() === ''))
    throw new InvalidInputError('filename', 'must be a non-empty string');
  if (
    params.thumbnailTime !== undefined &&
    (!Number.isSafeInteger(params.thumbnailTime) || params.thumbnailTime < 0)
  )
    throw new InvalidInputError('thumbnailTime', 'must be whole milliseconds ≥ 0');
  if (params.size !== undefined && (!Number.isSafeInteger(params.size) || params.size < 0))
    throw new InvalidInputError('size', 'must be a whole number of bytes ≥ 0');
}

function filenameOf(source: VideoSource, params: VideoUploadParams): string {
  if (params.filename !== undefined) return params.filename;
  if (typeof source === 'string') return basename(source);
  if (typeof source === 'object' && source !== null && 'kind' in source && source.kind === 'file')
    return basename(source.path);
  return 'video.mp4';
}

/** The source with every byte read from it reported (per attempt: the reporter keeps the count monotonic). */
function counted(source: BodySource, report: (loaded: number) => void): BodySource {
  return {
    kind: 'body',
    size: source.size,
    replayable: source.replayable,
    rangeable: false,
    get consumed() {
      return source.consumed;
    },
    open: async () => countedStream(await source.open(), report),
  };
}

/** Sends the bytes inside a transfer: `InvalidInputError` for a missing file before any request. */
async function send(
  ctx: BigGoContext,
  source: VideoSource,
  params: VideoUploadParams,
  transfer: TransferContext,
  options: BigGoTransferOptions,
): Promise<VideoUploadResponse> {
  const body = await toBodySource(typeof source === 'string' ? fromPath(source) : source, {
    field: 'source',
    ...(params.size === undefined ? {} : { size: params.size }),
  });
  transfer.progress.setTotal(body.size);
  return uploadVideo(
    ctx,
    counted(body, (loaded) => transfer.progress.report(loaded)),
    { filename: filenameOf(source, params), thumbnailTime: params.thumbnailTime },
    { ...options, signal: transfer.signal },
  );
}

/** `videos.upload`: the new video's id once the server has the bytes. */
export function uploadTransfer(
  ctx: BigGoContext,
  source: VideoSource,
  params: VideoUploadParams,
  options: BigGoTransferOptions,
): Transfer<VideoUploadResponse> {
  return ctx.transfer(options, async (transfer) => {
    checkUploadParams(params);
    return send(ctx, source, params, transfer, options);
  });
}

/** `videos.publish`: upload, full update, then the video as the server shows it. */
export function publishTransfer(
  ctx: BigGoContext,
  source: VideoSource,
  params: VideoPublishParams,
  options: BigGoTransferOptions,
): Transfer<BigGoVideo> {
  return ctx.transfer(options, async (transfer) => {
    checkUploadParams(params);
    if (typeof params.title !== 'string' || params.title.trim() === '')
      throw new InvalidInputError('title', 'is required');
    // Checked before the upload: settings the server would refuse never leave a stray video behind.
    const settings = fullUpdateBody({
      videoId: 'not-yet-uploaded',
      title: params.title,
      description: params.description ?? '',
      access: params.access ?? 'private',
      productList: params.productList,
      thumbnailTime: params.thumbnailTime,
    });
    const { video_id: videoId } = await send(ctx, source, params, transfer, options);
    const call = { ...options, signal: transfer.signal };
    try {
      await updateVideo(ctx, videoId, settings, 'full', call);
    } catch (error) {
      // Removed whatever stopped the setup (an abort included): nothing half-published remains.
      await deleteVideo(ctx, videoId, { ...options, signal: undefined }).catch(() => {});
      throw error;
    }
    return getOneVideo(ctx, videoId, call);
  });
}

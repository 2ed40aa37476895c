/**
 * `biggo.videos`: list, get, upload, publish, update, delete, wait for processing, download.
 *
 * @module
 */
import {
  APIPromise,
  type ListingOptions,
  type Paginator,
  type SavedFile,
  TimeoutError,
  type Transfer,
  type WithResponse,
} from '@mediaferry/core';
import { deleteVideo, getOneVideo, updateVideo } from './api.js';
import type { BigGoContext, BigGoRequestOptions, BigGoTransferOptions } from './context.js';
import {
  type DownloadedFile,
  type DownloadToFileParams,
  download,
  downloadToFile,
  head,
  type VideoHead,
  type VideoRef,
} from './downloads.js';
import {
  type BigGoVideo,
  ProcessStatus,
  type VideoDeleteResponse,
  type VideoUpdateParams,
  type VideoUpdateResponse,
  type VideoUploadResponse,
} from './models.js';
import { BIGGO_PAGE_SIZE, type VideoCursor, videoPaginator } from './paging.js';
import { fullUpdateBody, partialUpdateBody, positiveInteger, requireId } from './params.js';
import {
  publishTransfer,
  uploadTransfer,
  type VideoPublishParams,
  type VideoSource,
  type VideoUploadParams,
} from './uploads.js';

/** Parameters of `videos.list`. */
export interface VideoListParams extends ListingOptions {
  /** Whose videos: a user id, or `self` (default) for the client's own, private ones included. */
  readonly userId?: string | undefined;
  /** Videos per page. Default 20, BigGo's own page. */
  readonly pageSize?: number | undefined;
}

/** Parameters of `videos.waitUntilProcessed`. */
export interface WaitParams {
  /** Time between two looks, in ms. Default 5 000 (what biggo_api's tests do). */
  readonly intervalMs?: number | undefined;
  /** Give up after this long, in ms, with a `TimeoutError`. Default 30 minutes. */
  readonly timeoutMs?: number | undefined;
}

/** Whether BigGo has finished processing a video (its file can be downloaded). */
export function isProcessed(video: BigGoVideo): boolean {
  return video.status.process_status === ProcessStatus.COMPLETE;
}

/** BigGo videos: every call returns an `APIPromise`, a `Paginator` or a `Transfer`. */
export class Videos {
  readonly #ctx: BigGoContext;

  /** @hidden */
  constructor(ctx: BigGoContext) {
    this.#ctx = ctx;
  }

  /** A user's videos (yours by default), newest first, in pages of `pageSize`. */
  list(params: VideoListParams = {}, options: BigGoRequestOptions = {}): Paginator<BigGoVideo, VideoCursor> {
    const { userId = 'self', pageSize = BIGGO_PAGE_SIZE, maxPages, maxItems } = params;
    return videoPaginator(this.#ctx, requireId(userId, 'userId'), positiveInteger(pageSize, 'pageSize'), {
      ...options,
      maxPages,
      maxItems,
    });
  }

  /** One video; a video that does not exist (or is someone else's private one) is a `BigGoError` 1004. */
  get(videoId: string, options: BigGoRequestOptions = {}): APIPromise<BigGoVideo> {
    return this.#guard(() => getOneVideo(this.#ctx, requireId(videoId, 'videoId'), options));
  }

  /**
   * Uploads a video file; `done()` gives the new `video_id` once the server has the bytes (processing
   * follows: see {@link waitUntilProcessed}). **A string source is a path.**
   */
  upload(
    source: VideoSource,
    params: VideoUploadParams = {},
    options: BigGoTransferOptions = {},
  ): Transfer<VideoUploadResponse> {
    return uploadTransfer(this.#ctx, source, params, options);
  }

  /**
   * Uploads and sets title, description, access (default private) and products in one go; `done()` gives the
   * video. If the settings are refused, the upload is deleted again: nothing half-published remains.
   */
  publish(
    source: VideoSource,
    params: VideoPublishParams,
    options: BigGoTransferOptions = {},
  ): Transfer<BigGoVideo> {
    return publishTransfer(this.#ctx, source, params, options);
  }

  /** Full update (`POST`): `title`, `description` and `access` are all required. */
  update(params: VideoUpdateParams, options: BigGoRequestOptions = {}): APIPromise<VideoUpdateResponse> {
    return this.#guard(() => {
      const body = fullUpdateBody(params);
      return updateVideo(this.#ctx, params.videoId, body, 'full', options);
    });
  }

  /** Partial update (`PATCH`): only the fields given. */
  partialUpdate(
    params: VideoUpdateParams,
    options: BigGoRequestOptions = {},
  ): APIPromise<VideoUpdateResponse> {
    return this.#guard(() => {
      const body = partialUpdateBody(params);
      return updateVideo(this.#ctx, params.videoId, body, 'partial', options);
    });
  }

  /** Deletes a video of yours; someone else's is a `BigGoError` 1003, a missing one 1004. */
  delete(videoId: string, options: BigGoRequestOptions = {}): APIPromise<VideoDeleteResponse> {
    return this.#guard(() => deleteVideo(this.#ctx, requireId(videoId, 'videoId'), options));
  }

  /**
   * Looks at the video every `intervalMs` until it is processed, on the client's clock (virtual in tests);
   * past `timeoutMs` a `TimeoutError`. Resolves with the processed video.
   */
  waitUntilProcessed(
    videoId: string,
    params: WaitParams = {},
    options: BigGoRequestOptions = {},
  ): APIPromise<BigGoVideo> {
    return this.#guard(() => {
      const id = requireId(videoId, 'videoId');
      const intervalMs = positiveInteger(params.intervalMs ?? 5000, 'intervalMs');
      const timeoutMs = positiveInteger(params.timeoutMs ?? 30 * 60_000, 'timeoutMs');
      return new APIPromise(this.#poll(id, intervalMs, timeoutMs, options));
    });
  }

  async #poll(
    videoId: string,
    intervalMs: number,
    timeoutMs: number,
    options: BigGoRequestOptions,
  ): Promise<WithResponse<BigGoVideo>> {
    const clock = this.#ctx.clock;
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      const seen = await getOneVideo(this.#ctx, videoId, options).withResponse();
      if (isProcessed(seen.data)) return seen;
      if (clock.now() + intervalMs > deadline)
        throw new TimeoutError(`biggo video ${videoId} is still processing after ${timeoutMs} ms`, timeoutMs);
      await clock.sleep(intervalMs, this.#ctx.signal(options.signal));
    }
  }

  /**
   * The processed video's bytes as a stream (by id, or a video already listed: no second look). A `range`
   * header in `options.headers` (`bytes=START-END`) asks for part of the file: the answer is then a 206.
   */
  download(video: VideoRef, options: BigGoTransferOptions = {}): APIPromise<DownloadedFile> {
    return download(this.#ctx, video, options);
  }

  /** The processed video's size and type without its bytes (a HEAD on the file). */
  head(video: VideoRef, options: BigGoRequestOptions = {}): APIPromise<VideoHead> {
    return head(this.#ctx, video, options);
  }

  /** Saves the processed video to `path`, verified and atomically (a temporary file renamed at the end). */
  downloadToFile(
    video: VideoRef,
    path: string,
    params: DownloadToFileParams = {},
    options: BigGoTransferOptions = {},
  ): Transfer<SavedFile> {
    return downloadToFile(this.#ctx, video, path, params, options);
  }

  /** Bad input rejects the returned promise (never a synchronous throw). */
  #guard<T>(call: () => APIPromise<T>): APIPromise<T> {
    try {
      return call();
    } catch (error) {
      return new APIPromise(Promise.reject(error));
    }
  }
}

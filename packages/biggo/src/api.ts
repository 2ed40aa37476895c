/**
 * BigGo's endpoints (spec B4), one function each, answering the wire models: the layer the resources and
 * the biggo_api compatibility entry point are built on. Internal.
 *
 * @module
 */
import { type APIPromise, type BodySource, ResponseValidationError } from '@mediaferry/core';
import type { BigGoContext, BigGoTransferOptions } from './context.js';
import {
  type BigGoVideo,
  deleteResponseSchema,
  permissionResponseSchema,
  type UserVideoResponse,
  updateResponseSchema,
  uploadResponseSchema,
  userVideoResponseSchema,
  type VideoDeleteResponse,
  type VideoPermissionResponse,
  type VideoResponse,
  type VideoUpdateResponse,
  type VideoUploadResponse,
  videoResponseSchema,
} from './models.js';

const videoPath = (videoId: string) => `/api/v1/video/${encodeURIComponent(videoId)}`;

/** `POST video_auth/self`: who the client acts for, and whether it may upload. */
export function hasPermission(
  ctx: BigGoContext,
  options?: BigGoTransferOptions,
): APIPromise<VideoPermissionResponse> {
  return ctx.call(
    {
      method: 'POST',
      path: '/api/v1/video_auth/self',
      endpoint: 'has_permission',
      schema: permissionResponseSchema,
    },
    options,
  );
}

/** `GET video/{id}`: the video with its owner. */
export function getVideo(
  ctx: BigGoContext,
  videoId: string,
  options?: BigGoTransferOptions,
): APIPromise<VideoResponse> {
  return ctx.call({ path: videoPath(videoId), endpoint: 'get_video', schema: videoResponseSchema }, options);
}

/** `GET video/{id}`, the video alone: an answer without it does not prove the video exists. */
export function getOneVideo(
  ctx: BigGoContext,
  videoId: string,
  options?: BigGoTransferOptions,
): APIPromise<BigGoVideo> {
  return getVideo(ctx, videoId, options).map((answer) => {
    const video = answer.video.find((v) => v.video_id === videoId);
    if (!video)
      throw new ResponseValidationError(`biggo get_video ${videoId}: the answer holds no video`, [
        { path: 'video', message: 'expected the video asked for' },
      ]);
    return video;
  });
}

/** `GET user/{userid|self}/video/?p=N`: one page (1-based) of a user's videos, newest first. */
export function getUserVideos(
  ctx: BigGoContext,
  userId: string,
  page: number,
  options?: BigGoTransferOptions,
): APIPromise<UserVideoResponse> {
  return ctx.call(
    {
      path: `/api/v1/user/${encodeURIComponent(userId)}/video/`,
      endpoint: 'user_videos',
      query: { p: page },
      schema: userVideoResponseSchema,
    },
    options,
  );
}

/** What the upload call sends beside the bytes. */
export interface UploadFields {
  readonly filename: string;
  readonly thumbnailTime?: number | undefined;
}

/**
 * `POST video/`: multipart with one part named `video` (biggo_api's wire), and the `File-Size` header when
 * the size is known.
 */
export function uploadVideo(
  ctx: BigGoContext,
  source: BodySource,
  fields: UploadFields,
  options?: BigGoTransferOptions,
): APIPromise<VideoUploadResponse> {
  const headers: Record<string, string> = {};
  if (source.size !== undefined) headers['file-size'] = String(source.size);
  if (fields.thumbnailTime !== undefined) headers['x-bgo-thumbnail-ts'] = String(fields.thumbnailTime);
  return ctx.call(
    {
      method: 'POST',
      path: '/api/v1/video/',
      endpoint: 'upload',
      headers,
      body: { multipart: [{ name: 'video', filename: fields.filename, source }] },
      schema: uploadResponseSchema,
    },
    options,
  );
}

/** `POST video/{id}` (full: title, description and access given) or `PATCH video/{id}` (only the fields given). */
export function updateVideo(
  ctx: BigGoContext,
  videoId: string,
  body: Record<string, unknown>,
  mode: 'full' | 'partial',
  options?: BigGoTransferOptions,
): APIPromise<VideoUpdateResponse> {
  return ctx.call(
    {
      method: mode === 'full' ? 'POST' : 'PATCH',
      path: videoPath(videoId),
      endpoint: mode === 'full' ? 'update' : 'partial_update',
      body: { json: body },
      schema: updateResponseSchema,
    },
    options,
  );
}

/** `DELETE video/{id}`. */
export function deleteVideo(
  ctx: BigGoContext,
  videoId: string,
  options?: BigGoTransferOptions,
): APIPromise<VideoDeleteResponse> {
  return ctx.call(
    { method: 'DELETE', path: videoPath(videoId), endpoint: 'delete', schema: deleteResponseSchema },
    options,
  );
}

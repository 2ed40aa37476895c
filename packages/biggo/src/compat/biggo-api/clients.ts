/**
 * biggo_api's instance clients (`BaseInstanceClient`, `UserClient`, `VideoClient`), each a
 * {@link BigGoClient} on the session's token.
 *
 * @module
 */
import type { ClientOptions, HttpMethod, Query, RequestBody } from '@mediaferry/core';
import { InvalidInputError } from '@mediaferry/core';
import { getUserVideos, getVideo } from '../../api.js';
import { BigGoClient } from '../../client.js';
import { internalsOf, withSeed } from '../../internal.js';
import type { VideoUpdateParams } from '../../models.js';
import { pageNumber, requireId } from '../../params.js';
import { type OAuth2Session, sessionParts } from './auth.js';
import { compat } from './errors.js';
import {
  toPermissionResponse,
  toUserVideoResponse,
  toVideoResponse,
  type UserVideoResponse,
  type VideoDeleteResponse,
  type VideoPermissionResponse,
  type VideoResponse,
  type VideoUpdateResponse,
  type VideoUploadResponse,
} from './models.js';
import { VideoParams, type VideoParamsInit } from './params.js';

const METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * aiohttp's keyword arguments that `request()` takes: query `params`, a `json` body, or `data` (a form as an
 * object, or the body's text or bytes); `signal` and `timeout` (ms) for the call.
 */
export interface RequestKwargs {
  readonly params?: Query | undefined;
  readonly json?: unknown;
  readonly data?:
    | Readonly<Record<string, string | number | boolean | undefined>>
    | string
    | Uint8Array
    | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly timeout?: number | undefined;
}

function bodyOf(kwargs: RequestKwargs): RequestBody | undefined {
  if (kwargs.json !== undefined) return { json: kwargs.json };
  const { data } = kwargs;
  if (data === undefined) return undefined;
  // aiohttp sends `data` text as the body itself (never a path to read).
  if (typeof data === 'string') return { source: new TextEncoder().encode(data) };
  if (data instanceof Uint8Array) return { source: data };
  return { form: data };
}

/** Base class of the instance clients: `request(method, path, headers, kwargs)` on `/api/v1/`. */
export class BaseInstanceClient {
  /** The session given. */
  readonly oauth2Session: OAuth2Session;
  /** API host. */
  readonly hostUrl: string;
  /** Verify SSL certificate. */
  readonly verifySsl: boolean;
  /** Region of client (the `region` header). */
  readonly region: string | null;
  /** The client every call goes through. */
  protected readonly client: BigGoClient;

  /**
   * `InvalidInputError` ("Invalid oauth2_session") unless the session is authorized. `clientOptions` are the
   * underlying client's options (`fetch`, `timeout`…).
   */
  constructor(
    oauth2Session: OAuth2Session,
    hostUrl: string,
    verifySsl: boolean,
    region: string | null = null,
    clientOptions: ClientOptions = {},
  ) {
    const session = sessionParts(oauth2Session);
    const { auth } = internalsOf(session.client);
    this.oauth2Session = oauth2Session;
    this.hostUrl = hostUrl;
    this.verifySsl = verifySsl;
    this.region = region;
    this.client = withSeed(
      { auth },
      () =>
        new BigGoClient({
          ...clientOptions,
          baseUrl: hostUrl,
          clientId: session.credentials.clientId,
          clientSecret: session.credentials.clientSecret,
          verifySsl,
          ...(region === null ? {} : { region }),
        }),
    );
  }

  /**
   * Sends a request to `/api/v1/{path}` and returns the body (a dict). Raises {@link BigGoAPIError} for a 4xx
   * with an error in the body, `ClientResponseError` for other failures and for a 2xx whose `result` is false.
   */
  request(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>> = {},
    kwargs: RequestKwargs = {},
  ): Promise<Record<string, unknown>> {
    const verb = METHODS.find((m) => m === method.toUpperCase());
    if (!verb) return Promise.reject(new InvalidInputError('method', `must be one of ${METHODS.join(', ')}`));
    const { ctx } = internalsOf(this.client);
    const body = bodyOf(kwargs);
    return compat(
      ctx
        .call<unknown>(
          {
            method: verb,
            path: `/api/v1/${path.replace(/^\/+/, '')}`,
            endpoint: 'request',
            query: kwargs.params,
            body,
          },
          { headers, signal: kwargs.signal, timeout: kwargs.timeout },
        )
        .map((answer) => {
          if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return { result: true };
          return { ...answer };
        }),
    );
  }

  /** Closes this client's connection (the session stays open). */
  close(): Promise<void> {
    return this.client.close();
  }
}

/** Async client to access user API. */
export class UserClient extends BaseInstanceClient {
  /** The client's own videos, 20 a page; a page past the end has `data: []` and the same `size`. */
  getOwnVideos(page = 1): Promise<UserVideoResponse> {
    return this.#list('self', page);
  }

  /** A user's videos, 20 a page. */
  getUserVideos(userid: string, page = 1): Promise<UserVideoResponse> {
    return this.#list(userid, page, 'userid');
  }

  async #list(userid: string, page: number, field = 'page'): Promise<UserVideoResponse> {
    const { ctx } = internalsOf(this.client);
    requireId(userid, field);
    return compat(getUserVideos(ctx, userid, pageNumber(page)).map(toUserVideoResponse));
  }
}

/** Async client to access video API. */
export class VideoClient extends BaseInstanceClient {
  /** Deletes a video by its id. */
  delete(videoId: string): Promise<VideoDeleteResponse> {
    return compat(this.client.videos.delete(videoId).map(({ result }) => ({ result })));
  }

  /** A video by its id, with its owner. */
  async get(videoId: string): Promise<VideoResponse> {
    const { ctx } = internalsOf(this.client);
    return compat(getVideo(ctx, requireId(videoId, 'videoId')).map(toVideoResponse));
  }

  /** Whether the client may upload videos. */
  hasPermission(): Promise<VideoPermissionResponse> {
    return compat(this.client.account.permission().map(toPermissionResponse));
  }

  /** Updates the fields given (`PATCH`). */
  async partialUpdate(videoParams: VideoParams | VideoParamsInit): Promise<VideoUpdateResponse> {
    return compat(this.client.videos.partialUpdate(paramsOf(videoParams)).map(({ result }) => ({ result })));
  }

  /** Updates with `POST`: `videoId`, `access`, `description` and `title` are required. */
  async update(videoParams: VideoParams | VideoParamsInit): Promise<VideoUpdateResponse> {
    return compat(this.client.videos.update(paramsOf(videoParams)).map(({ result }) => ({ result })));
  }

  /** Uploads a local video file: `file` is its path. A missing file is a `FileNotFoundError`. */
  async upload(file: string): Promise<VideoUploadResponse> {
    if (typeof file !== 'string' || file === '') throw new InvalidInputError('file', 'must be a file path');
    const answer = await compat(this.client.videos.upload(file).done());
    return { result: answer.result, videoId: answer.video_id };
  }
}

function paramsOf(params: VideoParams | VideoParamsInit): VideoUpdateParams {
  const p = params instanceof VideoParams ? params : new VideoParams(params);
  return {
    videoId: p.videoId,
    access: p.access ?? undefined,
    description: p.description ?? undefined,
    productList: p.productList ?? undefined,
    thumbnailTime: p.thumbnailTime ?? undefined,
    title: p.title ?? undefined,
  };
}

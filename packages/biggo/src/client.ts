import { basename } from 'node:path';
import {
  BaseClient,
  type CallOptions,
  ClientCredentialsAuth,
  type ClientOptions,
  type FetchLike,
  InvalidInputError,
  type ListingOptions,
  type OAuth2Token,
  Paginator,
  type ProgressListener,
  type RequestOptions,
  type ServiceProfile,
  type StreamResponse,
  systemClock,
  type TransferOptions,
  toBodySource,
  type UploadSource,
} from '@mediaferry/core';
import { openVideoDownload, type VideoDownloadOptions } from './download.js';
import { BigGoAPIError, parseBigGoError } from './errors.js';
import {
  Access,
  type BigGoVideo,
  ProcessStatus,
  permissionSchema,
  resultSchema,
  type UserVideoResponse,
  uploadResponseSchema,
  userVideoResponseSchema,
  type VideoParams,
  type VideoPermission,
  type VideoResponse,
  videoResponseSchema,
} from './models.js';

export const BIGGO_HOST = 'https://api.biggo.com';
export const VIDEO_PER_PAGE = 20;

const profile: ServiceProfile = {
  name: 'biggo',
  userAgent: 'mediaferry-biggo/0.1.0',
  parseError: parseBigGoError,
  // BigGo's rule: `result: false` (or an `error` key) is an error whatever the HTTP status.
  successBodyError: (body) => {
    const b = body as { result?: unknown; error?: unknown } | undefined;
    if (b && typeof b === 'object' && (b.result === false || 'error' in b)) return parseBigGoError(body);
    return undefined;
  },
  createError: (init) => new BigGoAPIError(init),
  // Expired (4) or unknown (3) JWT: fetch a new token once and replay with the new header.
  isAuthRejection: (error) => error.status === 401 && (error.code === '4' || error.code === '3'),
};

export interface BigGoClientOptions extends ClientOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** API host. Default {@link BIGGO_HOST}. */
  readonly hostUrl?: string;
  /** Sent as the `region` header on API calls (not on the token call), e.g. `tw`. */
  readonly region?: string;
  /** TLS verification; `false` must be asked for explicitly (self-signed test hosts). Default true. */
  readonly verifySsl?: boolean;
  /** Called with every new token (cache it across runs). */
  readonly onTokenUpdate?: (token: OAuth2Token) => void;
}

function validateParams(params: VideoParams): Record<string, unknown> {
  if (!params.videoId) throw new InvalidInputError('videoId', 'is required');
  const body: Record<string, unknown> = {};
  if (params.access !== undefined) {
    const access =
      typeof params.access === 'string'
        ? Access[params.access.toUpperCase() as keyof typeof Access]
        : params.access;
    if (access === undefined || ![0, 1, 2].includes(access))
      throw new InvalidInputError('access', 'must be 0/1/2 or public/private/unlisted');
    body.access = access;
  }
  if (params.description !== undefined) body.description = params.description;
  if (params.productList !== undefined) {
    if (params.productList.length > 10)
      throw new InvalidInputError('productList', 'at most 10 products (BigGo code 1009)');
    body.product_list = params.productList.map((p) => ({ ...p }));
  }
  if (params.thumbnailTime !== undefined) {
    if (!Number.isInteger(params.thumbnailTime) || params.thumbnailTime < 0)
      throw new InvalidInputError('thumbnailTime', 'must be whole milliseconds ≥ 0');
    body.thumbnail_time = params.thumbnailTime;
  }
  if (params.title !== undefined) body.title = params.title;
  return body;
}

/** Video calls (biggo_api's `VideoClient`). */
export class VideoClient {
  constructor(
    private readonly http: BaseClient,
    private readonly region: string | undefined,
    private readonly clock: NonNullable<ClientOptions['clock']>,
  ) {}

  #headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.region ? { region: this.region, ...extra } : extra;
  }

  hasPermission(options: CallOptions = {}): Promise<VideoPermission> {
    return this.http.request({
      ...options,
      method: 'POST',
      path: '/api/v1/video_auth/self',
      endpoint: 'has_permission',
      headers: this.#headers(),
      schema: permissionSchema,
    });
  }

  /**
   * Uploads a video file (streamed, part `video`, `File-Size` header). A missing file is an
   * `InvalidInputError` before any request. Returns the new `video_id`.
   */
  async upload(
    file: UploadSource,
    options: TransferOptions & {
      filename?: string;
      thumbnailTime?: number;
      onProgress?: ProgressListener;
    } = {},
  ): Promise<string> {
    const { filename, thumbnailTime, onProgress, ...call } = options;
    const source = await toBodySource(file, { field: 'file' });
    const name =
      filename ??
      (typeof file === 'object' && file !== null && 'kind' in file && file.kind === 'file'
        ? basename(file.path)
        : 'video.mp4');
    const headers = this.#headers(source.size === undefined ? {} : { 'file-size': String(source.size) });
    if (thumbnailTime !== undefined) headers['x-bgo-thumbnail-ts'] = String(thumbnailTime);
    const body = await this.http.request({
      ...call,
      method: 'POST',
      path: '/api/v1/video/',
      endpoint: 'upload',
      headers,
      body: { multipart: [{ name: 'video', filename: name, source }] },
      schema: uploadResponseSchema,
      ...(onProgress ? { onUploadProgress: onProgress } : {}),
    });
    return body.video_id;
  }

  get(videoId: string, options: CallOptions = {}): Promise<VideoResponse> {
    if (!videoId) throw new InvalidInputError('videoId', 'is required');
    return this.http.request({
      ...options,
      path: `/api/v1/video/${encodeURIComponent(videoId)}`,
      endpoint: 'get_video',
      headers: this.#headers(),
      schema: videoResponseSchema,
    });
  }

  /** Full update (POST): title, description and access are required by the server. */
  async update(params: VideoParams, options: CallOptions = {}): Promise<boolean> {
    const body = validateParams(params);
    for (const field of ['title', 'description', 'access'] as const) {
      if (body[field] === undefined)
        throw new InvalidInputError(
          field,
          'is required for a full update (use partialUpdate to change some fields)',
        );
    }
    const answer = await this.http.request({
      ...options,
      method: 'POST',
      path: `/api/v1/video/${encodeURIComponent(params.videoId)}`,
      endpoint: 'update',
      headers: this.#headers(),
      body: { json: body },
      schema: resultSchema,
    });
    return answer.result;
  }

  /** Partial update (PATCH): only the fields given. */
  async partialUpdate(params: VideoParams, options: CallOptions = {}): Promise<boolean> {
    const body = validateParams(params);
    if (Object.keys(body).length === 0) throw new InvalidInputError('params', 'nothing to update');
    const answer = await this.http.request({
      ...options,
      method: 'PATCH',
      path: `/api/v1/video/${encodeURIComponent(params.videoId)}`,
      endpoint: 'partial_update',
      headers: this.#headers(),
      body: { json: body },
      schema: resultSchema,
    });
    return answer.result;
  }

  async delete(videoId: string, options: CallOptions = {}): Promise<boolean> {
    if (!videoId) throw new InvalidInputError('videoId', 'is required');
    return (
      await this.http.request({
        ...options,
        method: 'DELETE',
        path: `/api/v1/video/${encodeURIComponent(videoId)}`,
        endpoint: 'delete',
        headers: this.#headers(),
        schema: resultSchema,
      })
    ).result;
  }

  /**
   * Upload and set up in one call (the JS client's two-step flow): if the metadata step fails, the uploaded
   * video is deleted, so nothing half-published remains.
   */
  async publish(
    file: UploadSource,
    meta: {
      title: string;
      description: string;
      access: NonNullable<VideoParams['access']>;
      productList?: VideoParams['productList'];
      thumbnailTime?: number;
      filename?: string;
    },
    options: CallOptions = {},
  ): Promise<string> {
    if (!meta.title) throw new InvalidInputError('title', 'is required');
    const { filename: _filename, ...fields } = meta;
    validateParams({ videoId: 'check', ...fields });
    const videoId = await this.upload(file, {
      ...options,
      ...(meta.filename ? { filename: meta.filename } : {}),
    });
    try {
      await this.update(
        {
          videoId,
          title: meta.title,
          description: meta.description,
          access: meta.access,
          ...(meta.productList ? { productList: meta.productList } : {}),
          ...(meta.thumbnailTime !== undefined ? { thumbnailTime: meta.thumbnailTime } : {}),
        },
        options,
      );
      return videoId;
    } catch (error) {
      await this.delete(videoId).catch(() => {});
      throw error;
    }
  }

  /** Polls until the video is processed (status 13); abortable, on the client's clock (virtual in tests). */
  async waitUntilProcessed(
    videoId: string,
    options: CallOptions & { intervalMs?: number; timeoutMs?: number } = {},
  ): Promise<BigGoVideo> {
    const { intervalMs = 5000, timeoutMs = 30 * 60_000, ...call } = options;
    const deadline = this.clock.now() + timeoutMs;
    for (;;) {
      const video = (await this.get(videoId, call)).video[0];
      if (!video) throw new InvalidInputError('videoId', `${videoId} is not visible to this client`);
      if (video.status.process_status === ProcessStatus.COMPLETE) return video;
      if (this.clock.now() + intervalMs > deadline)
        throw new InvalidInputError('timeoutMs', `video ${videoId} still processing after ${timeoutMs} ms`);
      await this.clock.sleep(intervalMs, call.signal);
    }
  }
}

/** User listings (biggo_api's `UserClient`). */
export class UserClient {
  constructor(
    private readonly http: BaseClient,
    private readonly region: string | undefined,
  ) {}

  #list(userid: string, page: number, options: CallOptions): Promise<UserVideoResponse> {
    if (!Number.isInteger(page) || page < 1)
      throw new InvalidInputError('page', 'must be an integer ≥ 1 (pages are 1-based)');
    return this.http.request({
      ...options,
      path: `/api/v1/user/${encodeURIComponent(userid)}/video/`,
      endpoint: 'user_videos',
      query: { p: page },
      headers: this.region ? { region: this.region } : {},
      schema: userVideoResponseSchema,
    });
  }

  getOwnVideos(page = 1, options: CallOptions = {}): Promise<UserVideoResponse> {
    return this.#list('self', page, options);
  }

  getUserVideos(userid: string, page = 1, options: CallOptions = {}): Promise<UserVideoResponse> {
    if (!userid) throw new InvalidInputError('userid', 'is required');
    return this.#list(userid, page, options);
  }

  /**
   * Every video of a user (`self` by default), page after page, stopping on `size` (no empty extra request);
   * a listing past `maxPages`/`maxItems` throws `PaginationError`.
   */
  videos(userid = 'self', options: CallOptions & ListingOptions = {}): Paginator<BigGoVideo, number> {
    const { maxPages, maxItems, ...call } = options;
    return new Paginator<BigGoVideo, number>(
      1,
      async (page, signal) => {
        const answer = await this.#list(userid, page, { ...call, signal });
        const data = answer.user_video.data;
        return {
          items: data,
          next: data.length > 0 && page * VIDEO_PER_PAGE < answer.user_video.size ? page + 1 : null,
          raw: answer,
        };
      },
      { signal: call.signal, maxPages, maxItems },
    );
  }
}

/**
 * BigGo API client (biggo_api's `APIClient`): OAuth2 client credentials (renewed before expiry, and once on
 * an expired-JWT answer, single-flight), `user` and `video` clients.
 */
export class BigGoClient {
  #auth: ClientCredentialsAuth | undefined;
  #http: BaseClient | undefined;
  #user: UserClient | undefined;
  #video: VideoClient | undefined;
  readonly #options: BigGoClientOptions;

  /** With credentials (options or `BIGGO_CLIENT_ID`/`BIGGO_CLIENT_SECRET`) the client is ready at once; otherwise call {@link authorize}. */
  constructor(options: BigGoClientOptions = {}) {
    this.#options = options;
    const clientId = options.clientId ?? process.env.BIGGO_CLIENT_ID;
    const clientSecret = options.clientSecret ?? process.env.BIGGO_CLIENT_SECRET;
    if (options.clientId !== undefined || options.clientSecret !== undefined) {
      if (!clientId || !clientSecret)
        throw new InvalidInputError(
          'clientId',
          'Missing parameters for authorization (clientId and clientSecret)',
        );
    }
    if (clientId && clientSecret) this.#setup(clientId, clientSecret);
  }

  #setup(clientId: string, clientSecret: string): void {
    const {
      hostUrl = BIGGO_HOST,
      region,
      verifySsl = true,
      onTokenUpdate,
      clientId: _id,
      clientSecret: _secret,
      ...clientOptions
    } = this.#options;
    const host = hostUrl.replace(/\/+$/, '');
    this.#auth = new ClientCredentialsAuth({
      tokenUrl: `${host}/auth/v1/token`,
      clientId,
      clientSecret,
      skewMs: 30_000,
      ...(onTokenUpdate ? { onTokenUpdate } : {}),
    });
    const fetch = clientOptions.fetch ?? (verifySsl ? undefined : insecureFetch());
    this.#http = new BaseClient(
      { baseUrl: host, ...clientOptions, ...(fetch ? { fetch } : {}) },
      profile,
      this.#auth,
    );
    this.#user = new UserClient(this.#http, region);
    this.#video = new VideoClient(this.#http, region, clientOptions.clock ?? systemClock);
  }

  #ready(): BaseClient {
    if (!this.#http)
      throw new InvalidInputError(
        'clientId',
        'Missing parameters for authorization: pass clientId and clientSecret, or call authorize({ clientId, clientSecret })',
      );
    return this.#http;
  }

  /** User listings. */
  get user(): UserClient {
    this.#ready();
    return this.#user!;
  }

  /** Video calls. */
  get video(): VideoClient {
    this.#ready();
    return this.#video!;
  }

  /** Obtains a token now (with these credentials, if given); it is otherwise obtained on the first call. */
  async authorize(
    credentials?: { clientId: string; clientSecret: string },
    options: CallOptions = {},
  ): Promise<OAuth2Token> {
    if (credentials) {
      if (!credentials.clientId || !credentials.clientSecret)
        throw new InvalidInputError(
          'clientId',
          'Missing parameters for authorization (clientId and clientSecret)',
        );
      this.#setup(credentials.clientId, credentials.clientSecret);
    }
    const http = this.#ready();
    return this.#auth!.token({
      transport: http,
      clock: this.#options.clock ?? systemClock,
      signal: options.signal,
    });
  }

  /** Any other `/api/v1/` endpoint, with the same auth, retries and error rules. */
  request<T = unknown>(
    method: RequestOptions['method'],
    path: string,
    options: Omit<RequestOptions<T>, 'method' | 'path'> = {},
  ): Promise<T> {
    const region = this.#options.region;
    return this.#ready().request<T>({
      ...options,
      method,
      path: `/api/v1/${path.replace(/^\/+/, '')}`,
      ...(region ? { headers: { region, ...options.headers } } : {}),
    } as RequestOptions<T>);
  }

  /** Opens a processed video's file (`meta.download.mp4`) as a stream, through this client's transport. */
  openDownload(url: string, options: VideoDownloadOptions = {}): Promise<StreamResponse> {
    return openVideoDownload(this.#ready(), url, options);
  }

  async close(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {}
}

/**
 * A client-credentials token from a BigGo token endpoint (biggo_api's `auth_client_credentials`): Basic auth,
 * `grant_type=client_credentials`. `verifySsl: false` disables TLS verification for this call only.
 */
export async function authClientCredentials(
  url: string,
  credentials: { clientId: string; clientSecret: string },
  options: { verifySsl?: boolean; refreshUrl?: string; fetch?: FetchLike } = {},
): Promise<OAuth2Token> {
  const host = new URL(url);
  const client = new BaseClient(
    {
      baseUrl: host.origin,
      ...(options.fetch
        ? { fetch: options.fetch }
        : options.verifySsl === false
          ? { fetch: insecureFetch() }
          : {}),
    },
    profile,
  );
  const auth = new ClientCredentialsAuth({
    tokenUrl: url,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  });
  return auth.token({ transport: client, clock: systemClock });
}

/** A fetch that skips TLS verification (only when the caller turned it off explicitly). */
function insecureFetch(): FetchLike {
  let dispatcher: unknown;
  return async (input, init) => {
    const undici = await import('undici');
    dispatcher ??= new undici.Agent({ connect: { rejectUnauthorized: false } });
    // undici's own fetch does not take Node's built-in Request objects: pass their parts.
    const request = new Request(input, init);
    const body = request.body ? { body: request.body, duplex: 'half' } : {};
    return undici.fetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      signal: request.signal,
      ...body,
      dispatcher,
    } as never) as unknown as Response;
  };
}

/**
 * gopro_api's low-level client (`AsyncGoProAPI`, and `GoProAPI` as its alias): the two endpoints, one call
 * each, on the new client.
 *
 * @module
 */
import type { GoProClient } from '../../client.js';
import type { MediaDownload, SearchPage } from '../../models.js';
import type { AsyncGoProClient } from './client.js';
import { type GoProMediaSearchParams, toSearchParams } from './models.js';
import { DEFAULT_TIMEOUT_SECONDS, openClient, Session, type TransportOptions } from './session.js';

const USAGE = 'Use AsyncGoProAPI as an async context manager: async with AsyncGoProAPI() as api: ...';

/**
 * gopro_api's `AsyncGoProAPI(access_token=None, timeout=10.0)`: `search(params)` and `download(mediaId)`.
 * `transport` (not in the seed) points it elsewhere (`baseUrl`, `fetch`…). The high-level
 * {@link AsyncGoProClient} builds on it.
 */
export class AsyncGoProAPI {
  readonly #session: Session;

  constructor(
    accessToken: string | null = null,
    timeout: number = DEFAULT_TIMEOUT_SECONDS,
    transport: TransportOptions = {},
  ) {
    this.#session = new Session(() => openClient(accessToken, timeout, transport), USAGE);
  }

  /** The open client; `RuntimeError` once the context was left. */
  protected get client(): GoProClient {
    return this.#session.client;
  }

  /** The API root (gopro_api's read-only `base_url`). */
  get baseUrl(): string {
    return this.client.baseUrl;
  }

  /** gopro_api's `__aenter__`: (re)opens the client and returns it. */
  async aenter(): Promise<this> {
    this.#session.enter();
    return this;
  }

  /** gopro_api's `__aexit__`: closes the client; calls then throw `RuntimeError` until `aenter()`. */
  async aexit(): Promise<void> {
    await this.#session.exit();
  }

  /** The sync client's `__enter__`: the same as {@link aenter}. */
  enter(): Promise<this> {
    return this.aenter();
  }

  /** The sync client's `__exit__`: the same as {@link aexit}. */
  exit(): Promise<void> {
    return this.aexit();
  }

  /** `await using api = new AsyncGoProAPI()`: leaves the context at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.aexit();
  }

  /** One search request (`GET /media/search`); `perPage` defaults to 1, as the seed's params model. */
  async search(params: GoProMediaSearchParams = {}): Promise<SearchPage> {
    return this.client.media.search(toSearchParams(params));
  }

  /** Download metadata of one media (`GET /media/{id}/download`). */
  async download(mediaId: string): Promise<MediaDownload> {
    return this.client.media.get(mediaId);
  }
}

/** gopro_api's sync `GoProAPI`: in Node every call is async, so it is {@link AsyncGoProAPI}. */
export const GoProAPI = AsyncGoProAPI;
/** gopro_api's sync `GoProAPI`: in Node every call is async, so it is {@link AsyncGoProAPI}. */
export type GoProAPI = AsyncGoProAPI;

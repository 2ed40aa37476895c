/**
 * The GoPro client: construction (host and token from options or the environment), the `media` resource,
 * per-client options and lifetime.
 *
 * @module
 */
import {
  BaseClient,
  type ClientOptions,
  ConstructionSeed,
  CookieAuth,
  InvalidInputError,
  resolveSettings,
  type ServiceProfile,
} from '@mediaferry/core';
import type { GoProContext } from './context.js';
import { createGoProError, parseGoProError } from './errors.js';
import { MediaResource } from './media.js';
import { DEFAULT_PAGE_SIZE } from './params.js';

/** The real API; every request goes here unless `baseUrl` or `MEDIAFERRY_GOPRO_URL` says otherwise. */
export const GOPRO_API_URL = 'https://api.gopro.com';

const profile: ServiceProfile = {
  name: 'gopro',
  userAgent: 'mediaferry-gopro/0.1.0',
  parseError: parseGoProError,
  createError: createGoProError,
};

/** Options of {@link GoProClient}: the options every mediaferry client takes, plus GoPro's. */
export interface GoProClientOptions extends ClientOptions {
  /** The `gp_access_token` cookie value; default: the `GP_ACCESS_TOKEN` environment variable. */
  readonly accessToken?: string | undefined;
  /** Metadata requests and downloads in flight at once (pulls). Default 8. */
  readonly concurrency?: number | undefined;
  /** Items per search page. Default 1000. */
  readonly pageSize?: number | undefined;
  /** Preferred video height in pixels: the variation closest to it is downloaded. Default: the tallest. */
  readonly preferHeight?: number | undefined;
  /** Preferred video width in pixels. */
  readonly preferWidth?: number | undefined;
}

/** The transport a client made by {@link GoProClient.withOptions} derives its own from (token, lifetime). */
const inherited = new ConstructionSeed<BaseClient>();

function wholeAtLeast(value: number | undefined, min: number, field: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < min))
    throw new InvalidInputError(field, `must be a whole number ≥ ${min}`);
}

/**
 * GoPro cloud media library client.
 *
 * @example
 * ```ts
 * const gopro = new GoProClient(); // GP_ACCESS_TOKEN, MEDIAFERRY_GOPRO_URL
 * for await (const item of gopro.media.list({ from: new Date('2026-10-01'), to: new Date('2026-10-31') }))
 *   console.log(item.filename);
 * const pull = gopro.media.pull({ from, to, dest: './october' });
 * pull.on('progress', ({ loaded, total }) => console.log(loaded, total));
 * const report = await pull.done();
 * await gopro.close();
 * ```
 */
export class GoProClient {
  /** Search, metadata, downloads and pulls. */
  readonly media: MediaResource;
  /** The API root in use (option, else `MEDIAFERRY_GOPRO_URL`, else the real API). */
  readonly baseUrl: string;
  readonly #options: GoProClientOptions;
  readonly #http: BaseClient;

  constructor(options: GoProClientOptions = {}) {
    const parent = inherited.take();
    const {
      accessToken,
      concurrency = 8,
      pageSize = DEFAULT_PAGE_SIZE,
      preferHeight,
      preferWidth,
      ...rest
    } = options;
    const settings = resolveSettings(
      {
        service: 'gopro',
        defaultBaseUrl: GOPRO_API_URL,
        credentials: [{ option: 'accessToken', env: 'GP_ACCESS_TOKEN' }],
      },
      { baseUrl: rest.baseUrl, accessToken },
    );
    wholeAtLeast(concurrency, 1, 'concurrency');
    wholeAtLeast(pageSize, 1, 'pageSize');
    wholeAtLeast(preferHeight, 0, 'preferHeight');
    wholeAtLeast(preferWidth, 0, 'preferWidth');
    const token = settings.credentials.accessToken!;
    this.baseUrl = settings.baseUrl;
    this.#options = { ...options, accessToken: token, baseUrl: settings.baseUrl };
    // Strict by default like gopro_api: a body missing a required key is an error (unknown keys still pass).
    const transport = { validate: 'strict' as const, ...rest, baseUrl: settings.baseUrl };
    this.#http = parent
      ? parent.derive(transport)
      : new BaseClient(transport, profile, new CookieAuth('gp_access_token', token));
    const context: GoProContext = {
      http: this.#http,
      concurrency,
      pageSize,
      target: { targetHeight: preferHeight, targetWidth: preferWidth },
      signal: (call) => this.#http.lifetimeSignal(call),
    };
    this.media = new MediaResource(context);
  }

  /**
   * A client with some options changed (`timeout`, `maxRetries`, `pageSize`…) sharing this one's token and
   * lifetime: closing either closes both.
   */
  withOptions(options: Omit<GoProClientOptions, 'accessToken'>): GoProClient {
    return inherited.with(this.#http, () => new GoProClient({ ...this.#options, ...options }));
  }

  /** Whether {@link close} was called (on this client or one it shares its lifetime with). */
  get closed(): boolean {
    return this.#http.closed;
  }

  /**
   * Stops every call and transfer this client started (they reject with `AbortError`) and refuses new ones.
   * The client holds no connection pool of its own: nothing else is left open.
   */
  async close(): Promise<void> {
    this.#http.close();
  }

  /** `await using gopro = new GoProClient()` closes it at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * `B2Client`: construction (host and credentials from options or the environment), the raw API, the
 * resources (`buckets`, `files`, `largeFiles`, `keys`) and the client's lifetime.
 *
 * @module
 */
import {
  AbortError,
  APIPromise,
  BaseClient,
  type CallOptions,
  type ClientOptions,
  type ExchangeAuth,
  InvalidInputError,
  type ResponseInfo,
  resolveSettings,
  systemClock,
  throwIfAborted,
} from '@mediaferry/core';
import { type B2Token, b2Authorization } from './auth.js';
import { checkPositiveInteger } from './checks.js';
import type { Authorization } from './models.js';
import { b2Profile } from './profile.js';
import { B2Raw } from './raw/index.js';
import { Buckets } from './resources/buckets.js';
import type { ResourceContext } from './resources/context.js';
import { Files } from './resources/files.js';
import { Keys } from './resources/keys.js';
import { LargeFiles } from './resources/large-files.js';
import { MAX_PART_SIZE } from './transfer/upload.js';
import { UploadUrlPool } from './transfer/upload-pool.js';

/** The real B2's authorization host. */
export const B2_BASE_URL = 'https://api.backblazeb2.com';

/** Options of {@link B2Client}: the core client's, plus B2's credentials and transfer defaults. */
export interface B2ClientOptions extends ClientOptions {
  /** The application key id; default `B2_APPLICATION_KEY_ID`. */
  readonly keyId?: string;
  /** The application key; default `B2_APPLICATION_KEY`. */
  readonly applicationKey?: string;
  /** `v2`, `v3` (default) or `v4`. */
  readonly apiVersion?: 'v2' | 'v3' | 'v4';
  /** Part size of large uploads and copies; default the account's recommended part size. */
  readonly partSize?: number;
  /** Parts in flight per upload or copy. Default 4. */
  readonly uploadConcurrency?: number;
  /** Idle upload URLs kept per bucket or large file. Default 8. */
  readonly maxUploadUrls?: number;
}

/** Options `withOptions` may change: the transport's and the transfer defaults, not the credentials. */
export type B2ClientOverrides = Omit<B2ClientOptions, 'keyId' | 'applicationKey' | 'apiVersion' | 'baseUrl'>;

/** What every client made by `withOptions` shares with the one it came from. */
interface Shared {
  readonly settings: { readonly baseUrl: string; readonly keyId: string; readonly applicationKey: string };
  readonly apiVersion: string;
  readonly pool: UploadUrlPool;
  readonly bucketIds: Map<string, string>;
  readonly lifetime: AbortController;
  auth: ExchangeAuth<B2Token> | undefined;
  /** The answer that carried the current authorization, for `authorize().withResponse()`. */
  lastAuthorization: { response: ResponseInfo; requestId: string | undefined } | undefined;
}

/** Hands the shared state of `withOptions` to the constructor, keeping its public signature plain. */
let inherited: Shared | undefined;

/**
 * A Backblaze B2 client. Host: the `baseUrl` option, else `MEDIAFERRY_B2_URL`, else the real B2.
 * Credentials: `keyId` and `applicationKey`, else `B2_APPLICATION_KEY_ID` and `B2_APPLICATION_KEY`.
 * Authorization happens on the first call and again whenever the token expires.
 *
 * @example
 * ```ts
 * await using b2 = new B2Client();
 * const upload = b2.files.upload({ bucketName: 'my-media', fileName: 'a.mp4', source: './a.mp4' });
 * upload.on('progress', ({ loaded, total }) => console.log(loaded, total));
 * await upload.done();
 * for await (const file of b2.files.list({ bucketName: 'my-media', prefix: 'clips/' })) console.log(file.fileName);
 * ```
 */
export class B2Client {
  /** Every native endpoint as one typed function: the wire, nothing more. */
  readonly raw: B2Raw;
  readonly buckets: Buckets;
  readonly files: Files;
  readonly largeFiles: LargeFiles;
  readonly keys: Keys;
  readonly #shared: Shared;
  readonly #http: BaseClient;
  readonly #options: B2ClientOptions;
  readonly #session: (signal: AbortSignal | undefined) => Promise<B2Token>;

  constructor(options: B2ClientOptions = {}) {
    const shared = inherited ?? newShared(options);
    inherited = undefined;
    const {
      apiVersion: _v,
      keyId: _k,
      applicationKey: _a,
      partSize,
      uploadConcurrency = 4,
      maxUploadUrls: _m,
      ...transport
    } = options;
    checkPositiveInteger(partSize, 'partSize');
    checkPositiveInteger(uploadConcurrency, 'uploadConcurrency');
    if (partSize !== undefined && partSize > MAX_PART_SIZE)
      throw new InvalidInputError('partSize', `must be at most ${MAX_PART_SIZE} bytes (B2 maximum)`);
    this.#options = options;
    this.#shared = shared;
    const clock = transport.clock ?? systemClock;
    const authorize = (signal: AbortSignal | undefined) =>
      this.raw
        .authorizeAccount({ signal })
        .withResponse()
        .then(({ data, response, requestId }) => {
          shared.lastAuthorization = { response, requestId };
          return data;
        });
    shared.auth ??= b2Authorization({
      authorize,
      applicationKey: shared.settings.applicationKey,
      now: () => clock.now(),
    });
    const auth = shared.auth;
    this.#http = new BaseClient({ ...transport, baseUrl: shared.settings.baseUrl }, b2Profile, auth);
    const session = async (signal: AbortSignal | undefined): Promise<B2Token> => {
      if (shared.lifetime.signal.aborted) throw new AbortError('The B2 client is closed');
      throwIfAborted(signal);
      return auth.token({ transport: this.#http, clock, signal });
    };
    this.#session = session;
    this.raw = new B2Raw({
      http: this.#http,
      apiVersion: shared.apiVersion,
      credentials: { keyId: shared.settings.keyId, applicationKey: shared.settings.applicationKey },
      session,
    });
    const context: ResourceContext = {
      raw: this.raw,
      http: this.#http,
      pool: shared.pool,
      clock,
      session,
      partSize,
      concurrency: uploadConcurrency,
      lifetime: shared.lifetime.signal,
      bucketIds: shared.bucketIds,
    };
    this.buckets = new Buckets(context);
    this.files = new Files(context);
    this.largeFiles = new LargeFiles(context);
    this.keys = new Keys(context);
  }

  /**
   * Authorizes now rather than on the first call (a wrong key fails here), and answers the authorization:
   * account id, URLs, part sizes, capabilities and restrictions. Later calls reuse it until it expires.
   */
  authorize(options: CallOptions = {}): APIPromise<Authorization> {
    return new APIPromise(
      (async () => {
        const data = await this.#session(options.signal);
        // Set with every authorization, so present whenever a token is.
        const { response, requestId } = this.#shared.lastAuthorization ?? {
          response: { status: 200, headers: new Headers(), url: this.#shared.settings.baseUrl },
          requestId: undefined,
        };
        return { data, response, requestId };
      })(),
    );
  }

  /**
   * A client with other transport options (`timeout`, `maxRetries`, `fetch`, `partSize`…) that shares this
   * one's credentials, authorization, upload URLs and lifetime.
   */
  withOptions(overrides: B2ClientOverrides): B2Client {
    inherited = this.#shared;
    try {
      return new B2Client({ ...this.#options, ...overrides });
    } finally {
      inherited = undefined;
    }
  }

  /** Stops every transfer still running, forgets idle upload URLs; later calls fail with `AbortError`. */
  async close(): Promise<void> {
    this.#shared.lifetime.abort(new AbortError('The B2 client is closed'));
    this.#shared.pool.clear();
  }

  /** `await using b2 = new B2Client()` closes it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function newShared(options: B2ClientOptions): Shared {
  const { apiVersion = 'v3' } = options;
  if (!/^v[234]$/.test(apiVersion)) throw new InvalidInputError('apiVersion', 'must be v2, v3 or v4');
  const resolved = resolveSettings(
    {
      service: 'b2',
      defaultBaseUrl: B2_BASE_URL,
      credentials: [
        { option: 'keyId', env: 'B2_APPLICATION_KEY_ID' },
        { option: 'applicationKey', env: 'B2_APPLICATION_KEY' },
      ],
    },
    { ...options },
  );
  const { maxUploadUrls = 8 } = options;
  checkPositiveInteger(maxUploadUrls, 'maxUploadUrls');
  const clock = options.clock ?? systemClock;
  return {
    settings: {
      baseUrl: resolved.baseUrl,
      keyId: resolved.credentials.keyId ?? '',
      applicationKey: resolved.credentials.applicationKey ?? '',
    },
    apiVersion,
    pool: new UploadUrlPool(maxUploadUrls, () => clock.now()),
    bucketIds: new Map(),
    lifetime: new AbortController(),
    auth: undefined,
    lastAuthorization: undefined,
  };
}

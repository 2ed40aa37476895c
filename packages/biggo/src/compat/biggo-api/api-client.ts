/**
 * biggo_api's `APIClient`: `authorize(clientCredentials)` builds the `user` and `video` clients on one
 * session; `close()` ends them.
 *
 * @module
 */
import type { ClientOptions } from '@mediaferry/core';
import { BIGGO_BASE_URL } from '../../client.js';
import { authClientCredentials, type ClientCredentialsLike, type OAuth2Session } from './auth.js';
import { UserClient, VideoClient } from './clients.js';

/** `APIClient.params`. */
export interface APIClientParams {
  readonly oauth2Session: OAuth2Session | null;
  readonly hostUrl: string;
  readonly region: string | null;
  readonly verifySsl: boolean;
}

/** The constructor's arguments by name (Python's keywords), with the clients' options (`**kwargs`). */
export interface APIClientOptions extends ClientOptions {
  readonly hostUrl?: string | undefined;
  readonly region?: string | null | undefined;
  readonly verifySsl?: boolean | undefined;
}

/** The async API client wrapping the instance clients; `user` and `video` are `null` until authorized. */
export class APIClient {
  /** Session, host, region and TLS verification of the client. */
  params: APIClientParams;
  /** User client, once authorized. */
  user: UserClient | null = null;
  /** Video client, once authorized. */
  video: VideoClient | null = null;
  readonly #clientOptions: ClientOptions;

  /** `new APIClient()`, `new APIClient(hostUrl, region, verifySsl, kwargs)` or `new APIClient({ hostUrl, … })`. */
  constructor(
    hostUrl: string | APIClientOptions = BIGGO_BASE_URL,
    region: string | null = null,
    verifySsl = true,
    kwargs: ClientOptions = {},
  ) {
    if (typeof hostUrl === 'object') {
      const { hostUrl: host, region: named, verifySsl: verify, ...rest } = hostUrl;
      this.params = {
        oauth2Session: null,
        hostUrl: host ?? BIGGO_BASE_URL,
        region: named ?? null,
        verifySsl: verify ?? true,
      };
      this.#clientOptions = rest;
    } else {
      this.params = { oauth2Session: null, hostUrl, region, verifySsl };
      this.#clientOptions = kwargs;
    }
  }

  /** Authorizes with the client-credentials grant, then builds `user` and `video` on the session. */
  async authorize(clientCredentials: ClientCredentialsLike | null): Promise<void> {
    const { hostUrl, region, verifySsl } = this.params;
    const session = await authClientCredentials(
      `${hostUrl.replace(/\/+$/, '')}/auth/v1/token`,
      clientCredentials ?? { clientId: '', clientSecret: '' },
      verifySsl,
      null,
      this.#clientOptions,
    );
    this.params = { ...this.params, oauth2Session: session };
    this.user = new UserClient(session, hostUrl, verifySsl, region, this.#clientOptions);
    this.video = new VideoClient(session, hostUrl, verifySsl, region, this.#clientOptions);
  }

  /** Closes the session and the clients. */
  async close(): Promise<void> {
    await Promise.all([this.params.oauth2Session?.close(), this.user?.close(), this.video?.close()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

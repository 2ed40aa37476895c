/**
 * biggo_api's authorization: `ClientCredentials` and `authClientCredentials(url, clientCredentials,
 * verifySsl, refreshUrl)`, whose `OAuth2Session` the instance clients share (one token, renewed inside,
 * single-flight).
 *
 * @module
 */
import { type ClientOptions, InvalidInputError } from '@mediaferry/core';
import { BigGoClient } from '../../client.js';
import { internalsOf, withSeed } from '../../internal.js';
import { compat } from './errors.js';

/** `ClientCredentials(client_id, client_secret)`. The secret is kept out of `JSON.stringify` and `console.log`. */
export class ClientCredentials {
  readonly clientId: string;
  declare readonly clientSecret: string;

  constructor(clientId: string, clientSecret: string) {
    this.clientId = clientId;
    Object.defineProperty(this, 'clientSecret', { value: clientSecret, enumerable: false });
  }

  /** Unpacks like the NamedTuple: `const [clientId, clientSecret] = credentials`. */
  *[Symbol.iterator](): IterableIterator<string> {
    yield this.clientId;
    yield this.clientSecret;
  }
}

/** What the functions take for credentials: a {@link ClientCredentials} or any object of that shape. */
export interface ClientCredentialsLike {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The token as oauthlib shows it (`OAuth2Session.token`). */
export interface OAuth2TokenDict {
  readonly access_token: string;
  readonly token_type: string;
  /** Seconds the token was valid for when issued. */
  readonly expires_in?: number | undefined;
  /** Epoch seconds after which it is no longer valid. */
  readonly expires_at?: number | undefined;
}

/** What a session gives the instance clients built on it. */
interface SessionParts {
  readonly client: BigGoClient;
  readonly credentials: ClientCredentialsLike;
}

const parts = new WeakMap<OAuth2Session, SessionParts>();

/** An authorized session: the token, renewed when it expires, shared by every client built on it. */
export class OAuth2Session {
  /** @internal Made by {@link authClientCredentials}. */
  constructor(client: BigGoClient, credentials: ClientCredentialsLike) {
    parts.set(this, { client, credentials });
  }

  /** Whether a token is held. */
  get authorized(): boolean {
    return this.token !== undefined;
  }

  /** The token held now. */
  get token(): OAuth2TokenDict | undefined {
    const client = parts.get(this)?.client;
    const token = client ? internalsOf(client).auth.cache.peek() : undefined;
    if (!token) return undefined;
    const expiresIn = token.raw.expires_in;
    return {
      access_token: token.token,
      token_type: token.tokenType,
      expires_in: typeof expiresIn === 'number' ? expiresIn : undefined,
      expires_at: token.expiresAt === undefined ? undefined : token.expiresAt / 1000,
    };
  }

  /** Closes the session's connection; clients built on it keep their own until closed. */
  async close(): Promise<void> {
    await sessionParts(this).client.close();
  }
}

/** The parts of a session, or `InvalidInputError` ("Invalid oauth2_session") for anything else. */
export function sessionParts(session: OAuth2Session): SessionParts {
  const found = session instanceof OAuth2Session ? parts.get(session) : undefined;
  if (!found || !session.authorized) throw new InvalidInputError('oauth2Session', 'Invalid oauth2_session');
  return found;
}

function checkCredentials(credentials: ClientCredentialsLike | null | undefined): ClientCredentialsLike {
  if (
    typeof credentials?.clientId !== 'string' ||
    credentials.clientId === '' ||
    typeof credentials.clientSecret !== 'string' ||
    credentials.clientSecret === ''
  )
    throw new InvalidInputError('clientCredentials', 'Missing parameters for authorization.');
  return credentials;
}

/**
 * Authorizes a client by the client-credentials grant: `POST url` with Basic auth. Renewals go to
 * `refreshUrl` when given (still a client-credentials grant: this flow issues no refresh token), else to
 * `url`. `clientOptions` are the new client's options (`fetch`, `timeout`…), Python's `**kwargs`.
 */
export async function authClientCredentials(
  url: string,
  clientCredentials: ClientCredentialsLike,
  verifySsl = true,
  refreshUrl: string | null = null,
  clientOptions: ClientOptions = {},
): Promise<OAuth2Session> {
  const credentials = checkCredentials(clientCredentials);
  if (typeof url !== 'string' || !URL.canParse(url))
    throw new InvalidInputError('url', 'must be an absolute URL');
  if (refreshUrl !== null && (typeof refreshUrl !== 'string' || !URL.canParse(refreshUrl)))
    throw new InvalidInputError('refreshUrl', 'must be an absolute URL or null');
  const client = withSeed(
    { tokenUrl: url, refreshUrl: refreshUrl ?? undefined },
    () =>
      new BigGoClient({
        ...clientOptions,
        baseUrl: new URL(url).origin,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        verifySsl,
      }),
  );
  const { auth, http } = internalsOf(client);
  try {
    await compat(auth.token({ transport: http, clock: http.clock }));
  } catch (error) {
    await client.close();
    throw error;
  }
  return new OAuth2Session(client, credentials);
}

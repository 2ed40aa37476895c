/**
 * What a {@link BigGoClient} shares with the clients made from it (`withOptions`) and with the biggo_api
 * compatibility entry point: its token cache. Internal: not exported by the package.
 *
 * @module
 */
import { type BaseClient, type ClientCredentialsAuth, InvalidInputError } from '@mediaferry/core';
import type { BigGoContext } from './context.js';

/** What a client's token belongs to: another host or other credentials need their own. */
export interface Identity {
  readonly baseUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export function sameIdentity(a: Identity, b: Identity): boolean {
  return a.baseUrl === b.baseUrl && a.clientId === b.clientId && a.clientSecret === b.clientSecret;
}

/** What a client is built with besides its options (set for one synchronous construction). */
export interface ClientSeed {
  /** The token cache to share (a client made by `withOptions`, biggo_api's instance clients of one session). */
  readonly auth?: ClientCredentialsAuth | undefined;
  /** Token endpoint, when not `<baseUrl>/auth/v1/token` (biggo_api's `auth_client_credentials(url)`). */
  readonly tokenUrl?: string | undefined;
  /** Where renewals go (biggo_api's `refresh_url`). */
  readonly refreshUrl?: string | undefined;
}

let pending: ClientSeed | undefined;

/** Builds a client with `seed`: construction is synchronous, so the seed reaches exactly that client. */
export function withSeed<T>(seed: ClientSeed, build: () => T): T {
  pending = seed;
  try {
    return build();
  } finally {
    pending = undefined;
  }
}

/** The seed of the client being constructed, if any (read once). */
export function takeSeed(): ClientSeed | undefined {
  const seed = pending;
  pending = undefined;
  return seed;
}

/** A client's inner parts, for the compatibility entry point. */
export interface ClientInternals {
  readonly ctx: BigGoContext;
  readonly http: BaseClient;
  readonly auth: ClientCredentialsAuth;
  readonly identity: Identity;
}

const internals = new WeakMap<object, ClientInternals>();

export function registerInternals(client: object, parts: ClientInternals): void {
  internals.set(client, parts);
}

export function internalsOf(client: object): ClientInternals {
  const parts = internals.get(client);
  if (!parts) throw new InvalidInputError('client', 'must be a BigGoClient');
  return parts;
}

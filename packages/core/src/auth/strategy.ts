/**
 * The contract between the transport and an authentication scheme.
 *
 * @module
 */
import type { Clock } from '../clock.js';
import type { Transport } from '../http/types.js';

export interface AuthContext {
  /** The client's transport, for token endpoints (send those with `auth: false`). */
  readonly transport: Transport;
  readonly clock: Clock;
  readonly signal?: AbortSignal | undefined;
}

/** The outgoing request, mutable: a strategy sets headers or query parameters. */
export interface AuthTarget {
  readonly headers: Headers;
  readonly url: URL;
}

/** Identifies which credential a request carried, so a rejected one is refreshed only once. */
export interface AuthTicket {
  readonly generation: number;
}

export interface AuthStrategy {
  /** Adds credentials to `target`, obtaining a token first when none is held or it is about to expire. */
  authorize(target: AuthTarget, context: AuthContext): Promise<AuthTicket>;
  /**
   * The server rejected the credential of `ticket`. Obtain a fresh one (once, however many requests were
   * rejected together) and resolve `true` when replaying the request makes sense.
   */
  refresh?(ticket: AuthTicket, context: AuthContext): Promise<boolean>;
  /**
   * Origins the strategy's own flow issued (B2's `apiUrl` and `downloadUrl` from authorize), obtaining
   * credentials first if needed. Credentials go to these and to the client's configured API origin only.
   */
  issuedOrigins?(context: AuthContext): Promise<Iterable<string>>;
  /** Secret values held right now, to be scrubbed from logs and errors. */
  secrets(): Iterable<string | undefined>;
}

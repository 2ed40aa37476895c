/**
 * What both compat classes share: gopro_api's constructor arguments (`timeout` in seconds, default 10) turned
 * into a {@link GoProClient}, and the context-manager lifecycle.
 *
 * @module
 */
import { InvalidInputError, MediaferryError } from '@mediaferry/core';
import { GoProClient, type GoProClientOptions } from '../../client.js';

/** gopro_api's default per-request timeout, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 10.0;
/**
 * The CDN download's whole-transfer limit, in ms: the async seed fetches the CDN in a session without the
 * client's timeout, so aiohttp's default of 300 s total applies (spec §A3.3).
 */
export const CDN_TRANSFER_TIMEOUT_MS = 300_000;

/** Options beyond gopro_api's arguments: where to connect (an emulator), transport settings. */
export type TransportOptions = Omit<
  GoProClientOptions,
  'accessToken' | 'timeout' | 'pageSize' | 'preferHeight' | 'preferWidth'
>;

/** What gopro_api raises when a client is used after its context was left (spec §A4). */
export class RuntimeError extends MediaferryError {}

/** Builds the client of a compat object: the seed's token rule (`access_token or GP_ACCESS_TOKEN`) and timeout. */
export function openClient(
  accessToken: string | null | undefined,
  timeout: number,
  transport: TransportOptions,
): GoProClient {
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)
    throw new InvalidInputError('timeout', 'must be a number of seconds above 0');
  return new GoProClient({
    transferTimeout: CDN_TRANSFER_TIMEOUT_MS,
    ...transport,
    accessToken: accessToken ?? undefined,
    timeout: Math.round(timeout * 1000),
  });
}

/**
 * A client that is reopened by `aenter()` after `aexit()`, as gopro_api's session is; used after `aexit()`
 * without re-entering, it throws {@link RuntimeError}.
 */
export class Session {
  #client: GoProClient;
  readonly #reopen: () => GoProClient;
  readonly #usage: string;

  constructor(open: () => GoProClient, usage: string) {
    this.#reopen = open;
    this.#client = open();
    this.#usage = usage;
  }

  /** The open client; {@link RuntimeError} once the context was left. */
  get client(): GoProClient {
    if (this.#client.closed) throw new RuntimeError(this.#usage);
    return this.#client;
  }

  enter(): void {
    if (this.#client.closed) this.#client = this.#reopen();
  }

  async exit(): Promise<void> {
    await this.#client.close();
  }
}

/**
 * A cache for one expiring token with single-flight refresh: however many callers find the token missing,
 * expired or rejected at the same moment, exactly one exchange runs and all of them await it.
 *
 * @module
 */
import { abortErrorFrom } from '../signals.js';
import type { AuthContext } from './strategy.js';

export interface IssuedToken {
  readonly token: string;
  /** Epoch ms after which the token is no longer valid; absent = no known expiry. */
  readonly expiresAt?: number | undefined;
}

export interface TokenCacheOptions<T extends IssuedToken> {
  /** Refresh this long before `expiresAt`. Default 30 s. */
  readonly skewMs?: number;
  /** Called with every new token (persist it, or log a rotation). */
  readonly onUpdate?: ((token: T) => void) | undefined;
}

export class TokenCache<T extends IssuedToken> {
  readonly #obtain: (context: AuthContext) => Promise<T>;
  readonly #skewMs: number;
  readonly #onUpdate: ((token: T) => void) | undefined;
  #value: T | undefined;
  #generation = 0;
  #pending: Promise<T> | undefined;
  /** How many exchanges have been started (useful in tests and diagnostics). */
  exchanges = 0;

  constructor(obtain: (context: AuthContext) => Promise<T>, options: TokenCacheOptions<T> = {}) {
    this.#obtain = obtain;
    this.#skewMs = options.skewMs ?? 30_000;
    this.#onUpdate = options.onUpdate;
  }

  /** The token held now, without obtaining one. */
  peek(): T | undefined {
    return this.#value;
  }

  get generation(): number {
    return this.#generation;
  }

  /** Installs a token obtained elsewhere (e.g. restored from a cache file). */
  set(value: T): void {
    this.#value = value;
    this.#generation += 1;
    this.#onUpdate?.(value);
  }

  /** Forgets the token; the next `current()` obtains a new one. */
  invalidate(): void {
    this.#value = undefined;
    this.#generation += 1;
  }

  #fresh(now: number): boolean {
    const value = this.#value;
    return value !== undefined && (value.expiresAt === undefined || now < value.expiresAt - this.#skewMs);
  }

  /** A valid token and its generation, obtaining one if none is held or it is about to expire. */
  async current(context: AuthContext): Promise<{ value: T; generation: number }> {
    if (!this.#fresh(context.clock.now())) await this.#exchange(context);
    return { value: this.#value!, generation: this.#generation };
  }

  /**
   * The token of `rejectedGeneration` was refused. If it is still the one held, obtain a new one (once for
   * all concurrent callers); if another caller already replaced it, just use the new one.
   */
  async refresh(rejectedGeneration: number, context: AuthContext): Promise<boolean> {
    if (rejectedGeneration === this.#generation || this.#value === undefined) await this.#exchange(context);
    return true;
  }

  async #exchange(context: AuthContext): Promise<void> {
    if (!this.#pending) {
      this.exchanges += 1;
      // The shared exchange must not die with the first caller's signal: each caller only stops waiting.
      const shared: AuthContext = { transport: context.transport, clock: context.clock };
      this.#pending = this.#obtain(shared).then(
        (value) => {
          this.#pending = undefined;
          this.set(value);
          return value;
        },
        (error: unknown) => {
          this.#pending = undefined;
          throw error;
        },
      );
    }
    await waitOrAbort(this.#pending, context.signal);
  }
}

function waitOrAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortErrorFrom(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortErrorFrom(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

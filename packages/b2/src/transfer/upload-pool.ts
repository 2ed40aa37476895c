/**
 * Upload URLs (spec §3.7): one upload at a time per URL and token, so a URL is checked out exclusively,
 * returned only after a success, and dropped after any failure that calls for a new one.
 */
export interface UploadTarget {
  readonly uploadUrl: string;
  readonly authorizationToken: string;
  readonly createdAt: number;
}

/** URLs live 24 h on B2; leave a margin so a checked-out URL never expires mid-upload. */
const MAX_AGE_MS = 23 * 3_600_000 + 50 * 60_000;

export class UploadUrlPool {
  readonly #idle = new Map<string, UploadTarget[]>();
  readonly #maxPerKey: number;
  readonly #now: () => number;

  constructor(maxPerKey: number, now: () => number) {
    this.#maxPerKey = maxPerKey;
    this.#now = now;
  }

  /** An idle URL for this bucket or large file, or a new one from `obtain`. */
  async checkout(key: string, obtain: () => Promise<Omit<UploadTarget, 'createdAt'>>): Promise<UploadTarget> {
    const idle = this.#idle.get(key) ?? [];
    while (idle.length > 0) {
      const target = idle.pop()!;
      if (this.#now() - target.createdAt < MAX_AGE_MS) return target;
    }
    return { ...(await obtain()), createdAt: this.#now() };
  }

  /** Returns a URL after a successful upload; beyond `maxPerKey` idle URLs the oldest is dropped. */
  checkin(key: string, target: UploadTarget): void {
    const idle = this.#idle.get(key) ?? [];
    idle.push(target);
    while (idle.length > this.#maxPerKey) idle.shift();
    this.#idle.set(key, idle);
  }

  /** Forgets every URL of a key (a finished or cancelled large file). */
  drop(key: string): void {
    this.#idle.delete(key);
  }

  /** Forgets every URL (the client is closed). */
  clear(): void {
    this.#idle.clear();
  }

  size(key: string): number {
    return this.#idle.get(key)?.length ?? 0;
  }
}

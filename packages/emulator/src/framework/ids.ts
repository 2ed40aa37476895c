import { createHash, randomBytes } from 'node:crypto';

/**
 * Identifier factory. With a seed, the sequence is reproducible run after run, which keeps recorded test
 * expectations and demo output stable; without one, ids are unpredictable like a real service's.
 */
export class IdGenerator {
  #seed: string;
  #counter: number;

  constructor(seed?: string, counter = 0) {
    this.#seed = seed ?? randomBytes(16).toString('hex');
    this.#counter = counter;
  }

  /** The seed, saved with the state so a restart continues the same sequence. */
  get seed(): string {
    return this.#seed;
  }

  get counter(): number {
    return this.#counter;
  }

  /** Continues a sequence saved earlier (seed + counter), so a restarted emulator never reissues an id. */
  restore(seed: string, counter: number): void {
    this.#seed = seed;
    this.#counter = counter;
  }

  /** `len` lowercase hex characters. */
  hex(len: number): string {
    let out = '';
    while (out.length < len) {
      this.#counter += 1;
      out += createHash('sha256').update(`${this.#seed}:${this.#counter}`).digest('hex');
    }
    return out.slice(0, len);
  }

  /** A short unique id, optionally prefixed: `next('vid')` → `vid_3f9a…`. */
  next(prefix?: string): string {
    const id = this.hex(24);
    return prefix ? `${prefix}_${id}` : id;
  }

  /** An opaque bearer-style token. */
  token(prefix = 'tok'): string {
    return `${prefix}_${Buffer.from(this.hex(48), 'hex').toString('base64url')}`;
  }
}

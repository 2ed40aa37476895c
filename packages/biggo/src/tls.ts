/**
 * `verifySsl: false`: an undici agent that accepts any certificate, used as the client's dispatcher (so
 * streamed uploads keep their backpressure). undici is loaded only when a client asks for it.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { Agent } from 'undici';

const load = createRequire(import.meta.url);

/** A dispatcher without TLS verification, for this client only (self-signed test hosts). */
export function insecureAgent(): Agent {
  const undici: typeof import('undici') = load('undici');
  return new undici.Agent({ connect: { rejectUnauthorized: false } });
}

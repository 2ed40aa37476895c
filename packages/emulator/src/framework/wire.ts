import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireFaultSpec } from './faults.js';

/** Node bindings @hono/node-server passes as `c.env`; absent when the app runs in-process. */
export interface NodeBindings {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

/** Marks a connection the fault layer cut, so the in-process fetch can fail the way a socket would. */
export class WireResetError extends Error {
  override readonly name = 'WireResetError';
  constructor(readonly where: 'before_response' | 'mid_request' | 'mid_body') {
    super(`connection reset (${where})`);
  }
}

const resetResponses = new WeakSet<Response>();

/** True for the stand-in response of a connection reset before any byte was sent. */
export function isResetResponse(response: Response): boolean {
  return resetResponses.has(response);
}

/**
 * Cuts the connection before answering. Over a socket the peer sees ECONNRESET; in-process the returned
 * marker response makes `emulator.fetch` reject the way undici does.
 */
export function resetConnection(env: NodeBindings | undefined): Response {
  const socket = env?.incoming?.socket;
  if (socket) {
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  }
  const response = new Response(null, { status: 500 });
  resetResponses.add(response);
  return response;
}

/** Reads (and drops) up to `bytes` of the request body, as a server would before the line dies. */
export async function readRequestPrefix(request: Request, bytes: number): Promise<void> {
  if (!request.body) return;
  const reader = request.body.getReader();
  let seen = 0;
  try {
    while (seen < bytes) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Applies `reset_mid_body` or `truncate_body` to a response on its way out. */
export function cutResponseBody(
  response: Response,
  fault: WireFaultSpec,
  env: NodeBindings | undefined,
): Response {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const limit = fault.afterBytes ?? (Number.isFinite(declared) ? Math.floor(declared / 2) : 0);
  const source = response.body;
  const truncate = fault.kind === 'truncate_body';
  const reader = source?.getReader();
  let passed = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (passed >= limit || !reader) {
        await reader?.cancel().catch(() => {});
        if (truncate) return controller.close();
        // Let the bytes already queued reach the socket before it dies, so the client sees a partial body.
        await new Promise((resolve) => setTimeout(resolve, 20));
        const socket = env?.incoming?.socket;
        if (socket) {
          // Over a socket the cut itself is the failure; ending the stream quietly keeps the server's logs clean.
          socket.destroy();
          return controller.close();
        }
        return controller.error(new WireResetError('mid_body'));
      }
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const room = limit - passed;
      const chunk = value.byteLength > room ? value.subarray(0, room) : value;
      passed += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel(reason) {
      return reader?.cancel(reason);
    },
  });
  const headers = new Headers(response.headers);
  if (truncate) {
    headers.delete('content-length');
    // Over a socket, say so: the HTTP adapter would otherwise measure a short body that ends at once and
    // announce its (truncated) length, and the cut would no longer be a cut.
    if (env?.incoming) headers.set('transfer-encoding', 'chunked');
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Real-time sleep that ends early when the request goes away. */
export function stall(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

import type { EmulatorApp } from './define.js';
import { isResetResponse, WireResetError } from './wire.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 20;

/**
 * A `fetch` that hands requests straight to the app, with the failure modes of a real socket: a reset
 * rejects with `TypeError('fetch failed')` (cause ECONNRESET) like undici, a body cut mid-way errors with
 * `TypeError('terminated')`, an abort rejects with the signal's reason, redirects are followed.
 */
export function inProcessFetch(app: EmulatorApp): typeof fetch {
  const run = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    let request = new Request(input, withDuplex(init));
    for (let hop = 0; ; hop += 1) {
      const response = await dispatch(app, request);
      if (!REDIRECTS.has(response.status) || request.redirect === 'manual') return response;
      if (request.redirect === 'error')
        throw new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
      if (hop >= MAX_REDIRECTS)
        throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      const location = response.headers.get('location');
      if (!location) return response;
      await response.body?.cancel();
      request = redirected(request, new URL(location, request.url), response.status);
    }
  };
  return run as typeof fetch;
}

function withDuplex(init: RequestInit | undefined): RequestInit | undefined {
  if (!init?.body || typeof (init.body as ReadableStream).getReader !== 'function' || 'duplex' in init)
    return init;
  return { ...init, duplex: 'half' } as RequestInit;
}

function redirected(previous: Request, target: URL, status: number): Request {
  const headers = new Headers(previous.headers);
  // Like undici: credentials do not follow a redirect to another origin.
  if (target.origin !== new URL(previous.url).origin) {
    headers.delete('authorization');
    headers.delete('cookie');
  }
  const toGet = status === 303 || ((status === 301 || status === 302) && previous.method === 'POST');
  if (toGet) {
    headers.delete('content-type');
    headers.delete('content-length');
    return new Request(target, {
      method: previous.method === 'HEAD' ? 'HEAD' : 'GET',
      headers,
      signal: previous.signal,
    });
  }
  if (previous.body)
    throw new TypeError('fetch failed', {
      cause: new Error('cannot follow a redirect with a streamed body'),
    });
  return new Request(target, { method: previous.method, headers, signal: previous.signal });
}

async function dispatch(app: EmulatorApp, request: Request): Promise<Response> {
  const signal = request.signal;
  signal.throwIfAborted();
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  aborted.catch(() => {});
  const response = await Promise.race([Promise.resolve(app.fetch(request, {})), aborted]);
  if (isResetResponse(response)) {
    throw new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
  }
  const wrapped = new Response(guardBody(response.body, signal), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(wrapped, 'url', { value: request.url });
  return wrapped;
}

/** Makes the body fail like a socket body: on abort with the reason, on a wire cut with `terminated`. */
function guardBody(
  body: ReadableStream<Uint8Array> | null,
  signal: AbortSignal,
): ReadableStream<Uint8Array> | null {
  if (!body) return null;
  const reader = body.getReader();
  let onAbort: (() => void) | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        controller.error(signal.reason);
        reader.cancel(signal.reason).catch(() => {});
      };
      signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          if (onAbort) signal.removeEventListener('abort', onAbort);
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        if (onAbort) signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return;
        controller.error(
          error instanceof WireResetError ? new TypeError('terminated', { cause: error }) : error,
        );
      }
    },
    cancel(reason) {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      return reader.cancel(reason);
    },
  });
}

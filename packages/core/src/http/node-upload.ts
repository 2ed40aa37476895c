/**
 * Streaming uploads over `node:http`/`node:https`. Node's built-in fetch keeps a streamed request body in
 * memory while sending it (nodejs/undici#4058), so a 1 GiB upload would cost 1 GiB of RAM; this sender
 * applies socket backpressure instead. It speaks the subset of fetch the core uses and fails the way fetch
 * does (`TypeError('fetch failed', { cause })`, the abort reason on abort), so the rest of the core cannot
 * tell the difference. TLS verification is Node's default (on).
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { returnChunk } from '../body/leases.js';

export async function streamingUpload(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const signal = request.signal;
  signal.throwIfAborted();
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const outgoing = send(url, { method: request.method, headers });
    const onAbort = () =>
      outgoing.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    };
    outgoing.on('error', fail);
    outgoing.on('response', (incoming: IncomingMessage) => {
      settled = true;
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
        else if (value !== undefined) responseHeaders.set(name, value);
      }
      incoming.on('close', () => signal.removeEventListener('abort', onAbort));
      const nullBody =
        request.method === 'HEAD' || incoming.statusCode === 204 || incoming.statusCode === 304;
      const body = nullBody ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
      if (nullBody) incoming.resume();
      const response = new Response(body, {
        status: incoming.statusCode ?? 500,
        statusText: incoming.statusMessage ?? '',
        headers: responseHeaders,
      });
      Object.defineProperty(response, 'url', { value: request.url });
      resolve(response);
    });
    if (!request.body) {
      outgoing.end();
      return;
    }
    sendBody(request.body, outgoing).catch((error: unknown) =>
      outgoing.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  });
}

/**
 * Writes a web stream to the request with the socket's backpressure; each chunk goes back to its pool (a file
 * stream's read buffer) once the socket has taken it. A request closed early (the server answered before
 * reading everything) stops the sending quietly: its answer is what counts.
 */
async function sendBody(body: ReadableStream<Uint8Array>, outgoing: ClientRequest): Promise<void> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (outgoing.destroyed) {
        await reader.cancel().catch(() => {});
        return;
      }
      if (!outgoing.write(value, () => returnChunk(value)) && !(await drained(outgoing))) {
        await reader.cancel().catch(() => {});
        return;
      }
    }
    outgoing.end();
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  }
}

/** Resolves true once the request can take more, false if it closes first. */
function drained(outgoing: ClientRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => {
      outgoing.off('close', onClose);
      resolve(true);
    };
    const onClose = () => {
      outgoing.off('drain', onDrain);
      resolve(false);
    };
    outgoing.once('drain', onDrain);
    outgoing.once('close', onClose);
  });
}

/** What core needs of an undici `Dispatcher` (an `Agent`, a `ProxyAgent`…): its `request` API. */
interface DispatcherLike {
  request(options: {
    origin: string;
    path: string;
    method: string;
    headers: Record<string, string>;
    body?: Readable | null;
    signal?: AbortSignal;
  }): Promise<{
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: Readable;
  }>;
}

export function isDispatcher(value: unknown): value is DispatcherLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { request?: unknown }).request === 'function'
  );
}

/**
 * A streamed upload through the user's undici dispatcher (a proxy agent, say): its `request` API streams
 * the body with backpressure, unlike fetch, so a proxy applies to big uploads without buffering them.
 */
export async function dispatcherUpload(request: Request, dispatcher: DispatcherLike): Promise<Response> {
  const url = new URL(request.url);
  const signal = request.signal;
  signal.throwIfAborted();
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = request.body
    ? Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>)
    : null;
  try {
    const answer = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers,
      body,
      signal,
    });
    const responseHeaders = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
      else if (value !== undefined) responseHeaders.set(name, value);
    }
    const nullBody = request.method === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304;
    if (nullBody) answer.body.resume();
    const response = new Response(
      nullBody ? null : (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>),
      { status: answer.statusCode, headers: responseHeaders },
    );
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
}

/**
 * Requests over `node:http`/`node:https`, for everything but downloads when no `fetch` is injected. Node's
 * built-in fetch costs ~30 MiB of RSS the first time it is used (undici and its WebAssembly parser), and
 * keeps a streamed request body in memory while sending it (nodejs/undici#4058): a 1 GiB upload would cost
 * 1 GiB of RAM. This sender applies socket backpressure instead. It speaks the subset of fetch the core uses
 * and fails the way fetch does (`TypeError('fetch failed', { cause })`, the abort reason on abort), so the rest
 * of the core cannot tell the difference: compressed answers are decoded, redirects of a request whose body
 * can be sent again are handed to fetch (which follows them, dropping credentials across origins). TLS
 * verification is Node's default (on).
 */
import { type ClientRequest, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type BodyLease, leaseSourceOf, returnChunk } from '../body/leases.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A request's headers as the plain record `node:http` and undici's `request` take. */
function headerRecord(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/** `streamed`: the body is a one-shot stream (an upload), sent as it comes and never replayed. */
export async function nodeFetch(request: Request, streamed: boolean): Promise<Response> {
  const url = new URL(request.url);
  const signal = request.signal;
  signal.throwIfAborted();
  const headers = headerRecord(request);
  // A small body is read whole (so it has a length), and a copy kept in case fetch must follow a redirect
  // (a request without a body is its own copy: cloning one costs more than the rest of a small call).
  const replay = streamed ? undefined : request.body ? request.clone() : request;
  const bytes = !streamed && request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
  if (bytes) headers['content-length'] = String(bytes.byteLength);
  headers['accept-encoding'] ??= 'gzip, deflate, br';
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
      const status = incoming.statusCode ?? 500;
      if (replay && REDIRECTS.has(status) && incoming.headers.location) {
        incoming.resume();
        signal.removeEventListener('abort', onAbort);
        resolve(fetch(replay));
        return;
      }
      const responseHeaders = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (Array.isArray(value)) for (const item of value) responseHeaders.append(name, item);
        else if (value !== undefined) responseHeaders.set(name, value);
      }
      incoming.on('close', () => signal.removeEventListener('abort', onAbort));
      const nullBody = request.method === 'HEAD' || status === 204 || status === 304;
      if (nullBody) incoming.resume();
      try {
        const response = new Response(nullBody ? null : webBody(decoded(incoming)), {
          status,
          statusText: incoming.statusMessage ?? '',
          headers: responseHeaders,
        });
        Object.defineProperty(response, 'url', { value: request.url });
        resolve(response);
      } catch (error) {
        // A status or header fetch would refuse (say, 600): the same failure as fetch's.
        incoming.destroy();
        reject(new TypeError('fetch failed', { cause: error }));
      }
    });
    if (bytes) outgoing.end(bytes);
    else if (!request.body) outgoing.end();
    else
      sendBody(request.body, outgoing).catch((error: unknown) =>
        outgoing.destroy(error instanceof Error ? error : new Error(String(error))),
      );
  });
}

/** The answer's bytes, decompressed as fetch would (`Content-Encoding` gzip, deflate, br). */
function decoded(incoming: IncomingMessage): Readable {
  const coding = (incoming.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? createGunzip()
      : coding === 'deflate'
        ? createInflate()
        : coding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) return incoming;
  incoming.on('error', (error) => decoder.destroy(error));
  decoder.on('close', () => incoming.destroy());
  return incoming.pipe(decoder);
}

/** A node stream as a web stream, read only as its reader asks (no read-ahead queue). */
function webBody(source: Readable): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      },
      cancel() {
        source.destroy();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Writes a body to the request with the socket's backpressure; each chunk goes back to its pool (a file
 * stream's read buffer) once the socket has taken it. A body that offers leases is read as leases: fewer
 * objects per megabyte than a web stream's reads. A request closed early (the server answered before reading
 * everything) stops the sending quietly: its answer is what counts.
 */
async function sendBody(body: ReadableStream<Uint8Array>, outgoing: ClientRequest): Promise<void> {
  const leases = leaseSourceOf(body);
  // Locked either way, so nobody reads the same bytes twice.
  const reader = body.getReader();
  const next: () => Promise<BodyLease | undefined> = leases
    ? () => leases.next()
    : async () => {
        const { done, value } = await reader.read();
        return done ? undefined : { bytes: value, release: () => returnChunk(value) };
      };
  const stop = (reason?: unknown) => (leases ? leases.cancel(reason) : reader.cancel(reason).catch(() => {}));
  const room = new SocketRoom(outgoing);
  try {
    for (;;) {
      const lease = await next();
      if (!lease) break;
      if (outgoing.destroyed) {
        lease.release();
        await stop();
        return;
      }
      if (!outgoing.write(lease.bytes, () => lease.release()) && !(await room.drained())) {
        await stop();
        return;
      }
    }
    outgoing.end();
  } catch (error) {
    await stop(error);
    throw error;
  } finally {
    room.dispose();
  }
}

/**
 * Waits for the request to take more bytes. One pair of listeners serves every wait of a body: nearly every
 * megabyte written waits once, and a fresh pair of `once` listeners per wait was garbage per megabyte.
 */
class SocketRoom {
  readonly #outgoing: ClientRequest;
  #wake: ((open: boolean) => void) | undefined;
  #closed = false;
  readonly #onDrain = () => this.#settle(true);
  readonly #onClose = () => {
    this.#closed = true;
    this.#settle(false);
  };

  constructor(outgoing: ClientRequest) {
    this.#outgoing = outgoing;
    outgoing.on('drain', this.#onDrain);
    outgoing.on('close', this.#onClose);
  }

  /** Resolves true once the request can take more, false if it closes first. */
  drained(): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  dispose(): void {
    this.#outgoing.off('drain', this.#onDrain);
    this.#outgoing.off('close', this.#onClose);
  }

  #settle(open: boolean): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.(open);
  }
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
  const headers = headerRecord(request);
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

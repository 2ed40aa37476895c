/**
 * Plain-HTTP downloads over a bare socket (`node:net`; HTTPS goes through node:https, see socketCanCarry): the request
 * head written by hand, the response head read with `onread` into a reused buffer, and the body straight
 * into a few pooled slabs (`socket-body.ts`). Node's `fetch` (and `node:http`) allocate a fresh buffer per
 * socket read and pass each through several stream layers: for a gigabyte that is most of the CPU time and
 * tens of MiB of garbage. This path stays within its slabs, whatever the size.
 *
 * It answers as `fetch` does (`TypeError('fetch failed', { cause })`, the abort reason on abort) with a
 * `Response` whose body reads the same bytes; {@link leasedSourceOf} gives the faster lease reader. It
 * handles plain GET and HEAD only; a redirect is handed to `fetch`, which follows it as usual.
 *
 * @module
 */
import { connect as netConnect, type Socket } from 'node:net';
import { SpareBuffers } from '../body/spares.js';
import {
  bodyDecoder,
  framingOf,
  HttpParseError,
  headEnd,
  MAX_HEAD_BYTES,
  parseHead,
  type ResponseHead,
} from './http1.js';
import { SocketBody } from './socket-body.js';

/**
 * The connection's head buffer: the head is read into it, then the body reads into its slabs (see
 * `socket-body.ts`). A large one made the first read carry up to a MiB of body to copy: a GoPro pull of 200
 * files ran ~10 % faster with 64 KiB.
 */
const READ_BUFFER_BYTES = MAX_HEAD_BYTES;
/** Read buffers of closed connections, for the next (parallel ranges open a connection each). */
const spareReadBuffers = new SpareBuffers(READ_BUFFER_BYTES, 4, () =>
  Buffer.allocUnsafeSlow(READ_BUFFER_BYTES),
);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Bodies read from a socket, by the Response that carries them. */
const sources = new WeakMap<Response, SocketBody>();

/** The socket body behind a response from {@link socketDownload}, to read as leases and guard. */
export function leasedSourceOf(response: Response): SocketBody | undefined {
  return sources.get(response);
}

/** True when {@link socketDownload} can carry this request. */
export function socketCanCarry(request: Request): boolean {
  // Plain HTTP only. Over TLS, `onread` into a reused buffer delivered corrupted bytes once the consumer
  // made the socket pause (test/hostile/socket-download-tls.test.ts caught it): HTTPS downloads go
  // through node:https, which the same test proves whole.
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.body === null &&
    new URL(request.url).protocol === 'http:'
  );
}

function requestHead(request: Request, url: URL): string {
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
  let hasAccept = false;
  request.headers.forEach((value, name) => {
    if (name === 'host' || name === 'connection' || name === 'keep-alive') return;
    if (name === 'accept') hasAccept = true;
    lines.push(`${name}: ${value}`);
  });
  if (!hasAccept) lines.push('accept: */*');
  // One exchange per connection: nothing is left half-read on a pooled socket.
  lines.push('connection: close', '', '');
  return lines.join('\r\n');
}

/** Sends `request` and resolves with the response once its head has arrived. */
export function socketDownload(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const signal = request.signal;
  signal.throwIfAborted();
  return new Promise<Response>((resolve, reject) => {
    const readBuffer = spareReadBuffers.take();
    let body: SocketBody | undefined;
    const bodyOf = () => body;
    let head: Uint8Array = new Uint8Array(0);
    let answered = false;
    const fail = (error: unknown) => {
      if (answered) return;
      answered = true;
      socket.destroy();
      signal.removeEventListener('abort', onAbort);
      reject(signal.aborted ? signal.reason : new TypeError('fetch failed', { cause: error }));
    };
    const onAbort = () => {
      const reason = signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason));
      if (!answered) fail(reason);
      body?.destroy(reason);
    };
    const onHead = (bytes: Uint8Array): void => {
      // Informational answers (100, 103) come before the real one.
      for (;;) {
        const end = headEnd(bytes);
        if (end < 0) {
          if (bytes.byteLength > MAX_HEAD_BYTES) throw new HttpParseError('response head too large');
          head = bytes;
          return;
        }
        if (end > MAX_HEAD_BYTES) throw new HttpParseError('response head too large');
        const parsed = parseHead(bytes.subarray(0, end));
        const rest = bytes.subarray(end);
        if (parsed.status >= 200) {
          respond(parsed, rest);
          return;
        }
        bytes = rest;
      }
    };
    const respond = (parsed: ResponseHead, rest: Uint8Array) => {
      // Throws on a bad Content-Length: before the answer counts as given, so the caller gets the error.
      const framing = framingOf(parsed, request.method);
      answered = true;
      if (REDIRECTS.has(parsed.status)) {
        // Redirects are fetch's business (credentials dropped across origins): hand it the request.
        socket.destroy();
        signal.removeEventListener('abort', onAbort);
        resolve(fetch(request));
        return;
      }
      const headers = new Headers();
      for (const [name, value] of parsed.fields) headers.append(name, value);
      body = new SocketBody(socket, bodyDecoder(framing), readBuffer);
      const response = new Response(framing.kind === 'none' ? null : body.web(), {
        status: parsed.status,
        statusText: parsed.statusText,
        headers,
      });
      Object.defineProperty(response, 'url', { value: request.url });
      sources.set(response, body);
      body.onSettled(() => signal.removeEventListener('abort', onAbort));
      resolve(response);
      if (rest.byteLength > 0) body.deliver(rest);
      body.checkEnded();
    };
    // Node reads into what this returns, asked after every read: the body aims it at its slabs.
    const nextReadBuffer = (): Uint8Array => body?.readTarget() ?? readBuffer;
    const onRead = (length: number, buffer: Uint8Array): boolean => {
      try {
        if (body) return body.deliver(buffer.subarray(0, length));
        const bytes =
          head.byteLength === 0 ? readBuffer.subarray(0, length) : concat(head, readBuffer, length);
        onHead(bytes);
        // A head still incomplete may be a view of the read buffer, which the next read overwrites.
        // (A copy: `Buffer.prototype.slice` would be another view.)
        if (!answered && head.buffer === readBuffer.buffer) head = new Uint8Array(head);
        // onHead may have created the body: keep reading unless it is out of slabs already.
        return !bodyOf()?.paused;
      } catch (error) {
        if (body) body.destroy(error);
        else fail(error);
        return false;
      }
    };
    const options = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
      onread: { buffer: nextReadBuffer, callback: onRead },
    };
    const socket: Socket = netConnect(options);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.setNoDelay(true);
    socket.on('error', (error) => {
      if (body) body.destroy(error);
      else fail(error);
    });
    socket.on('close', () => {
      if (body) body.closed();
      else fail(new Error('the server closed the connection before answering'));
      // No read lands in it any more, and nothing holds a view of it (an incomplete head is copied out).
      spareReadBuffers.give(readBuffer);
    });
    socket.once('connect', () => {
      socket.write(requestHead(request, url));
    });
  });
}

function concat(head: Uint8Array, buffer: Buffer, length: number): Uint8Array {
  const joined = new Uint8Array(head.byteLength + length);
  joined.set(head, 0);
  joined.set(buffer.subarray(0, length), head.byteLength);
  return joined;
}

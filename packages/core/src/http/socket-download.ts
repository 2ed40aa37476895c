/**
 * Plain-HTTP downloads over a bare socket (`node:net`; HTTPS goes through node:https, see socketCanCarry): the request
 * head written by hand, the response read with `onread` into one reused buffer and its body copied into a
 * few pooled slabs ({@link SlabPool}). Node's `fetch` (and `node:http`) allocate a fresh buffer per socket
 * read and pass each through several stream layers: for a gigabyte that is most of the CPU time and tens of
 * MiB of garbage. This path costs a copy per byte and stays within its slabs, whatever the size.
 *
 * It answers as `fetch` does (`TypeError('fetch failed', { cause })`, the abort reason on abort) with a
 * `Response` whose body reads the same bytes; {@link leasedSourceOf} gives the faster lease reader. It
 * handles plain GET and HEAD only; a redirect is handed to `fetch`, which follows it as usual.
 *
 * @module
 */
import { connect as netConnect, type Socket } from 'node:net';
import { type BodyLease, type LeasedSource, leasesToWebStream, SlabPool } from '../body/leases.js';
import type { BodyGuard } from './guarded-body.js';
import {
  type BodyDecoder,
  bodyDecoder,
  framingOf,
  HttpParseError,
  headEnd,
  MAX_HEAD_BYTES,
  parseHead,
  type ResponseHead,
} from './http1.js';

const READ_BUFFER_BYTES = 256 * 1024;
/**
 * Read buffers of closed connections, for the next: parallel ranges open a connection each, and a fresh
 * buffer per connection made memory grow with the size of the file.
 */
const spareReadBuffers: Buffer[] = [];
const MAX_SPARE_READ_BUFFERS = 4;
/** Slabs per download: one filling while up to two are hashed or written. */
const SLABS = 3;
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
    const readBuffer = spareReadBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
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
      body = new SocketBody(socket, bodyDecoder(framing));
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
    const onRead = (length: number): boolean => {
      try {
        if (body) return body.deliver(readBuffer.subarray(0, length));
        const bytes =
          head.byteLength === 0 ? readBuffer.subarray(0, length) : concat(head, readBuffer, length);
        onHead(bytes);
        // A head still incomplete may be a view of the read buffer, which the next read overwrites.
        if (!answered && head.buffer === readBuffer.buffer) head = head.slice();
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
      onread: { buffer: readBuffer, callback: onRead },
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
      if (spareReadBuffers.length < MAX_SPARE_READ_BUFFERS) spareReadBuffers.push(readBuffer);
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

/**
 * The body of one socket response: bytes decoded from the framing are copied into pooled slabs and handed out
 * as leases; reading pauses while every slab is lent and resumes when one comes back.
 */
export class SocketBody implements LeasedSource {
  readonly #socket: Socket;
  readonly #decoder: BodyDecoder;
  readonly #pool: SlabPool;
  readonly #ready: BodyLease[] = [];
  #slab: Uint8Array | undefined;
  #filled = 0;
  /** Bytes of one read that found no free slab: kept until one comes back. */
  #overflow: Uint8Array | undefined;
  #waiter: { resolve: (lease: BodyLease | undefined) => void; reject: (error: unknown) => void } | undefined;
  #error: unknown;
  #ended = false;
  #paused = false;
  #guard: BodyGuard | undefined;
  #waitingSince = performance.now();
  readonly #settled: Array<() => void> = [];
  #used = false;

  constructor(socket: Socket, decoder: BodyDecoder) {
    this.#socket = socket;
    this.#decoder = decoder;
    this.#pool = new SlabPool(SLABS, () => this.#slabFreed());
    if (decoder.done) this.#finish();
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Puts the body under a guard (idle, deadline, throughput, length, progress). */
  guard(guard: BodyGuard): void {
    this.#guard = guard;
    // Bytes that came with the head or before the guard was attached count as well.
    const failure = this.#report(0) ?? (this.#ended ? guard.ended() : undefined);
    if (failure) {
      this.#ended = false;
      this.destroy(failure);
      return;
    }
    if (this.#ended || this.#error !== undefined) guard.settle();
    else if (!this.#paused) guard.waiting();
  }

  /** Reports bytes not yet counted to the guard: the error that ends the body, if any. */
  #report(waitedMs: number): Error | undefined {
    const arrived = this.#received - this.#counted;
    if (arrived === 0 || !this.#guard) return undefined;
    this.#counted = this.#received;
    return this.#guard.received(arrived, waitedMs);
  }

  onSettled(listener: () => void): void {
    if (this.#ended || this.#error !== undefined) listener();
    else this.#settled.push(listener);
  }

  /** The body as a web stream (copies each slab out). */
  web(): ReadableStream<Uint8Array> {
    return leasesToWebStream(this);
  }

  /** Takes the body's bytes out of a socket read; false when reading must pause. */
  deliver(input: Uint8Array): boolean {
    if (this.#ended || this.#error !== undefined) return false;
    this.#decoder.feed(input, (bytes) => this.#copy(bytes));
    const now = performance.now();
    const failure = this.#report(now - this.#waitingSince);
    this.#waitingSince = now;
    if (failure) {
      this.destroy(failure);
      return false;
    }
    this.checkEnded();
    if (this.#ended) return false;
    // A consumer waiting for data gets what there is rather than waiting for a full slab.
    if (this.#waiter && this.#filled > 0) this.#dispatch();
    this.#hand();
    if (this.#paused) this.#guard?.resting();
    else this.#guard?.waiting();
    return !this.#paused;
  }

  /** Body bytes taken from the socket, and how many of them the guard has been told about. */
  #received = 0;
  #counted = 0;
  /** The peer closed the connection where that ends the body. */
  #closedAtEnd = false;

  /** Ends the body once the decoder has seen all of it. */
  checkEnded(): void {
    if (!this.#ended && this.#error === undefined && this.#complete) this.#finish();
  }

  get #complete(): boolean {
    return this.#decoder.done || this.#closedAtEnd;
  }

  /** The connection closed. */
  closed(): void {
    if (this.#ended || this.#error !== undefined) return;
    if (this.#decoder.closeEnds()) {
      this.#closedAtEnd = true;
      this.#finish();
    } else this.destroy(new Error('terminated: the connection closed before the body ended'));
  }

  destroy(error: unknown): void {
    if (this.#ended || this.#error !== undefined) return;
    this.#error = error;
    this.#socket.destroy();
    this.#settle();
    if (this.#waiter) {
      const { reject } = this.#waiter;
      this.#waiter = undefined;
      reject(this.#failure());
    }
  }

  /** The body's error as the reader sees it: typed by the guard once there is one. */
  #failure(): unknown {
    if (this.#guard && !this.#mapped) {
      this.#mapped = true;
      this.#error = this.#guard.failed(this.#error);
    }
    return this.#error;
  }

  #mapped = false;

  next(): Promise<BodyLease | undefined> {
    this.#used = true;
    const lease = this.#ready.shift();
    if (lease) return Promise.resolve(lease);
    if (this.#error !== undefined) return Promise.reject(this.#failure());
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
      if (this.#filled > 0) {
        this.#dispatch();
        this.#hand();
      }
    });
  }

  cancel(_reason?: unknown): void {
    for (const lease of this.#ready.splice(0)) lease.release();
    if (this.#ended || this.#error !== undefined) return;
    this.#error = new Error('the body was cancelled');
    this.#socket.destroy();
    this.#settle();
  }

  /** True once a reader took from this body. */
  get used(): boolean {
    return this.#used;
  }

  #copy(bytes: Uint8Array): void {
    this.#received += bytes.byteLength;
    let at = 0;
    while (at < bytes.byteLength) {
      if (this.#overflow) {
        this.#overflow = joinBytes(this.#overflow, bytes.subarray(at));
        return;
      }
      this.#slab ??= this.#pool.take();
      if (!this.#slab) {
        this.#overflow = bytes.slice(at);
        this.#pause();
        return;
      }
      const take = Math.min(this.#slab.byteLength - this.#filled, bytes.byteLength - at);
      this.#slab.set(bytes.subarray(at, at + take), this.#filled);
      this.#filled += take;
      at += take;
      if (this.#filled === this.#slab.byteLength) this.#dispatch();
    }
  }

  #dispatch(): void {
    if (!this.#slab || this.#filled === 0) return;
    this.#ready.push(this.#pool.lend(this.#slab, this.#filled));
    this.#slab = undefined;
    this.#filled = 0;
  }

  #hand(): void {
    if (!this.#waiter) return;
    const lease = this.#ready.shift();
    if (lease) {
      const { resolve } = this.#waiter;
      this.#waiter = undefined;
      resolve(lease);
    } else if (this.#ended) {
      const { resolve } = this.#waiter;
      this.#waiter = undefined;
      resolve(undefined);
    }
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#guard?.resting();
  }

  #slabFreed(): void {
    if (this.#error !== undefined) return;
    if (this.#overflow) {
      const pending = this.#overflow;
      this.#overflow = undefined;
      this.#received -= pending.byteLength;
      this.#copy(pending);
      if (this.#overflow) return;
      if (this.#complete) {
        this.#dispatch();
        this.#finishIfDrained();
        this.#hand();
        return;
      }
    }
    if (this.#paused && !this.#ended) {
      this.#paused = false;
      this.#waitingSince = performance.now();
      this.#guard?.waiting();
      this.#socket.resume();
    }
    this.#hand();
  }

  #finish(): void {
    if (this.#overflow) return; // ends once the overflow found a slab
    this.#finishIfDrained();
  }

  #finishIfDrained(): void {
    if (this.#ended || this.#overflow) return;
    this.#dispatch();
    const short = this.#guard?.ended();
    if (short) {
      this.destroy(short);
      return;
    }
    this.#ended = true;
    this.#socket.destroy();
    this.#settle();
    this.#hand();
  }

  #settle(): void {
    // No more bytes will come: an unlent slab, and every lent one once released, go to the spares.
    if (this.#slab) this.#pool.give(this.#slab);
    this.#slab = undefined;
    this.#filled = 0;
    this.#pool.close();
    this.#guard?.settle();
    for (const listener of this.#settled.splice(0)) listener();
  }
}

function joinBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}

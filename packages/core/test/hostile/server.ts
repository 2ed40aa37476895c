/**
 * A small hostile HTTP server for tests: `node:http` on 127.0.0.1, a random port, one per test, every
 * request recorded (method, path, headers, body), every socket destroyed on close so nothing outlives the
 * test. Handlers play the misbehaving service; a second instance plays the "foreign" origin that must
 * never receive a credential.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach } from 'vitest';

export interface Recorded {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => unknown;

export interface HostileServer {
  readonly origin: string;
  readonly requests: Recorded[];
  /** Replaces the handler (the server keeps its port). */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

const open: HostileServer[] = [];

// Every server a test started is gone before the next test begins.
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/** Starts a server; `handler` answers every request (default: 404). */
export async function hostileServer(handler: Handler = notFound): Promise<HostileServer> {
  let current = handler;
  const requests: Recorded[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(request.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    requests.push({ method: request.method ?? 'GET', url: request.url ?? '/', headers, body });
    try {
      await current(request, response, body);
    } catch {
      response.destroy();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const instance: HostileServer = {
    origin: `http://127.0.0.1:${address.port}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  open.push(instance);
  return instance;
}

export function notFound(_request: IncomingMessage, response: ServerResponse): void {
  json(response, 404, { error: 'not found' });
}

/** Answers JSON (any value, `null` included) with extra headers. */
export function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Sends headers and a first part of the body, then resets the connection. */
export function resetAfter(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  part: string | Buffer,
): void {
  response.writeHead(status, headers);
  response.write(part, () => setTimeout(() => response.socket?.destroy(), 5));
}

/** Writes `chunk` every `everyMs` until the client goes away (or the server closes). */
export function trickle(
  response: ServerResponse,
  headers: Record<string, string>,
  chunk: Buffer,
  everyMs: number,
): void {
  response.writeHead(200, headers);
  const timer = setInterval(() => {
    if (response.destroyed || response.writableEnded) clearInterval(timer);
    else response.write(chunk);
  }, everyMs);
  response.on('close', () => clearInterval(timer));
}

/** Whether any recorded request carried one of the given secrets (in its URL or any header). */
export function leaked(requests: readonly Recorded[], ...secrets: string[]): string[] {
  const found: string[] = [];
  for (const request of requests) {
    const where = [request.url, ...Object.values(request.headers)].join('\n');
    for (const secret of secrets)
      if (where.includes(secret) || where.includes(encodeURIComponent(secret)))
        found.push(`${request.method} ${request.url}`);
  }
  return found;
}

/** The path of a recorded request, without its query. */
export const pathOf = (request: Recorded): string => request.url.split('?')[0]!;

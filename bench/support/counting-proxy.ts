/**
 * A TCP proxy in front of an emulator that counts the bytes each way: what went through the client, whatever
 * the client is. The emulators build the URLs they hand out from the request's Host, so a client pointed at
 * the proxy keeps talking through it.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface CountingProxy {
  readonly url: string;
  /** Bytes client → server and server → client so far. */
  counts(): { sent: number; received: number };
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const { hostname, port } = new URL(target);
  let sent = 0;
  let received = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    open.add(client);
    open.add(upstream);
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
    });
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    counts: () => ({ sent, received }),
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

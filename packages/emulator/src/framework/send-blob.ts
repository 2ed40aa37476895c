import type { ServerResponse } from 'node:http';
import { blobBodyOf, SEND_RING } from './serve-blob.js';

/** @hono/node-server's marker for "the handler wrote the response itself" (`RESPONSE_ALREADY_SENT`). */
const ALREADY_SENT = 'x-hono-already-sent';

/**
 * Sends a response whose body is a stored blob straight from the store to the socket: large chunks from
 * the file (or memory) written with the socket's backpressure, with no web-stream layer in between. Serving
 * media through the web `Response` adapter cost a promise and an object per chunk in each of several layers,
 * and made the emulator slower than `python3 -m http.server` serving the same bytes.
 *
 * Returns the stand-in response the adapter expects when the body is already on its way, or undefined when
 * the response is not a blob body nobody has touched (faults that cut a body wrap it, so they still apply).
 */
export function sendBlobDirectly(
  response: Response,
  outgoing: ServerResponse | undefined,
): Response | undefined {
  const blob = outgoing ? blobBodyOf(response) : undefined;
  if (!blob || !outgoing) return undefined;
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  void (async () => {
    const capture = blob.capture;
    // Chunks the socket has not taken yet: at most SEND_RING - 1, so a buffer is never refilled while queued.
    const queued: Promise<void>[] = [];
    // A socket that dies may never call back for what it still held: stop waiting then. (One listener
    // wakes the wait in progress; racing every wait against one "gone" promise kept a reaction on it per
    // chunk until the response ended.)
    let closed = false;
    let wake: (() => void) | undefined;
    outgoing.once('close', () => {
      closed = true;
      wake?.();
    });
    const taken = (written: Promise<unknown> | undefined) =>
      closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            wake = resolve;
            void written?.then(() => resolve());
          });
    try {
      for await (const chunk of blob.chunks) {
        if (outgoing.destroyed) {
          capture?.fail();
          return;
        }
        capture?.note(chunk);
        queued.push(new Promise((taken) => outgoing.write(chunk, () => taken())));
        if (queued.length >= SEND_RING - 1) await taken(queued.shift());
      }
      await taken(Promise.all(queued));
      if (outgoing.destroyed) {
        capture?.fail();
        return;
      }
      capture?.end();
      outgoing.end();
    } catch (error) {
      // A store that cannot read its own blob: the client sees a cut body, never a short "complete" one.
      capture?.fail();
      outgoing.destroy(error as Error);
    }
  })();
  return new Response(null, { headers: { [ALREADY_SENT]: 'true' } });
}

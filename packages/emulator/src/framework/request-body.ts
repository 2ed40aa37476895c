import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import type { BodyCapture } from './capture.js';
import type { EmulatorContext } from './define.js';

/**
 * A request body that arrived over a socket, readable once in either of two ways, both noted by the
 * journal's capture:
 * - {@link RequestBody.chunks}: the Buffers straight off the socket, as `node:http` hands them over. Bulk
 *   uploads read this way: every web-stream layer between the socket and the blob store (the adapter's
 *   `Readable.toWeb`, the journal's capture, a `Request` body) costs a promise and an object per chunk,
 *   which at media sizes made the emulator the bottleneck of every upload.
 * - {@link RequestBody.webStream}: the `c.req.raw.body` every other route (JSON, forms, fault handling)
 *   reads. It opens the socket's stream only on its first pull, so a route that takes the chunks instead
 *   pays nothing for it.
 */
export class RequestBody {
  readonly #incoming: IncomingMessage;
  readonly #capture: BodyCapture;
  #taken: 'web' | 'chunks' | undefined;

  constructor(incoming: IncomingMessage, capture: BodyCapture) {
    this.#incoming = incoming;
    this.#capture = capture;
  }

  /** Whether neither way has been taken yet. */
  get untouched(): boolean {
    return this.#taken === undefined;
  }

  #take(way: 'web' | 'chunks'): void {
    if (this.#taken !== undefined) throw new TypeError(`the request body was already read (${this.#taken})`);
    this.#taken = way;
  }

  /** The body as a web stream, for `c.req.raw`. */
  webStream(): ReadableStream<Uint8Array> {
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    const open = () => {
      if (!reader) {
        this.#take('web');
        const source = Readable.toWeb(this.#incoming) as ReadableStream<Uint8Array>;
        reader = this.#capture.wrap(source).getReader();
      }
      return reader;
    };
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const { done, value } = await open().read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        // As @hono/node-server's own body: a cancel leaves the socket alone (the adapter drains what is left
        // after the answer), so a route or fault that stops reading still gets its answer to the client.
        cancel: () => {
          if (reader) this.#capture.fail();
        },
      },
      // Nothing is read ahead: the socket's stream is opened by the first reader, not by this object.
      { highWaterMark: 0 },
    );
  }

  /** The body as the socket delivered it. */
  async *chunks(): AsyncGenerator<Uint8Array> {
    this.#take('chunks');
    let ended = false;
    try {
      // Stopping early leaves the socket alone too (no destroy): the adapter drains the rest after the answer.
      for await (const chunk of this.#incoming.iterator({
        destroyOnReturn: false,
      }) as AsyncIterable<Buffer>) {
        this.#capture.note(chunk);
        yield chunk;
      }
      ended = true;
      this.#capture.end();
    } finally {
      if (!ended) this.#capture.fail();
    }
  }
}

async function* webChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* body;
}

/**
 * The request body in the cheapest form for a route that streams it somewhere: straight off the socket when
 * the emulator serves over `node:http` and nothing has read the body yet, else through `c.req.raw.body`
 * (in-process requests, or a body a fault already started on).
 */
export function requestChunks(c: EmulatorContext): AsyncIterable<Uint8Array> {
  const body = c.get('requestBody');
  if (body?.untouched) return body.chunks();
  return webChunks(c.req.raw.body ?? new Blob([]).stream());
}

/**
 * Whether the request came with a body, without opening it: over a socket its headers say (reading
 * `c.req.raw.body` would start the slow web view); in-process, the `Request` does.
 */
export function requestHasBody(c: EmulatorContext): boolean {
  if (!c.get('requestBody')) return c.req.raw.body !== null;
  return c.req.header('transfer-encoding') !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
}

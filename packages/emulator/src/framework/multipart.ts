import { Readable } from 'node:stream';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { fail, HttpFailure } from './failure.js';

/** What a multipart file part says about itself. */
export interface MultipartFileInfo {
  readonly filename: string;
  readonly mimeType: string;
}

export interface MultipartResult<R> {
  readonly fields: Record<string, string>;
  readonly files: Record<string, R>;
}

/**
 * A multipart body without its `Request`: its Content-Type, and its bytes as they arrive (the socket's own
 * chunks from {@link requestChunks}, which skip the web-stream layers a `Request` body goes through).
 */
export interface MultipartBody {
  readonly contentType: string | undefined;
  readonly body: AsyncIterable<Uint8Array> | null;
}

export interface MultipartOptions<R> {
  /**
   * Consumes one file part; must read `stream` to its end (e.g. into `ctx.blobs.put`). When the request
   * fails after a part was kept, every onFile has settled by the time {@link readMultipart} throws: the
   * caller gives back what they kept then.
   */
  onFile(field: string, stream: ReadableStream<Uint8Array>, info: MultipartFileInfo): Promise<R>;
  /** Largest accepted file part in bytes. */
  readonly fileSizeLimit?: number;
}

/**
 * Parses a `multipart/form-data` request as it streams in: fields as strings, each file handed to `onFile`
 * without buffering. A malformed body becomes a 400 in the service's error format.
 */
export async function readMultipart<R>(
  request: Request | MultipartBody,
  options: MultipartOptions<R>,
): Promise<MultipartResult<R>> {
  const { contentType = '', body } =
    request instanceof Request
      ? { contentType: request.headers.get('content-type') ?? undefined, body: request.body }
      : request;
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    fail(400, 'bad_request', 'expected a multipart/form-data body');
  }
  if (!body) fail(400, 'bad_request', 'empty multipart body');
  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: { 'content-type': contentType },
      limits: options.fileSizeLimit === undefined ? {} : { fileSize: options.fileSizeLimit },
    });
  } catch {
    fail(400, 'bad_request', 'malformed multipart content-type');
  }
  const fields: Record<string, string> = {};
  const files: Record<string, R> = {};
  const pending: Promise<void>[] = [];
  const parts: Readable[] = [];
  let failure: unknown;
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('field', (name: string, value: string) => {
      fields[name] = value;
    });
    parser.on(
      'file',
      (name: string, stream: Readable, filename: string, _encoding: string, mimeType: string) => {
        parts.push(stream);
        let truncated = false;
        stream.on('limit', () => {
          truncated = true;
        });
        const web = pulledFrom(stream);
        pending.push(
          options.onFile(name, web, { filename, mimeType }).then(
            (result) => {
              if (truncated) failure ??= new HttpFailure(413, 'too_large', `file part ${name} is too large`);
              files[name] = result;
            },
            (error: unknown) => {
              failure ??= error;
              stream.resume();
            },
          ),
        );
      },
    );
    parser.on('finish', resolve);
    parser.on('error', reject);
  });
  const input =
    body instanceof ReadableStream
      ? Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>)
      : Readable.from(body, { objectMode: false });
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let malformed = false;
  try {
    await finished;
  } catch (error) {
    malformed = true;
    // A part cut off by a client gone away would otherwise never end, nor would its onFile (a blob file
    // left open and half written).
    for (const part of parts) if (!part.readableEnded) part.destroy(error as Error);
  }
  // Every onFile has settled before this returns or throws, so a caller can give back what they kept.
  await Promise.all(pending);
  if (malformed) fail(400, 'bad_request', 'malformed multipart body');
  if (failure) throw failure;
  return { fields, files };
}

/**
 * A Node stream as a web stream that reads only when pulled. `Readable.toWeb` paused and resumed the part's
 * stream around every chunk, which cost more than the whole rest of an upload at media sizes.
 */
function pulledFrom(stream: Readable): ReadableStream<Uint8Array> {
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      },
      async cancel() {
        // Reading the rest keeps the parser going to the next part (what a stalled part would block).
        stream.resume();
      },
    },
    { highWaterMark: 0 },
  );
}

import type { CapturedBody } from './journal.js';
import type { JournalRedactor } from './redact.js';

/** How much of each body the journal keeps to show. */
export const CAPTURE_BYTES = 8 * 1024;
const BINARY_TYPES = /^(image|video|audio|font)\/|octet-stream|zip|gzip|x-tar|pdf|protobuf/i;

/**
 * Watches a body stream go by: counts it, keeps its first {@link CAPTURE_BYTES} and renders them as
 * redacted text once there are enough (or the stream ends). Bytes pass through untouched and unbuffered.
 */
export class BodyCapture {
  readonly body: CapturedBody;
  readonly #redactor: JournalRedactor;
  readonly #kept: Uint8Array[] = [];
  #keptBytes = 0;
  #rendered = false;

  constructor(contentType: string | null, redactor: JournalRedactor) {
    this.body = { contentType: contentType ?? '', size: 0, truncated: false };
    this.#redactor = redactor;
  }

  /** A stream that yields what `source` yields, noting it on the way (or call note/end/fail yourself). */
  wrap(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = source.getReader();
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (error) {
          this.fail();
          controller.error(error);
          return;
        }
        if (chunk.done) {
          this.end();
          controller.close();
          return;
        }
        this.note(chunk.value);
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => {
        this.fail();
        return reader.cancel(reason);
      },
    });
  }

  /** The body ended: render what was kept. */
  end(): void {
    this.#render();
  }

  /** The body stopped short (an error, a cancel, a client gone). */
  fail(): void {
    this.body.incomplete = true;
    this.#render();
  }

  /** Notes a chunk going by (only the first {@link CAPTURE_BYTES} are copied). */
  note(chunk: Uint8Array): void {
    this.body.size += chunk.byteLength;
    if (this.#keptBytes < CAPTURE_BYTES) {
      const room = CAPTURE_BYTES - this.#keptBytes;
      // A copy even of a Buffer (whose `slice` is a view): the chunk's memory may be reused or large.
      const kept = new Uint8Array(chunk.subarray(0, Math.min(room, chunk.byteLength)));
      this.#kept.push(kept);
      this.#keptBytes += kept.byteLength;
    }
    if (this.body.size > CAPTURE_BYTES) {
      this.body.truncated = true;
      this.#render();
    }
  }

  #render(): void {
    if (this.#rendered) return;
    this.#rendered = true;
    const bytes = Buffer.concat(this.#kept);
    this.#kept.length = 0;
    if (bytes.byteLength === 0 || BINARY_TYPES.test(this.body.contentType) || bytes.includes(0)) return;
    this.body.text = this.#redactor.body(bytes.toString('utf8'), this.body.contentType);
  }
}

/**
 * A streaming `multipart/form-data` encoder. Unlike `FormData`, it knows its total length up front (when
 * every file part has a known size), so uploads can send `Content-Length`, count progress byte by byte
 * and be replayed for a retry without reading files into memory.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { BodySource } from './sources.js';

export type MultipartPart =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string;
      readonly filename: string;
      readonly contentType?: string;
      readonly source: BodySource;
    };

export interface MultipartBody extends BodySource {
  /** The `Content-Type` header value, boundary included. */
  readonly contentType: string;
}

const encoder = new TextEncoder();

function quote(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

/** Encodes `parts` in order. Replayable when every file source is. */
export function multipartBody(
  parts: readonly MultipartPart[],
  boundary = `----mediaferry${randomBytes(12).toString('hex')}`,
): MultipartBody {
  const segments: (Uint8Array | BodySource)[] = [];
  for (const part of parts) {
    if ('value' in part) {
      segments.push(
        encoder.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.name)}"\r\n\r\n${part.value}\r\n`,
        ),
      );
    } else {
      segments.push(
        encoder.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quote(part.name)}"; filename="${quote(part.filename)}"\r\n` +
            `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        part.source,
        encoder.encode('\r\n'),
      );
    }
  }
  segments.push(encoder.encode(`--${boundary}--\r\n`));

  let size: number | undefined = 0;
  for (const segment of segments) {
    const length = segment instanceof Uint8Array ? segment.byteLength : segment.size;
    size = size === undefined || length === undefined ? undefined : size + length;
  }
  const sources = segments.filter((s): s is BodySource => !(s instanceof Uint8Array));

  return {
    kind: 'body',
    contentType: `multipart/form-data; boundary=${boundary}`,
    size,
    replayable: sources.every((s) => s.replayable),
    rangeable: false,
    get consumed() {
      return sources.some((s) => s.consumed);
    },
    open: async () => {
      let index = 0;
      let current: ReadableStreamDefaultReader<Uint8Array> | undefined;
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            for (;;) {
              if (current) {
                const { value, done } = await current.read();
                if (!done) {
                  controller.enqueue(value);
                  return;
                }
                current = undefined;
              }
              const segment = segments[index++];
              if (segment === undefined) {
                controller.close();
                return;
              }
              if (segment instanceof Uint8Array) {
                controller.enqueue(segment);
                return;
              }
              current = (await segment.open()).getReader();
            }
          },
          async cancel(reason) {
            await current?.cancel(reason);
          },
        },
        { highWaterMark: 0 },
      );
    },
  };
}

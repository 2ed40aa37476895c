/**
 * The HTTP/1.1 response framing the socket download path needs (RFC 9112): the status line and header
 * fields of a response head, and how its body is delimited (a length, chunked coding, or the connection's
 * close). Strict where laxness would let a hostile server confuse the client: a malformed head, a bad or
 * contradictory `Content-Length`, a malformed chunk are errors, never guesses.
 *
 * @module
 */

/** Largest response head accepted (status line and fields). */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Largest chunk-size line (with extensions) or trailer field accepted. */
const MAX_LINE_BYTES = 4 * 1024;

/** A response head that does not follow HTTP/1.1: the exchange fails like a broken connection. */
export class HttpParseError extends Error {
  override readonly name = 'HttpParseError';
}

export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** Field names lower-cased, in order; repeated fields kept apart. */
  readonly fields: ReadonlyArray<readonly [string, string]>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Index just past the blank line ending the head in `bytes`, or -1 when it has not all arrived. */
export function headEnd(bytes: Uint8Array): number {
  for (let i = 3; i < bytes.length; i += 1)
    if (bytes[i] === 0x0a && bytes[i - 1] === 0x0d && bytes[i - 2] === 0x0a && bytes[i - 3] === 0x0d)
      return i + 1;
  return -1;
}

/** Parses a whole response head (status line, fields, the blank line). */
export function parseHead(bytes: Uint8Array): ResponseHead {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const lines = text.split('\r\n');
  const statusLine = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
  if (!statusLine) throw new HttpParseError('malformed status line');
  const fields: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    // Obsolete line folding and names with spaces are refused (RFC 9112 §5.1, §5.2).
    if (!TOKEN.test(name)) throw new HttpParseError('malformed header field');
    fields.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(statusLine[1]), statusText: statusLine[2] ?? '', fields };
}

/** How the body of a response is delimited (RFC 9112 §6.3). */
export type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' }
  | { readonly kind: 'close' };

export function framingOf(head: ResponseHead, method: string): Framing {
  if (method === 'HEAD' || head.status === 204 || head.status === 304 || head.status < 200)
    return { kind: 'none' };
  const values = (name: string) => head.fields.filter(([field]) => field === name).map(([, v]) => v);
  const codings = values('transfer-encoding')
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  if (codings.length > 0) return codings.at(-1) === 'chunked' ? { kind: 'chunked' } : { kind: 'close' };
  const lengths = new Set(values('content-length').flatMap((v) => v.split(',').map((x) => x.trim())));
  if (lengths.size === 0) return { kind: 'close' };
  const [length] = [...lengths];
  if (lengths.size > 1 || !/^\d{1,15}$/.test(length!)) throw new HttpParseError('invalid Content-Length');
  return { kind: 'length', length: Number(length) };
}

/**
 * Takes the body's bytes out of what the socket delivers, as the framing says. `feed` hands each piece of
 * body to `emit` (views into the input, valid only during the call) and returns how many input bytes it used;
 * `done` is set once the body is complete (bytes after it are not the body's).
 */
export interface BodyDecoder {
  feed(input: Uint8Array, emit: (bytes: Uint8Array) => void): number;
  readonly done: boolean;
  /** The connection closed: true when that is a proper end of this body. */
  closeEnds(): boolean;
}

export function bodyDecoder(framing: Framing): BodyDecoder {
  switch (framing.kind) {
    case 'none':
      return { feed: () => 0, done: true, closeEnds: () => true };
    case 'length':
      return new LengthDecoder(framing.length);
    case 'chunked':
      return new ChunkedDecoder();
    case 'close':
      return {
        feed: (input, emit) => {
          if (input.byteLength > 0) emit(input);
          return input.byteLength;
        },
        done: false,
        closeEnds: () => true,
      };
  }
}

class LengthDecoder implements BodyDecoder {
  #left: number;
  constructor(length: number) {
    this.#left = length;
  }
  get done(): boolean {
    return this.#left === 0;
  }
  feed(input: Uint8Array, emit: (bytes: Uint8Array) => void): number {
    const take = Math.min(this.#left, input.byteLength);
    if (take > 0) emit(take === input.byteLength ? input : input.subarray(0, take));
    this.#left -= take;
    return take;
  }
  closeEnds(): boolean {
    return this.#left === 0;
  }
}

/** Chunked transfer coding (RFC 9112 §7.1): size lines, data, CRLF; a zero chunk, trailers, a blank line. */
class ChunkedDecoder implements BodyDecoder {
  #state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  #line = '';
  #left = 0;

  get done(): boolean {
    return this.#state === 'done';
  }

  closeEnds(): boolean {
    return this.#state === 'done';
  }

  feed(input: Uint8Array, emit: (bytes: Uint8Array) => void): number {
    let at = 0;
    while (at < input.byteLength && this.#state !== 'done') {
      if (this.#state === 'data') {
        const take = Math.min(this.#left, input.byteLength - at);
        emit(input.subarray(at, at + take));
        at += take;
        this.#left -= take;
        if (this.#left === 0) this.#state = 'data-end';
        continue;
      }
      // A line: a chunk size, the CRLF after data, or a trailer field.
      const byte = input[at]!;
      at += 1;
      if (byte !== 0x0a) {
        if (this.#line.length >= MAX_LINE_BYTES) throw new HttpParseError('chunk line too long');
        this.#line += String.fromCharCode(byte);
        continue;
      }
      if (!this.#line.endsWith('\r')) throw new HttpParseError('malformed chunk line');
      const line = this.#line.slice(0, -1);
      this.#line = '';
      this.#endLine(line);
    }
    return at;
  }

  #endLine(line: string): void {
    switch (this.#state) {
      case 'size': {
        const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
        if (!size) throw new HttpParseError('malformed chunk size');
        this.#left = Number.parseInt(size[1]!, 16);
        this.#state = this.#left === 0 ? 'trailer' : 'data';
        return;
      }
      case 'data-end':
        if (line !== '') throw new HttpParseError('chunk longer than its size');
        this.#state = 'size';
        return;
      case 'trailer':
        if (line === '') this.#state = 'done';
        return;
    }
  }
}

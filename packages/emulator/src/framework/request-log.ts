import type { MiddlewareHandler } from 'hono';
import { BodyCapture } from './capture.js';
import type { EmulatorClock } from './clock.js';
import type { EmulatorContext, EmulatorEnv } from './define.js';
import type { Journal } from './journal.js';
import type { JournalRedactor } from './redact.js';
import { RequestBody } from './request-body.js';
import { blobBodyOf } from './serve-blob.js';
import { isResetResponse } from './wire.js';

/** nginx's code for "the client closed the connection before the answer": what the journal shows then. */
export const CLIENT_GONE = 499;

const GONE_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ABORT_ERR',
  'UND_ERR_ABORTED',
]);

/** True when an error only says that the client went away (a cancelled upload, a closed tab). */
export function isClientGone(error: unknown, c: EmulatorContext): boolean {
  if (c.req.raw.signal?.aborted) return true;
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const code = (cause as NodeJS.ErrnoException).code;
    if ((code && GONE_CODES.has(code)) || cause.name === 'AbortError' || cause.message === 'aborted')
      return true;
    cause = cause.cause;
  }
  return false;
}

interface RequestLogParts {
  readonly journal: Journal;
  readonly clock: EmulatorClock;
  readonly redactor: JournalRedactor;
}

/**
 * Journals every service request (control-plane calls are not journalled): method, endpoint, status,
 * faults, and — for the console — headers and the start of both bodies, redacted, captured as they stream.
 */
export function requestLog({ journal, clock, redactor }: RequestLogParts): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    if (c.req.path.startsWith('/__emulator/')) return next();
    const started = performance.now();
    const raw = c.req.raw;
    const url = new URL(raw.url);
    const requestHeaders = redactor.headers(raw.headers);
    let requestBody: BodyCapture | undefined;
    const incoming = c.env?.incoming;
    // Over a socket, `raw.body` is not even touched here: that would start the adapter's web stream.
    const hasBody = incoming ? raw.method !== 'GET' && raw.method !== 'HEAD' : raw.body !== null;
    if (hasBody) {
      requestBody = new BodyCapture(raw.headers.get('content-type'), redactor);
      let body: ReadableStream<Uint8Array>;
      if (incoming) {
        const socketBody = new RequestBody(incoming, requestBody);
        c.set('requestBody', socketBody);
        body = socketBody.webStream();
      } else body = requestBody.wrap(raw.body!);
      c.req.raw = new Request(raw.url, {
        method: raw.method,
        headers: raw.headers,
        body,
        signal: raw.signal,
        duplex: 'half',
      } as RequestInit);
    }
    await next();
    let response = c.res;
    const reset = isResetResponse(response);
    let responseBody: BodyCapture | undefined;
    if (!reset && response.body) {
      responseBody = new BodyCapture(response.headers.get('content-type'), redactor);
      const blob = c.env?.outgoing ? blobBodyOf(response) : undefined;
      // A blob served over a socket goes out straight from the store (see sendBlobDirectly), noted on the way.
      if (blob) blob.capture = responseBody;
      else {
        c.res = new Response(responseBody.wrap(response.body), response);
        response = c.res;
      }
    }
    const gone = c.get('clientGone') === true;
    journal.record(
      {
        at: new Date(clock.now()).toISOString(),
        method: c.req.method,
        endpoint: c.get('endpoint') ?? 'unknown',
        path: url.pathname,
        status: reset ? 0 : gone ? CLIENT_GONE : response.status,
        fault: c.get('fault') ?? null,
        ms: Math.round(performance.now() - started),
      },
      {
        request: {
          url: redactor.url(`${url.pathname}${url.search}`),
          headers: requestHeaders,
          body: requestBody?.body ?? null,
        },
        response: {
          status: reset ? 0 : response.status,
          headers: reset ? [] : redactor.headers(response.headers),
          body: responseBody?.body ?? null,
        },
      },
    );
  };
}

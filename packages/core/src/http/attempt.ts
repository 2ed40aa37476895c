/**
 * One attempt of a request: the body stream opened afresh, the request sent through the middleware chain,
 * under a timer linked to the caller's signal. The timer covers the headers and, for a buffered answer,
 * its body; a streamed answer hands the rest of the deadline to its body guard.
 *
 * @module
 */
import { BodyConsumedError } from '../body/sources.js';
import { ownedStream } from '../body/streams.js';
import { countedStream } from '../body/tap.js';
import { TimeoutError } from '../errors.js';
import { type Logger, logs } from '../logger.js';
import type { Redactor } from '../redact.js';
import type { EffectiveLimits } from './limits.js';
import type { PreparedBody } from './prepare.js';
import { mapTransportError } from './response.js';

export interface Attempt {
  readonly response: Response;
  readonly controller: AbortController;
  readonly url: string;
  /** `performance.now()` when the attempt started. */
  readonly startedAt: number;
  /** Detaches the caller's signal and timers once the response is fully consumed. */
  readonly release: () => void;
}

export interface AttemptPlan {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  readonly body: PreparedBody;
  readonly attemptIndex: number;
  readonly userSignal: AbortSignal | undefined;
  readonly limits: EffectiveLimits;
  /** The answer's body will be streamed to the caller (downloads). */
  readonly streamedResponse: boolean;
  /** The client's `fetchOptions` (a dispatcher, say), merged into every request's init. */
  readonly fetchOptions: Readonly<Record<string, unknown>> | undefined;
  /** Receives the bytes sent in this attempt (restarting at 0 on each attempt). */
  readonly onBytesSent?: ((loaded: number) => void) | undefined;
  readonly endpoint: string | undefined;
  readonly what: string;
}

export interface AttemptEnvironment {
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly now: () => number;
  /** Sends the request through the middleware chain to fetch. */
  readonly send: (
    request: Request,
    context: { attempt: number; endpoint: string | undefined; signal: AbortSignal },
  ) => Promise<Response>;
  /** Marks a request whose body is a stream (sent through node:http or the dispatcher, not fetch). */
  readonly markStreamed: (request: Request) => void;
  /** Marks a download: its answer's body is streamed to the caller (over a bare socket when possible). */
  readonly markDownload: (request: Request) => void;
}

export async function runAttempt(plan: AttemptPlan, env: AttemptEnvironment): Promise<Attempt> {
  const { method, url, headers, body, userSignal, limits, what } = plan;
  const controller = new AbortController();
  const onUserAbort = () => controller.abort(userSignal?.reason);
  userSignal?.addEventListener('abort', onUserAbort, { once: true });
  const startedAt = performance.now();
  // An upload is a transfer: the longer transfer limit covers it until the answer's headers.
  const limitMs = body.source ? limits.transferMs : limits.timeoutMs;
  let timer: NodeJS.Timeout | undefined = setTimeout(
    () => controller.abort(new TimeoutError(`${what}: not finished within ${limitMs} ms`, limitMs)),
    limitMs,
  );
  // The request body, when it is a stream: released (its file closed) once the exchange is over, even if
  // the server answered without reading all of it.
  let sentBody: ReturnType<typeof ownedStream> | undefined;
  const release = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    userSignal?.removeEventListener('abort', onUserAbort);
    sentBody?.release();
  };

  try {
    // fetchOptions may carry fields of another undici's types (its dispatcher): fetch takes them as they are.
    const init = { ...plan.fetchOptions, method, headers, signal: controller.signal } as RequestInit & {
      duplex?: 'half';
    };
    if (body.text !== undefined) init.body = body.text;
    else if (body.source) {
      sentBody = ownedStream(await body.source.open());
      let stream = sentBody.stream;
      if (body.source.size !== undefined) headers.set('content-length', String(body.source.size));
      if (plan.onBytesSent) stream = countedStream(stream, plan.onBytesSent);
      init.body = stream;
      init.duplex = 'half';
    }
    const request = new Request(url, init);
    if (init.duplex === 'half') env.markStreamed(request);
    else if (plan.streamedResponse) env.markDownload(request);
    // The two lines redact the URL each: built only when debug entries are written.
    const debug = logs(env.logger, 'debug');
    if (debug)
      env.logger.debug(
        `→ ${method} ${env.redactor.url(url)}${plan.attemptIndex > 0 ? ` (attempt ${plan.attemptIndex + 1})` : ''}`,
      );
    const started = env.now();
    const response = await env.send(request, {
      attempt: plan.attemptIndex,
      endpoint: plan.endpoint,
      signal: controller.signal,
    });
    if (debug)
      env.logger.debug(`← ${response.status} ${method} ${env.redactor.url(url)} ${env.now() - started} ms`);
    // Headers arrived: a streamed body now runs under its guard (idle, deadline, throughput).
    if (plan.streamedResponse && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    return { response, controller, url: url.toString(), startedAt, release };
  } catch (error) {
    release();
    if (error instanceof BodyConsumedError) throw error;
    throw mapTransportError(error, controller.signal, userSignal, env.redactor, what);
  }
}

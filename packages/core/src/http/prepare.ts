/**
 * Assembling a request before it is sent: the body prepared once (replayable text, or a source opened
 * afresh per attempt), the URL and the headers, checked so that a bad value is an `InvalidInputError`.
 *
 * @module
 */
import { multipartBody } from '../body/multipart.js';
import { type BodySource, toBodySource } from '../body/sources.js';
import { InvalidInputError } from '../errors.js';
import type { Query, RequestBody } from './types.js';
import { appendQuery, joinUrl } from './url.js';

export interface PreparedBody {
  /** Small bodies (JSON, forms) are kept as strings and replayed freely. */
  readonly text?: string;
  readonly source?: BodySource;
  readonly contentType?: string | undefined;
}

export async function prepareBody(body: RequestBody | undefined): Promise<PreparedBody> {
  if (body === undefined) return {};
  if ('json' in body) return { text: JSON.stringify(body.json), contentType: 'application/json' };
  if ('form' in body) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body.form))
      if (value !== undefined) form.append(name, String(value));
    return { text: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if ('multipart' in body) {
    const source = multipartBody(body.multipart);
    return { source, contentType: source.contentType };
  }
  const options = body.size === undefined ? {} : { size: body.size };
  return { source: await toBodySource(body.source, options), contentType: body.contentType };
}

/** The URL of a request: an http(s) URL, or an `InvalidInputError` naming the path. */
export function requestUrl(baseUrl: string, path: string, ...queries: (Query | undefined)[]): URL {
  let url: URL;
  try {
    url = new URL(joinUrl(baseUrl, path));
  } catch (error) {
    throw new InvalidInputError('path', `${JSON.stringify(path)} does not make a valid URL`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidInputError('path', `${url.protocol} URLs are not supported (http and https only)`);
  return appendQuery(url, ...queries);
}

/** Sets a header, turning an unusable value (a line break from a server-sent token…) into a typed error. */
export function setHeader(headers: Headers, name: string, value: string): void {
  try {
    headers.set(name, value);
  } catch (error) {
    throw new InvalidInputError(`headers.${name}`, 'is not a valid HTTP header value', { cause: error });
  }
}

/** The headers of one attempt: defaults, `User-Agent`, the body's type, then the call's own. */
export function requestHeaders(parts: {
  readonly defaults: Readonly<Record<string, string>> | undefined;
  readonly userAgent: string;
  readonly contentType: string | undefined;
  readonly call: Readonly<Record<string, string | undefined>> | undefined;
}): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(parts.defaults ?? {})) setHeader(headers, name, value);
  headers.set('user-agent', parts.userAgent);
  if (parts.contentType) setHeader(headers, 'content-type', parts.contentType);
  for (const [name, value] of Object.entries(parts.call ?? {}))
    if (value !== undefined) setHeader(headers, name, value);
  return headers;
}

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

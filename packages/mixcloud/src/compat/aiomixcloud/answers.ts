/**
 * How the aiomixcloud entry point reads an answer, as the seed does: whatever the status, a body with
 * `error` is an error (thrown with `raiseExceptions`, else handed back as a dict); a body with `data` is a
 * list; any other object a resource; nothing (or what cannot be decoded) an empty dict.
 *
 * @module
 */
import type { BaseClient, RequestOptions, WithResponse } from '@mediaferry/core';
import { MixcloudError as ApiMixcloudError } from '../../errors.js';
import { AccessDict } from './access.js';
import { initOf, MixcloudError } from './exceptions.js';
import type { JsonDecoder } from './json.js';
import type { MixcloudLike } from './model-types.js';
import type { Resource, ResourceList } from './resources.js';

/** What `get` returns: a resource, a list, or a dict (an error, or nothing). */
export type Result = Resource | ResourceList | AccessDict;

/** An answer: its text and content type, or the error body of a refused call. */
export interface Answer {
  readonly text?: string;
  readonly contentType?: string;
  readonly errorBody?: unknown;
  readonly info?: Omit<WithResponse<unknown>, 'data'>;
  readonly request?: RequestOptions;
}

/** What reading needs of its `Mixcloud`. */
export interface Reader {
  readonly mixcloud: MixcloudLike;
  readonly raiseExceptions: boolean;
  decoder(): JsonDecoder;
  http(): BaseClient;
}

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Sends requests and reads their answers the seed's way. */
export class Answers {
  readonly #reader: Reader;

  constructor(reader: Reader) {
    this.#reader = reader;
  }

  /** Sends a request; a refused call is thrown (`raiseExceptions`) or handed back as its error body. */
  async send(request: RequestOptions): Promise<Answer> {
    try {
      const { data, ...info } = await this.#reader.http().callText(request).withResponse();
      return { text: data, contentType: info.response.headers.get('content-type') ?? '', info, request };
    } catch (error) {
      if (!(error instanceof ApiMixcloudError)) throw error;
      if (this.#reader.raiseExceptions) throw new MixcloudError(initOf(error));
      return { errorBody: error.body };
    }
  }

  /** The seed's `_process_response`: the decoded body, or undefined when it cannot be decoded. */
  decode(answer: Answer): unknown {
    if (answer.errorBody !== undefined) return answer.errorBody;
    if (!answer.text) return undefined;
    try {
      return this.#reader.decoder().decode(answer.text);
    } catch (error) {
      if (this.#reader.raiseExceptions) throw error;
      return undefined;
    }
  }

  /** An error body: thrown (`raiseExceptions`), else handed back as an `AccessDict`. */
  error(data: Record<string, unknown>, answer: Answer): AccessDict {
    if (!this.#reader.raiseExceptions) return new AccessDict(data, { mixcloud: this.#reader.mixcloud });
    const response = answer.info?.response;
    throw new MixcloudError({
      service: 'mixcloud',
      status: response?.status ?? 0,
      headers: response?.headers ?? new Headers(),
      requestId: answer.info?.requestId,
      body: data,
      message: '',
      request: {
        method: answer.request?.method ?? 'GET',
        url: response?.url ?? '',
        endpoint: answer.request?.endpoint,
      },
    });
  }

  /** The seed's `_native_result`: a dict of the decoded body (an empty one when there is none). */
  native(answer: Answer): AccessDict {
    const data = this.decode(answer);
    const mixcloud = this.#reader.mixcloud;
    if (!isJsonObject(data)) return new AccessDict({}, { mixcloud });
    if ('error' in data) return this.error(data, answer);
    return new AccessDict(data, { mixcloud });
  }

  /** The seed's `_proper_result`: JSON (javascript or json content) as a dict, anything else as text. */
  proper(answer: Answer): AccessDict | string {
    if (answer.errorBody !== undefined || /javascript|json/i.test(answer.contentType ?? ''))
      return this.native(answer);
    return answer.text ?? '';
  }

  /** `get`'s reading: an error, a list (`data`), a full resource, or an empty dict. */
  result(answer: Answer, createConnections: boolean): Result {
    const data = this.decode(answer);
    const mixcloud = this.#reader.mixcloud;
    if (!isJsonObject(data)) return new AccessDict({}, { mixcloud });
    if ('error' in data) return this.error(data, answer);
    if ('data' in data) return new mixcloud.resourceListClass(data, { mixcloud });
    return new mixcloud.resourceClass(data, { full: true, createConnections, mixcloud });
  }
}

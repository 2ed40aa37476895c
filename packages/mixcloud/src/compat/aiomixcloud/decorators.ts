/**
 * aiomixcloud's decorators as higher-order functions: each takes the function it decorates and returns one
 * with the seed's arguments, checked, turned into the parameters the decorated function receives. The
 * `Mixcloud` class of this entry point is built with them, as the seed's is.
 *
 * @module
 */
import { type CallOptions, InvalidInputError } from '@mediaferry/core';
import {
  checkShowFields,
  type FileInput,
  openFile,
  PICTURE_MAX_SIZE,
  type Section,
} from '../../show-fields.js';
import { type DatetimeLike, formatDatetime, toTimestamp } from './datetime.js';

/** The per-call options every method of this entry point also takes (not in the seed). */
const CALL_OPTIONS = new Set(['signal', 'timeout', 'maxRetries', 'headers']);

/** `paginated`'s arguments. `page` is zero-based and excludes the others. */
export interface Pagination {
  readonly offset?: number | undefined;
  readonly limit?: number | undefined;
  readonly since?: DatetimeLike | undefined;
  readonly until?: DatetimeLike | undefined;
  readonly page?: number | undefined;
  /** Items per `page`; default 20; ignored without `page`. */
  readonly perPage?: number | undefined;
}

/** What a paginated function receives: offset, limit, since, until (UNIX seconds), in that order. */
export interface PaginationParams {
  offset?: number;
  limit?: number;
  since?: number;
  until?: number;
}

function whole(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new InvalidInputError(field, `must be an integer ≥ ${min}`);
  return value;
}

/** The pagination parameters of `options` (checked), and the other options, passed through. */
export function paginationParams<E extends object>(
  options: Pagination & E,
): { params: PaginationParams; extra: Omit<E, keyof Pagination> } {
  const { offset, limit, since, until, page, perPage = 20, ...extra } = options;
  const params: PaginationParams = {};
  if (page !== undefined) {
    if ([offset, limit, since, until].some((v) => v !== undefined))
      throw new InvalidInputError(
        'page',
        'page and offset/limit/since/until cannot be specified simultaneously',
      );
    params.offset = whole(page, 'page', 0) * whole(perPage, 'perPage', 1);
    params.limit = perPage;
    return { params, extra };
  }
  if (offset !== undefined) params.offset = whole(offset, 'offset', 0);
  if (limit !== undefined) params.limit = whole(limit, 'limit', 1);
  if (since !== undefined) params.since = toTimestamp(since);
  if (until !== undefined) params.until = toTimestamp(until);
  return { params, extra };
}

/** `@paginated`: takes offset, limit, since, until, page, perPage; passes the checked parameters on. */
export function paginated<E extends object, R>(
  coroutine: (params: PaginationParams, extra: Omit<E, keyof Pagination>) => R,
): (options?: Pagination & E) => R {
  return (options) => {
    const { params, extra } = paginationParams<E>(options ?? ({} as Pagination & E));
    return coroutine(params, extra);
  };
}

/** `displayed`'s arguments. */
export interface Display {
  /** `json` (default) or `xml` (oEmbed). */
  readonly format?: 'json' | 'xml' | undefined;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  /** Six hex digits, without `#`. */
  readonly color?: string | undefined;
}

/** What a displayed function receives: `format`, then the display values given. */
export interface DisplayParams {
  format: 'json' | 'xml';
  width?: number;
  height?: number;
  color?: string;
}

/** `@displayed`: takes format, width, height, color (anything else is refused); passes the parameters on. */
export function displayed<R>(
  coroutine: (params: DisplayParams, call: CallOptions) => R,
): (options?: Display & CallOptions) => R {
  return (options = {}) => {
    const { format = 'json', width, height, color, ...rest } = options;
    const unknown = Object.keys(rest).filter((key) => !CALL_OPTIONS.has(key));
    if (unknown.length > 0) throw new InvalidInputError(unknown[0] ?? '', 'is not a display argument');
    const params: DisplayParams = { format };
    if (width !== undefined) params.width = width;
    if (height !== undefined) params.height = height;
    if (color !== undefined) params.color = color;
    return coroutine(params, rest);
  };
}

/** `@personal`: the method runs only when `accessToken` is set on its object. */
export function personal<This extends { readonly accessToken?: string | undefined }, A extends unknown[], R>(
  method: (this: This, ...args: A) => Promise<R>,
): (this: This, ...args: A) => Promise<R> {
  return async function (this: This, ...args: A): Promise<R> {
    if (this.accessToken === undefined || this.accessToken === null)
      throw new InvalidInputError('accessToken', 'access_token must be set');
    return method.apply(this, args);
  };
}

const TARGETING = Symbol.for('mediaferry.aiomixcloud.targeting');

/** `@targeting`: marks a method that targets a resource by its key, so `Resource` objects mirror it. */
export function targeting<F extends (...args: never[]) => unknown>(coroutine: F): F {
  Object.defineProperty(coroutine, TARGETING, { value: true });
  return coroutine;
}

/** Whether `value` is a method marked by {@link targeting}. */
export function isTargeting(value: unknown): value is (key: string, ...args: unknown[]) => Promise<unknown> {
  return typeof value === 'function' && (value as { [TARGETING]?: boolean })[TARGETING] === true;
}

/** `uploading`'s arguments. */
export interface UploadFields {
  readonly picture?: FileInput | undefined;
  readonly description?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly publishDate?: DatetimeLike | undefined;
  readonly disableComments?: boolean | undefined;
  readonly hideStats?: boolean | undefined;
  readonly unlisted?: boolean | undefined;
  readonly sections?: readonly Section[] | undefined;
}

/** What an uploading function receives: the fields given, `publishDate` formatted, flags only when true. */
export interface UploadParams {
  picture?: FileInput;
  description?: string;
  tags?: readonly string[];
  publishDate?: string;
  disableComments?: true;
  hideStats?: true;
  unlisted?: true;
  sections?: readonly Section[];
}

/** `@uploading`: takes the upload fields, checks them (sizes, counts), passes the parameters on. */
export function uploading<E extends object, R>(
  coroutine: (params: UploadParams, extra: Omit<E, keyof UploadFields>) => Promise<R>,
): (options?: UploadFields & E) => Promise<R> {
  return async (options) => {
    const {
      picture,
      description,
      tags,
      publishDate,
      disableComments,
      hideStats,
      unlisted,
      sections,
      ...extra
    } = options ?? ({} as UploadFields & E);
    const params: UploadParams = {};
    if (picture !== undefined) {
      await openFile(picture, 'picture', PICTURE_MAX_SIZE);
      params.picture = picture;
    }
    if (description !== undefined) params.description = description;
    if (tags !== undefined) params.tags = tags;
    if (publishDate !== undefined) params.publishDate = formatDatetime(publishDate);
    if (disableComments) params.disableComments = true;
    if (hideStats) params.hideStats = true;
    if (unlisted) params.unlisted = true;
    if (sections !== undefined) params.sections = sections;
    checkShowFields(params);
    return coroutine(params, extra);
  };
}

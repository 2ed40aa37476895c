/**
 * The query of `GET /media/search`, checked before any request.
 *
 * @module
 */
import { InvalidInputError, type Query } from '@mediaferry/core';
import { DEFAULT_FIELDS, DEFAULT_MEDIA_TYPES, DEFAULT_PROCESSING_STATES } from './models.js';

/** Items per search page unless `pageSize` says otherwise: gopro_api's high-level default. */
export const DEFAULT_PAGE_SIZE = 1000;

/** What to search: a capture date range, media types, processing states. Every field has its default. */
export interface MediaFilter {
  /** First capture day (UTC date; the time of day is ignored, as by the API). Default: the earliest date. */
  readonly from?: Date | undefined;
  /** Last capture day, inclusive (UTC date). Default: the latest date. */
  readonly to?: Date | undefined;
  /** Media types (`Video`, `Photo`, `Burst`…). Default: gopro_api's `DEFAULT_MEDIA_TYPES`. */
  readonly types?: readonly string[] | undefined;
  /** Processing states. Default: every state (gopro_api's `DEFAULT_PROCESSING_STATES`). */
  readonly processingStates?: readonly string[] | undefined;
  /** Fields the API returns for each item. Default: gopro_api's `DEFAULT_FIELDS`. */
  readonly fields?: readonly string[] | undefined;
}

/** Parameters of {@link MediaResource.list}. */
export interface MediaListParams extends MediaFilter {
  /** Items per request. Default 1000. */
  readonly pageSize?: number | undefined;
  /** Most pages fetched before a `PaginationError` (a server that never ends a listing). */
  readonly maxPages?: number | undefined;
  /** Most items yielded before a `PaginationError`. */
  readonly maxItems?: number | undefined;
}

/** Parameters of {@link MediaResource.search}: one page. */
export interface MediaSearchParams extends MediaFilter {
  /** 1-based page number. Default 1. */
  readonly page?: number | undefined;
  /** Items per page. Default 1000. */
  readonly pageSize?: number | undefined;
}

// Not Date.UTC(1, 0, 1): two-digit years there mean 19xx.
const EARLIEST = new Date('0001-01-01T00:00:00.000Z');
const LATEST = new Date('9999-12-31T00:00:00.000Z');

/**
 * `YYYY-MM-DDT00:00:00.000Z`: what gopro_api meant to send. It actually sends the full datetime followed by
 * a second time part (spec §A3.1); the server reads only the date, so the clean form is equivalent.
 */
function wireDate(date: unknown, field: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    throw new InvalidInputError(field, 'must be a valid Date');
  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) throw new InvalidInputError(field, 'must be in the years 1 to 9999');
  return `${date.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidInputError(field, 'must be an integer ≥ 1');
  return value;
}

function names(value: readonly string[] | undefined, fallback: readonly string[], field: string): string {
  const list = value ?? fallback;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v === '' || v.includes(',')))
    throw new InvalidInputError(field, 'must be a list of non-empty names without commas');
  return list.join(',');
}

/** The `captured_range` value of a filter; throws `InvalidInputError` for bad or reversed dates. */
export function capturedRange(filter: MediaFilter): string {
  const start = wireDate(filter.from ?? EARLIEST, 'from');
  const end = wireDate(filter.to ?? LATEST, 'to');
  if (start > end) throw new InvalidInputError('from', 'must not be after to');
  return `${start},${end}`;
}

/** The query of `GET /media/search`, in gopro_api's parameter order. */
export function searchQuery(params: MediaSearchParams, defaultPageSize = DEFAULT_PAGE_SIZE): Query {
  return {
    processing_states: names(params.processingStates, DEFAULT_PROCESSING_STATES, 'processingStates'),
    fields: names(params.fields, DEFAULT_FIELDS, 'fields'),
    type: names(params.types, DEFAULT_MEDIA_TYPES, 'types'),
    captured_range: capturedRange(params),
    page: positiveInteger(params.page ?? 1, 'page'),
    per_page: positiveInteger(params.pageSize ?? defaultPageSize, 'pageSize'),
  };
}

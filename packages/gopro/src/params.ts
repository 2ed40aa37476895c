import { InvalidInputError, type Query } from '@mediaferry/core';
import { DEFAULT_FIELDS, DEFAULT_MEDIA_TYPES, DEFAULT_PROCESSING_STATES } from './models.js';

/** The date range of a search; only the date part (UTC) matters on the wire. */
export interface CapturedRange {
  readonly start: Date;
  readonly end: Date;
}

/** gopro_api's `GoProMediaSearchParams`; every field has its default. */
export interface GoProMediaSearchParams {
  readonly processingStates?: readonly string[];
  readonly fields?: readonly string[];
  readonly type?: readonly string[];
  readonly capturedRange?: CapturedRange;
  /** 1-based. Default 1. */
  readonly page?: number;
  /** Default 1, as gopro_api's raw params model (the high-level client passes its page size). */
  readonly perPage?: number;
}

const EARLIEST = new Date(Date.UTC(1, 0, 1));
const LATEST = new Date(Date.UTC(9999, 11, 31));

/**
 * `YYYY-MM-DDT00:00:00.000Z`: what gopro_api meant to send. It actually sends the full datetime followed by
 * a second time part (spec §A3.1); the server reads only the date, so the clean form is equivalent.
 */
function wireDate(date: Date, field: string): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime()))
    throw new InvalidInputError(field, 'must be a valid Date');
  return `${date.toISOString().slice(0, 10)}T00:00:00.000Z`;
}

function positiveInteger(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidInputError(field, 'must be an integer ≥ 1');
  return value;
}

/** The query of `GET /media/search`, in gopro_api's parameter order. */
export function searchQuery(params: GoProMediaSearchParams = {}): Query {
  const range = params.capturedRange ?? { start: EARLIEST, end: LATEST };
  const start = wireDate(range.start, 'capturedRange.start');
  const end = wireDate(range.end, 'capturedRange.end');
  if (start > end) throw new InvalidInputError('capturedRange', 'start must not be after end');
  return {
    processing_states: (params.processingStates ?? DEFAULT_PROCESSING_STATES).join(','),
    fields: (params.fields ?? DEFAULT_FIELDS).join(','),
    type: (params.type ?? DEFAULT_MEDIA_TYPES).join(','),
    captured_range: `${start},${end}`,
    page: positiveInteger(params.page ?? 1, 'page'),
    per_page: positiveInteger(params.perPage ?? 1, 'perPage'),
  };
}

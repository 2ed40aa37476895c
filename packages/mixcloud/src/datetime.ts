/**
 * Dates as aiomixcloud accepts them (spec §1.6): a `Date`, UNIX seconds (number or digit string), or a date
 * string. Strings without a zone are read as UTC here (aiomixcloud reads them as local time, which makes the
 * same call mean different instants on different machines; a deliberate fix).
 */
import { InvalidInputError } from '@mediaferry/core';

export type DateInput = Date | number | string;

export function toDate(value: DateInput, field = 'date'): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = value;
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+$/.test(text)) date = new Date(Number(text) * 1000);
    else {
      const naive = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/.exec(text);
      date = new Date(naive ? `${naive[1]}T${naive[2] ?? '00:00:00'}Z` : text);
    }
  }
  if (!date || Number.isNaN(date.getTime()))
    throw new InvalidInputError(field, 'expected a Date, a valid date string or a UNIX timestamp');
  return date;
}

/** UNIX seconds, truncated toward zero (aiomixcloud's `to_timestamp`). */
export function toTimestamp(value: DateInput, field = 'date'): number {
  return Math.trunc(toDate(value, field).getTime() / 1000);
}

/** `YYYY-MM-DDTHH:MM:SSZ` in UTC (aiomixcloud's `format_datetime`, as `publish_date` needs it). */
export function formatDatetime(value: DateInput, field = 'date'): string {
  return `${toDate(value, field).toISOString().slice(0, 19)}Z`;
}

/** The fields Mixcloud documents as dates. */
export const DATE_FIELDS = new Set([
  'created_time',
  'updated_time',
  'submit_date',
  'publish_date',
  'favorited_at',
  'followed_at',
  'listened_at',
]);

/**
 * JSON reviver: known date fields (by name, as the API documents them) become `Date`. Unlike aiomixcloud's
 * decoder, which tried every string and turned usernames such as "May" and colours such as "020202" into
 * dates, nothing else is touched.
 */
export function reviveDates(key: string, value: unknown): unknown {
  if (!DATE_FIELDS.has(key) || typeof value !== 'string') return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date;
}

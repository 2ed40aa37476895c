/**
 * Dates as the new API takes them: a `Date`, UNIX seconds, or an ISO-8601 string. A string without a zone is
 * read as UTC, so the same call means the same instant on every machine (the aiomixcloud entry point keeps
 * the seed's local-time reading).
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';

/** A `Date`, UNIX seconds (a number or a string of digits), or an ISO-8601 date string. */
export type DateInput = Date | number | string;

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** The instant a {@link DateInput} names; anything else is an `InvalidInputError` naming `field`. */
export function toDate(value: DateInput, field = 'date'): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = new Date(value.getTime());
  else if (typeof value === 'number') date = Number.isFinite(value) ? new Date(value * 1000) : undefined;
  else if (typeof value === 'string') {
    const text = value.trim();
    const iso = ISO.exec(text);
    if (/^-?\d+$/.test(text)) date = new Date(Number(text) * 1000);
    else if (iso) date = new Date(`${iso[1]}T${iso[2] ?? '00:00:00'}${iso[3] ?? 'Z'}`);
  }
  if (!date || Number.isNaN(date.getTime()))
    throw new InvalidInputError(field, 'must be a Date, UNIX seconds or an ISO-8601 date string');
  return date;
}

/** UNIX seconds, truncated toward zero. */
export function toTimestamp(value: DateInput, field = 'date'): number {
  return Math.trunc(toDate(value, field).getTime() / 1000);
}

/** `YYYY-MM-DDTHH:MM:SSZ` in UTC, as `publish_date` wants it. */
export function formatDatetime(value: DateInput, field = 'date'): string {
  return `${toDate(value, field).toISOString().slice(0, 19)}Z`;
}

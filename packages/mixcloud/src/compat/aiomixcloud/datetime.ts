/**
 * aiomixcloud's `datetime` module: datetime-like values (a `Date`, a timestamp, or a human-readable string as
 * python-dateutil reads it) to UNIX seconds or `YYYY-MM-DDTHH:MM:SSZ`. As in the seed, a string without a
 * zone is **local time**; `GMT+N`/`UTC-N` follow dateutil's POSIX reading (the sign inverted).
 *
 * @module
 */
import { InvalidInputError } from '@mediaferry/core';

/** A datetime-like value: a `Date`, UNIX seconds, or a date string (`'17/06/2019'`, `'Jan 1, 2020 12:33'`…). */
export type DatetimeLike = Date | number | string;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const UTC_NAMES = new Set(['utc', 'gmt', 'z', 'ut']);
const NOISE = new Set(['at', 'on', 'of', 't']);

function monthOf(word: string): number | undefined {
  const index = MONTH_NAMES.indexOf(word);
  if (index >= 0) return index + 1;
  if (word === 'sept') return 9;
  const short = MONTHS.indexOf(word);
  return short >= 0 ? short + 1 : undefined;
}

const isWeekday = (word: string) =>
  WEEKDAYS.includes(word) || WEEKDAY_NAMES.includes(word) || ['tues', 'thur', 'thurs'].includes(word);

interface Parsed {
  numbers: string[];
  month: number | undefined;
  time: [number, number, number, number] | undefined;
  meridiem: 'am' | 'pm' | undefined;
  utc: boolean;
  /** Minutes east of UTC. */
  offset: number | undefined;
}

/** `+03`, `-2`, `0530`, `05:30` → minutes. */
function offsetMinutes(sign: string, digits: string, minutes: string | undefined): number | undefined {
  let hours: number;
  let mins = minutes === undefined ? 0 : Number(minutes);
  if (minutes === undefined && digits.length === 4) {
    hours = Number(digits.slice(0, 2));
    mins = Number(digits.slice(2));
  } else if (digits.length <= 2) hours = Number(digits);
  else return undefined;
  if (hours > 23 || mins > 59) return undefined;
  return (sign === '-' ? -1 : 1) * (hours * 60 + mins);
}

const TOKEN = /(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?|\d+|[a-z]+|[+-]|[^\sa-z\d+-]+|\s+/gi;

function tokenize(text: string): Parsed | undefined {
  const parsed: Parsed = {
    numbers: [],
    month: undefined,
    time: undefined,
    meridiem: undefined,
    utc: false,
    offset: undefined,
  };
  const tokens = [...text.matchAll(TOKEN)];
  if (tokens.map((t) => t[0]).join('') !== text) return undefined;
  let zoneNamed = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? [''];
    const value = token[0];
    if (token[1] !== undefined) {
      if (parsed.time) return undefined;
      const fraction = (token[4] ?? '').padEnd(3, '0').slice(0, 3);
      parsed.time = [Number(token[1]), Number(token[2]), Number(token[3] ?? 0), Number(fraction || 0)];
      continue;
    }
    if (value === '+' || value === '-') {
      const next = tokens[i + 1];
      const text = next?.[0] ?? '';
      // An offset follows a time or a zone name; elsewhere a dash separates the parts of a date.
      if (
        (parsed.time || zoneNamed) &&
        (/^\d+$/.test(text) || (next?.[1] !== undefined && next[3] === undefined))
      ) {
        // `+03:00` reads as a time token: its hours and minutes are the offset's.
        const clock = next?.[1] !== undefined;
        const after = clock ? next[2] : tokens[i + 2]?.[0] === ':' ? tokens[i + 3]?.[0] : undefined;
        const minutes = offsetMinutes(value, clock ? (next[1] ?? '') : text, after);
        if (minutes === undefined || parsed.offset !== undefined) return undefined;
        // dateutil reads `GMT+3` as POSIX does: "3 hours behind GMT".
        parsed.offset = zoneNamed ? -minutes : minutes;
        parsed.utc = true;
        i += clock || after === undefined ? 1 : 3;
      }
      continue;
    }
    if (/^\d+$/.test(value)) {
      parsed.numbers.push(value);
      continue;
    }
    if (/^[a-z]+$/i.test(value)) {
      const word = value.toLowerCase();
      const month = monthOf(word);
      if (month !== undefined) {
        if (parsed.month !== undefined) return undefined;
        parsed.month = month;
      } else if (word === 'am' || word === 'pm') parsed.meridiem = word;
      else if (UTC_NAMES.has(word)) {
        parsed.utc = true;
        zoneNamed = true;
      } else if (!isWeekday(word) && !NOISE.has(word)) return undefined;
    }
  }
  return parsed;
}

/** Two-digit years the way dateutil reads them: the century that puts them within 50 years of now. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  const now = new Date().getFullYear();
  const candidate = Math.floor(now / 100) * 100 + year;
  return candidate > now + 50 ? candidate - 100 : candidate;
}

/** Year, month and day from the numbers, month-first unless the first cannot be a month (dateutil's default). */
function dateParts(parsed: Parsed): [number, number, number] | undefined {
  const numbers = parsed.numbers;
  if (parsed.month !== undefined) {
    if (numbers.length !== 2) return undefined;
    const [a = '', b = ''] = numbers;
    const aIsYear = a.length > 2 || Number(a) > 31;
    return aIsYear ? [fullYear(a), parsed.month, Number(b)] : [fullYear(b), parsed.month, Number(a)];
  }
  if (numbers.length === 1 && numbers[0]?.length === 8) {
    const n = numbers[0];
    return [Number(n.slice(0, 4)), Number(n.slice(4, 6)), Number(n.slice(6))];
  }
  if (numbers.length !== 3) return undefined;
  const [a = '', b = '', c = ''] = numbers;
  if (a.length === 4) return [Number(a), Number(b), Number(c)];
  const year = fullYear(c);
  return Number(a) > 12 ? [year, Number(b), Number(a)] : [year, Number(a), Number(b)];
}

/** A date string as dateutil would read it, or undefined. */
export function parseDatetimeString(text: string): Date | undefined {
  const parsed = tokenize(text.trim());
  if (!parsed) return undefined;
  const date = dateParts(parsed);
  if (!date) return undefined;
  const [year, month, day] = date;
  let [hour, minute, second, ms] = parsed.time ?? [0, 0, 0, 0];
  if (parsed.meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (parsed.meridiem === 'pm' ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (parsed.utc) {
    const utc = new Date(0);
    utc.setUTCFullYear(year, month - 1, day);
    utc.setUTCHours(hour, minute, second, ms);
    return new Date(utc.getTime() - (parsed.offset ?? 0) * 60_000);
  }
  const local = new Date(0);
  local.setFullYear(year, month - 1, day);
  local.setHours(hour, minute, second, ms);
  return local;
}

/** aiomixcloud's `_to_datetime`: the instant a datetime-like value names. */
export function toDatetime(value: DatetimeLike): Date {
  let date: Date | undefined;
  if (value instanceof Date) date = new Date(value.getTime());
  else if (typeof value === 'number')
    date = Number.isFinite(value) ? new Date(Math.trunc(value) * 1000) : undefined;
  else if (typeof value === 'string') {
    const text = value.trim();
    // dateutil reads 8 digits as YYYYMMDD when they make a date; other runs of digits fail there ("year out of
    // range") and int() reads them as a timestamp.
    if (/^[+-]?\d+$/.test(text))
      date = (text.length === 8 ? parseDatetimeString(text) : undefined) ?? new Date(Number(text) * 1000);
    else date = parseDatetimeString(text);
  }
  if (!date || Number.isNaN(date.getTime()))
    throw new InvalidInputError(
      'value',
      'expected datetime.datetime object, valid datetime string or timestamp',
    );
  return date;
}

/** `format_datetime`: `YYYY-MM-DDTHH:MM:SSZ` in UTC (microseconds kept when there are some, as in the seed). */
export function formatDatetime(value: DatetimeLike): string {
  const date = toDatetime(value);
  const iso = date.toISOString();
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${String(ms * 1000).padStart(6, '0')}Z`;
}

/** `to_timestamp`: UNIX seconds, truncated toward zero. */
export function toTimestamp(value: DatetimeLike): number {
  return Math.trunc(toDatetime(value).getTime() / 1000);
}

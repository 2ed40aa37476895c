/**
 * Mixcloud lists (spec §2.5): newest first, paged by date unless `offset` is given (or the list only pages by
 * offset); links keep the other query parameters, sorted; absent directions are omitted; an empty list has no
 * `paging`.
 *
 * Date cursors never drop or repeat an entry: the order is (time, then id) and a cursor names a position in
 * it. The time is written as Mixcloud writes it (`YYYY-MM-DD HH:MM:SS`), with milliseconds only when the entry
 * carries them, and a tie-breaker (`until_id`/`since_id`) only when another entry shares that exact time.
 */
import type { EmulatorContext } from '../framework/index.js';
import { fail } from '../framework/index.js';
import type { McCtx } from './views.js';

/** An entry of a list: the object, when it joined this list (its paging key), and an id unique in the list. */
export interface Entry {
  readonly at: number;
  readonly id: string;
  readonly view: Record<string, unknown>;
}

/** `since`/`until`: UNIX seconds or `YYYY-MM-DD HH:MM:SS[.mmm]` UTC (spec §2.5). */
export function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)Z?$/.exec(value);
  const ms = match ? Date.parse(`${match[1]}T${match[2]}Z`) : Number.NaN;
  if (Number.isNaN(ms))
    fail(400, 'InvalidParameterException', `${name} must be UNIX seconds or YYYY-MM-DD HH:MM:SS`);
  return ms;
}

function linkTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, ms % 1000 === 0 ? 19 : 23)}`;
}

/** Newest first; equal times by id, descending, so the order is total and stable. */
const newestFirst = (a: Entry, b: Entry) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

interface Cursor {
  readonly at: number;
  readonly id: string | undefined;
}

/** Whether `e` comes after the cursor in newest-first order (older), or before it (newer). */
function older(e: Entry, cursor: Cursor, inclusive: boolean): boolean {
  if (e.at !== cursor.at) return e.at < cursor.at;
  if (inclusive) return true;
  return cursor.id !== undefined && e.id < cursor.id;
}
function newer(e: Entry, cursor: Cursor, inclusive: boolean): boolean {
  if (e.at !== cursor.at) return e.at > cursor.at;
  if (inclusive) return true;
  return cursor.id !== undefined && e.id > cursor.id;
}

export function listResponse(
  c: EmulatorContext,
  ctx: McCtx,
  name: string,
  entries: Entry[],
  mode: 'date' | 'offset' = 'date',
): Record<string, unknown> {
  const url = new URL(c.req.url);
  const query = url.searchParams;
  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1)
    fail(400, 'InvalidParameterException', 'limit must be a positive integer');
  const size = Math.min(limit, ctx.options.maxLimit);
  const sorted = [...entries].sort(newestFirst);
  const link = (changes: Record<string, string | undefined>) => {
    const params = new Map<string, string>();
    for (const [key, value] of query) params.set(key, value);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined) params.delete(key);
      else params.set(key, value);
    }
    const search = new URLSearchParams(
      [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ).toString();
    return `${ctx.origin(c)}${url.pathname}?${search}`;
  };
  let page: Entry[];
  const paging: Record<string, string> = {};
  if (mode === 'offset' || query.has('offset')) {
    const offset = Number(query.get('offset') ?? 0);
    if (!Number.isInteger(offset) || offset < 0)
      fail(400, 'InvalidParameterException', 'offset must be an integer ≥ 0');
    page = sorted.slice(offset, offset + size);
    if (offset > 0)
      paging.previous = link({ offset: String(Math.max(0, offset - size)), limit: String(size) });
    if (offset + size < sorted.length)
      paging.next = link({ offset: String(offset + size), limit: String(size) });
  } else {
    const inclusive = !ctx.options.strictDatePaging;
    const cursor = (side: 'since' | 'until'): Cursor | undefined => {
      const at = parseTime(query.get(side) ?? undefined, side);
      return at === undefined ? undefined : { at, id: query.get(`${side}_id`) ?? undefined };
    };
    const since = cursor('since');
    const until = cursor('until');
    const window = sorted.filter(
      (e) => (!until || older(e, until, inclusive)) && (!since || newer(e, since, inclusive)),
    );
    // Paging forward from `since` reads the oldest entries after it, shown newest first.
    page = since && !until ? window.slice(-size) : window.slice(0, size);
    const first = page[0];
    const last = page.at(-1);
    const position = (e: Entry) => ({
      time: linkTime(e.at),
      id: sorted.some((other) => other !== e && other.at === e.at) ? e.id : undefined,
    });
    const newest = first !== undefined && !sorted.some((e) => newer(e, first, false) && e !== first);
    if (first && (ctx.options.previousOnNewestPage || !newest)) {
      const at = position(first);
      paging.previous = link({
        since: at.time,
        since_id: at.id,
        until: undefined,
        until_id: undefined,
        limit: String(size),
      });
    }
    if (last && sorted.some((e) => older(e, last, false))) {
      const at = position(last);
      paging.next = link({
        until: at.time,
        until_id: at.id,
        since: undefined,
        since_id: undefined,
        limit: String(size),
      });
    }
  }
  const body: Record<string, unknown> = { data: page.map((e) => e.view) };
  if (page.length > 0) body.paging = paging;
  body.name = name;
  return body;
}

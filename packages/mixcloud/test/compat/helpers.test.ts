/**
 * aiomixcloud's datetime, decorators and exceptions (spec mixcloud.md §1.5–§1.7, the seed's
 * test_datetime.py, test_decorators.py, test_exceptions.py). Zone-less strings are local time, as in the seed:
 * those tests run under fixed time zones.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, InvalidInputError } from '@mediaferry/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  displayed,
  formatDatetime,
  isTargeting,
  MixcloudError,
  MixcloudOAuthError,
  paginated,
  personal,
  targeting,
  toDatetime,
  toTimestamp,
  uploading,
} from '../../src/compat/aiomixcloud/index.js';

const utc = (...parts: [number, number, number, number?, number?, number?]) =>
  new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0));

describe('datetime', () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ['Jan 12 2018 21:02:44 UTC', 1515790964],
    ['August 1, 2016 00:00:00GMT', 1470009600],
    ['2019-04-10T07:32:56Z', 1554881576],
    ['2018-02-12T13:00:28 GMT-2', utc(2018, 2, 12, 11, 0, 28).getTime() / 1000],
    ['2020 April 17, 02:58:04 +03', utc(2020, 4, 16, 23, 58, 4).getTime() / 1000],
    ['2020-06-01T18:21:01+00:00', 1591035661],
    ['1530384039', 1530384039],
  ])('to_timestamp(%j) = %d (zoned strings)', (input, expected) => {
    expect(toTimestamp(input)).toBe(expected);
  });

  it('datetimes and timestamps', () => {
    expect(toTimestamp(utc(2020, 2, 12, 20))).toBe(1581537600);
    expect(toTimestamp(utc(2015, 8, 9, 0, 10))).toBe(1439079000);
    expect(toTimestamp(-2345542)).toBe(-2345542);
    expect(toTimestamp(0)).toBe(0);
    expect(toDatetime(-2345542)).toEqual(utc(1969, 12, 4, 20, 27, 38));
    expect(toDatetime(1383429086)).toEqual(utc(2013, 11, 2, 21, 51, 26));
    expect(formatDatetime(1530384039)).toBe('2018-06-30T18:40:39Z');
    expect(formatDatetime(utc(2019, 4, 5, 8, 20, 3))).toBe('2019-04-05T08:20:03Z');
    expect(formatDatetime('2020, Sept 3, 00:03:00 UTC')).toBe('2020-09-03T00:03:00Z');
    expect(formatDatetime(new Date(Date.UTC(2019, 2, 4, 20, 23, 17, 123)))).toBe(
      '2019-03-04T20:23:17.123000Z',
    );
  });

  it.each([
    ['UTC', 0],
    ['Europe/Athens', -120],
    ['America/New_York', 300],
  ])('zone-less strings are local time (TZ=%s)', (zone, minutesBehind) => {
    vi.stubEnv('TZ', zone);
    const local = (...parts: [number, number, number, number?, number?, number?]) => {
      const date = new Date(0);
      date.setFullYear(parts[0], parts[1] - 1, parts[2]);
      date.setHours(parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0, 0);
      return date;
    };
    expect(new Date(2019, 0, 1).getTimezoneOffset()).toBe(minutesBehind);
    expect(toDatetime('2019-11-10T09:33:04')).toEqual(local(2019, 11, 10, 9, 33, 4));
    expect(toDatetime('11-12-2018 09:41:05')).toEqual(local(2018, 11, 12, 9, 41, 5));
    expect(toDatetime('10-03-2019')).toEqual(local(2019, 10, 3));
    expect(toDatetime('17/06/2019')).toEqual(local(2019, 6, 17));
    expect(toDatetime('Jan 1, 2020 12:33:11')).toEqual(local(2020, 1, 1, 12, 33, 11));
    expect(toDatetime('February 18, 2020 13:21:59')).toEqual(local(2020, 2, 18, 13, 21, 59));
    expect(toTimestamp('2019-01-01T00:00:00')).toBe(1546300800 + minutesBehind * 60);
    expect(formatDatetime('2019-01-01 00:00:00')).toBe(
      new Date(Date.UTC(2019, 0, 1) + minutesBehind * 60_000).toISOString().replace('.000Z', 'Z'),
    );
  });

  it.each([['random text'], [[true, 3]], [{}], ['2019-13-01'], ['Feb 30, 2020']])(
    'refuses %j with the seed message',
    (input) => {
      expect(() => toTimestamp(input as string)).toThrow(
        'expected datetime.datetime object, valid datetime string or timestamp',
      );
      expect(() => toTimestamp(input as string)).toThrow(InvalidInputError);
    },
  );
});

describe('decorators', () => {
  const echo = paginated<{ type?: string }, unknown>((params, extra) => ({ params, extra }));

  it.each([
    [{ page: 2 }, { offset: 40, limit: 20 }],
    [{ page: 8 }, { offset: 160, limit: 20 }],
    [{ page: 0 }, { offset: 0, limit: 20 }],
    [
      { page: 7, perPage: 30 },
      { offset: 210, limit: 30 },
    ],
    [
      { page: 12, perPage: 45 },
      { offset: 540, limit: 45 },
    ],
    [
      { page: 2, perPage: 4 },
      { offset: 8, limit: 4 },
    ],
    [
      { page: 0, perPage: 1 },
      { offset: 0, limit: 1 },
    ],
  ])('paginated: page %j → %j', (input, expected) => {
    expect(echo(input)).toEqual({ params: expected, extra: {} });
  });

  it('paginated: order offset, limit, since, until; perPage alone ignored; extras pass through; page excludes', () => {
    expect(
      Object.keys((echo({ until: 5, since: 2, limit: 3, offset: 1 }) as { params: object }).params),
    ).toEqual(['offset', 'limit', 'since', 'until']);
    expect(echo({ perPage: 5 })).toEqual({ params: {}, extra: {} });
    expect(echo({ since: 'Jan 12 2018 21:02:44 UTC', type: 'user' })).toEqual({
      params: { since: 1515790964 },
      extra: { type: 'user' },
    });
    for (const other of [{ offset: 1 }, { limit: 1 }, { since: 1 }, { until: 1 }])
      expect(() => echo({ page: 1, ...other })).toThrow(
        'page and offset/limit/since/until cannot be specified simultaneously',
      );
  });

  it('displayed: format json by default, only the values given, anything else refused', () => {
    const show = displayed((params) => params);
    expect(show()).toEqual({ format: 'json' });
    expect(show({ format: 'xml', height: 60 })).toEqual({ format: 'xml', height: 60 });
    expect(show({ width: 1, height: 2, color: 'ffffff' })).toEqual({
      format: 'json',
      width: 1,
      height: 2,
      color: 'ffffff',
    });
    expect(() => show({ autoplay: true } as object)).toThrow(InvalidInputError);
  });

  it('personal: runs only with an access token', async () => {
    const method = personal(async function (this: { accessToken?: string }) {
      return 'ran';
    });
    await expect(method.call({})).rejects.toThrow('access_token must be set');
    expect(await method.call({ accessToken: 'x' })).toBe('ran');
  });

  it('targeting marks a function', () => {
    const fn = async () => undefined;
    expect(isTargeting(fn)).toBe(false);
    expect(targeting(fn)).toBe(fn);
    expect(isTargeting(fn)).toBe(true);
  });

  it('uploading: fields through, publishDate formatted, flags only when true, the picture limit to the byte', async () => {
    const collect = uploading<{ extra?: number }, unknown>(async (params, extra) => ({ params, extra }));
    expect(await collect({ unlisted: true, hideStats: false, tags: ['house', 'tech'], extra: 1 })).toEqual({
      params: { tags: ['house', 'tech'], unlisted: true },
      extra: { extra: 1 },
    });
    expect(await collect({ publishDate: 1530384039 })).toEqual({
      params: { publishDate: '2018-06-30T18:40:39Z' },
      extra: {},
    });
    const dir = await mkdtemp(join(tmpdir(), 'mf-mixcloud-'));
    try {
      const picture = join(dir, 'picture.jpg');
      await writeFile(picture, Buffer.alloc(10_485_760));
      expect(await collect({ picture })).toEqual({ params: { picture }, extra: {} });
      await writeFile(picture, Buffer.alloc(10_485_761));
      await expect(collect({ picture })).rejects.toThrow('picture file size must be 10485760 bytes at most');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await expect(collect({ description: 'x'.repeat(1001) })).rejects.toThrow(
      'description size must be 1000 characters at most',
    );
    await expect(collect({ tags: ['1', '2', '3', '4', '5', '6'] })).rejects.toThrow(
      'an upload must have 5 tags at most',
    );
  });
});

describe('exceptions', () => {
  it.each([
    [{ type: 'FooException', message: 'A Foo exception occurred' }, 'FooException: A Foo exception occurred'],
    [
      { message: 'An exception occurred', foo: 'bar', test: 'hello there', empty: '' },
      'An exception occurred (foo: bar, test: hello there)',
    ],
    [{ foo: 'bar baz', test: 'yes' }, '(foo: bar baz, test: yes)'],
    [{ type: 'AuthError' }, 'AuthError'],
  ])('MixcloudError(%j) reads %j', (error, text) => {
    const built = new MixcloudError({ error });
    const fields = error as { type?: string; message?: string };
    expect(String(built)).toBe(text);
    expect(built.type).toBe(fields.type);
    expect(built.message).toBe(fields.message ?? '');
    expect(built).toBeInstanceOf(ApiError);
  });

  it('extra holds the other fields; MixcloudOAuthError reads its string', () => {
    const built = new MixcloudError({
      error: { type: 'RateLimitException', message: 'slow', retry_after: 452 },
    });
    expect(built.extra).toEqual({ retry_after: 452 });
    const oauth = new MixcloudOAuthError({ error: 'OAuth authorization failed' });
    expect(oauth.message).toBe('OAuth authorization failed');
    expect(String(oauth)).toBe('OAuth authorization failed');
    expect(oauth).toBeInstanceOf(ApiError);
    expect(oauth).not.toBeInstanceOf(MixcloudError);
    expect(built).not.toBeInstanceOf(MixcloudOAuthError);
  });
});

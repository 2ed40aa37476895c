/**
 * A user's videos as a core `Paginator` with pages of `pageSize` videos. BigGo serves fixed pages (20 videos,
 * `?p=` 1-based, `size` = the user's total): pages of another size are cut from them in order, each server
 * page fetched once, and the listing stops on `size` without asking for an empty page past the end.
 *
 * @module
 */
import { type ListingOptions, Paginator } from '@mediaferry/core';
import { getUserVideos } from './api.js';
import type { BigGoContext, BigGoRequestOptions } from './context.js';
import type { BigGoVideo, UserVideoResponse } from './models.js';

/** BigGo's own page size (spec B4). */
export const BIGGO_PAGE_SIZE = 20;

/** Where a page starts: server page `page`, after `skip` of its videos; `seen` videos came before `page`. */
export interface VideoCursor {
  readonly page: number;
  readonly skip: number;
  readonly seen: number;
}

const START: VideoCursor = { page: 1, skip: 0, seen: 0 };

/** The paginator of `videos.list`. */
export function videoPaginator(
  ctx: BigGoContext,
  userId: string,
  pageSize: number,
  options: BigGoRequestOptions & ListingOptions,
): Paginator<BigGoVideo, VideoCursor> {
  const { maxPages, maxItems, ...call } = options;
  // The server page a page of ours ended inside of: the next one starts in it, without asking again.
  let held: { readonly page: number; readonly answer: UserVideoResponse } | undefined;
  const serverPage = async (page: number, skip: number, signal: AbortSignal | undefined) => {
    if (skip > 0 && held?.page === page) return held.answer;
    const answer = await getUserVideos(ctx, userId, page, { ...call, signal });
    held = { page, answer };
    return answer;
  };
  return new Paginator<BigGoVideo, VideoCursor>(
    START,
    async (cursor, signal) => {
      const items: BigGoVideo[] = [];
      let { page, skip, seen } = cursor;
      for (;;) {
        const answer = await serverPage(page, skip, signal);
        const { data, size } = answer.user_video;
        const rest = data.slice(skip);
        const take = Math.min(pageSize - items.length, rest.length);
        items.push(...rest.slice(0, take));
        if (take < rest.length) return { items, next: { page, skip: skip + take, seen }, raw: answer };
        const last = data.length === 0 || seen + data.length >= size;
        if (last) return { items, next: null, raw: answer };
        seen += data.length;
        page += 1;
        skip = 0;
        if (items.length >= pageSize) return { items, next: { page, skip, seen }, raw: answer };
      }
    },
    { signal: call.signal, maxPages, maxItems },
  );
}

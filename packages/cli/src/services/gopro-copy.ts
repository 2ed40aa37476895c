import type { StreamResponse } from '@mediaferry/core';
import { ApiError } from '@mediaferry/core';
import { chooseAssets, type GoProClient, type MediaItem, type VariationTarget } from '@mediaferry/gopro';
import type { ByteRange, Entry, Source } from '../copy/types.js';
import type { Location } from '../locations.js';

interface AssetRef {
  readonly mediaId: string;
  /** The asset's name in the download answer (before any renaming for uniqueness). */
  readonly asset: string;
  url: string;
}

/**
 * GoPro media as a copy source: a date range, or one media by id. Sizes and ETags come from a HEAD on each
 * signed link (so a re-run can skip, and a kept partial file resumes only under the same ETag); the
 * modification time is the capture time. A signed link that expired is renewed once.
 */
export function goproSource(
  client: GoProClient,
  location: Location & { kind: 'gopro' },
  target: VariationTarget = {},
): Source {
  const label =
    'mediaId' in location
      ? `gopro://${location.mediaId}`
      : `gopro://${location.from.toISOString().slice(0, 10)}..${location.to.toISOString().slice(0, 10)}`;

  const freshUrl = async (ref: AssetRef, signal: AbortSignal) => {
    const response = await client.media.get(ref.mediaId, { signal });
    const found = chooseAssets(response, target).find((choice) => choice.name === ref.asset);
    if (!found) throw new Error(`GoPro media ${ref.mediaId} no longer has ${ref.asset}`);
    ref.url = found.asset.url;
  };

  const openOnce = async (
    ref: AssetRef,
    signal: AbortSignal,
    range: ByteRange | undefined,
  ): Promise<StreamResponse> => {
    const headers = range ? { range: `bytes=${range.start}-${range.end ? range.end - 1 : ''}` } : undefined;
    const { data, response, requestId } = await client.media
      .download({ url: ref.url }, {}, { signal, headers })
      .withResponse();
    return { ...response, contentLength: data.size, requestId, body: data.body };
  };

  return {
    label,
    rangeable: true,
    async *list(signal) {
      const items: Pick<MediaItem, 'id' | 'captured_at'>[] =
        'mediaId' in location
          ? [{ id: location.mediaId }]
          : await client.media
              .list({ from: location.from, to: location.to }, { signal })
              .toArray({ limit: 100_000 });
      const taken = new Set<string>();
      for (const item of items) {
        const response = await client.media.get(item.id, { signal });
        for (const { name, asset } of chooseAssets(response, target)) {
          const unique = taken.has(name) ? name.replace(/(\.[^.]*)?$/, (ext) => `-${item.id}${ext}`) : name;
          taken.add(unique);
          const head = await client.media.head(asset, {}, { signal });
          yield {
            path: unique,
            size: head.size,
            modifiedMs: item.captured_at?.getTime(),
            version: head.headers.get('etag') ?? undefined,
            ref: { mediaId: item.id, asset: name, url: asset.url } satisfies AssetRef,
          } satisfies Entry;
        }
      }
    },
    async open(entry, signal, range) {
      const ref = entry.ref as AssetRef;
      let response: StreamResponse;
      try {
        response = await openOnce(ref, signal, range);
      } catch (error) {
        // Signed links expire (403): ask for a fresh one, once.
        if (!(error instanceof ApiError && error.status === 403)) throw error;
        await freshUrl(ref, signal);
        response = await openOnce(ref, signal, range);
      }
      const etag = response.headers.get('etag') ?? undefined;
      if (range?.ifRange && response.status === 206 && etag !== range.ifRange) {
        // Other content under the same link: what is held cannot be continued; send the whole new body.
        await response.body.cancel().catch(() => {});
        return openOnce(ref, signal, undefined);
      }
      return response;
    },
  };
}

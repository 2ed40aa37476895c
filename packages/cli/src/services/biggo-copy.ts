import type { BigGoClient, BigGoVideo } from '@mediaferry/biggo';
import type { StreamResponse } from '@mediaferry/core';
import { foldKey } from '../copy/naming.js';
import type { ByteRange, Entry, Source, Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import { fileNameOf, titleOf, uploadBodyOf } from './types.js';

const downloadOf = (video: BigGoVideo): string | undefined => {
  const download = video.meta?.download;
  return download && !Array.isArray(download) ? download.mp4 : undefined;
};

/** A title as a file name: no path separators or control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
const fileNameFor = (text: string) => text.replace(/[/\\\u0000-\u001f\u007f]/g, '_');

/**
 * Names the videos: `<title>.mp4`, and where several share a title (up to case and Unicode normalisation),
 * the oldest keeps it and the others get `<title>-<video id>.mp4`: stable when more videos of that title
 * arrive later.
 */
function namesOf(videos: readonly BigGoVideo[]): Map<BigGoVideo, string> {
  const groups = new Map<string, BigGoVideo[]>();
  for (const video of videos) {
    const key = foldKey(fileNameFor(video.title || video.video_id));
    groups.set(key, [...(groups.get(key) ?? []), video]);
  }
  const names = new Map<BigGoVideo, string>();
  for (const group of groups.values()) {
    group.sort((a, b) => a.timestamp - b.timestamp || (a.video_id < b.video_id ? -1 : 1));
    group.forEach((video, index) => {
      const title = fileNameFor(video.title || video.video_id);
      names.set(video, index === 0 ? `${title}.mp4` : `${title}-${video.video_id}.mp4`);
    });
  }
  return names;
}

/**
 * Your processed BigGo videos (or one, `biggo://VIDEO_ID`) as a copy source, downloaded through the client's
 * transport. Size and ETag come from a HEAD on each file, the modification time is the upload time.
 */
export function biggoSource(client: BigGoClient, videoId: string | undefined): Source {
  const openOnce = (url: string, signal: AbortSignal, range: ByteRange | undefined) =>
    client.openDownload(url, {
      signal,
      ...(range ? { range: { start: range.start, ...(range.end ? { end: range.end - 1 } : {}) } } : {}),
    });
  return {
    label: videoId ? `biggo://${videoId}` : 'biggo://',
    rangeable: true,
    async *list(signal) {
      const videos = videoId
        ? (await client.video.get(videoId, { signal })).video
        : await client.user.videos('self', { signal }).toArray({ limit: 100_000 });
      const processed = videos.filter((video) => downloadOf(video) !== undefined);
      if (videoId && processed.length === 0)
        throw new CliError(`BigGo video ${videoId} has no downloadable file (yet)`, 'is it processed?');
      const names = namesOf(processed);
      for (const video of processed) {
        const url = downloadOf(video)!;
        const head = await client.openDownload(url, { signal, method: 'HEAD' });
        await head.body.cancel();
        const etag = head.headers.get('etag') ?? undefined;
        yield {
          path: names.get(video)!,
          size: head.contentLength,
          modifiedMs: video.timestamp * 1000,
          version: etag ?? `${video.video_id}:${head.contentLength ?? '?'}`,
          ref: url,
        } satisfies Entry;
      }
    },
    async open(entry, signal, range): Promise<StreamResponse> {
      const response = await openOnce(entry.ref as string, signal, range);
      const etag = response.headers.get('etag') ?? undefined;
      if (range?.ifRange && etag && response.status === 206 && etag !== range.ifRange) {
        await response.body.cancel().catch(() => {});
        return openOnce(entry.ref as string, signal, undefined);
      }
      return response;
    },
  };
}

/**
 * Publishes each file as a private video titled after it. BigGo keeps titles, not bytes (it re-encodes), so
 * an existing title means "already published"; two files of one copy with the same title are refused rather
 * than one hiding the other.
 */
export function biggoTarget(client: BigGoClient): Target {
  const titles = new Map<string, string>();
  let published: Promise<Set<string>> | undefined;
  return {
    label: 'biggo://',
    place(path) {
      const key = foldKey(titleOf(path));
      const owner = titles.get(key);
      if (owner !== undefined && owner !== path)
        throw new CliError(`${path} has the same BigGo title as ${owner}`, 'rename one of them');
      titles.set(key, path);
      return path;
    },
    async stat(name, signal) {
      published ??= (async () => {
        const found = new Set<string>();
        for await (const video of client.user.videos('self', { signal })) found.add(video.title ?? '');
        return found;
      })();
      return (await published).has(titleOf(name))
        ? { byNameOnly: 'by title: BigGo re-encodes, so bytes cannot be compared' }
        : undefined;
    },
    async write(name, body, options) {
      const source = await uploadBodyOf(body);
      const videoId = await client.video.publish(
        source,
        {
          title: titleOf(name),
          description: `Published by mediaferry from ${name}`,
          access: 'private',
          filename: fileNameOf(name),
        },
        { signal: options.signal },
      );
      return {
        location: `biggo video ${videoId}`,
        discard: async () => {
          await client.video.delete(videoId);
        },
      };
    },
  };
}

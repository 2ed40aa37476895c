import type { BigGoClient, BigGoVideo } from '@mediaferry/biggo';
import type { StreamResponse } from '@mediaferry/core';
import { foldKey } from '../copy/naming.js';
import type { ByteRange, Entry, Source, Target } from '../copy/types.js';
import { CliError } from '../errors.js';
import { fileNameOf, titleOf, uploadBodyOf } from './types.js';

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
    group.sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || (a.video_id < b.video_id ? -1 : 1));
    group.forEach((video, index) => {
      const title = fileNameFor(video.title || video.video_id);
      names.set(video, index === 0 ? `${title}.mp4` : `${title}-${video.video_id}.mp4`);
    });
  }
  return names;
}

/**
 * Your processed BigGo videos (or one, `biggo://VIDEO_ID`) as a copy source, downloaded through the client's
 * transport. Size and ETag come from a HEAD on each file (so the bytes written are verified against the
 * announced size), the modification time is the upload time.
 */
export function biggoSource(client: BigGoClient, videoId: string | undefined): Source {
  const openOnce = async (
    video: BigGoVideo,
    signal: AbortSignal,
    range: ByteRange | undefined,
  ): Promise<StreamResponse> => {
    const headers = range ? { range: `bytes=${range.start}-${range.end ? range.end - 1 : ''}` } : undefined;
    const { data, response, requestId } = await client.videos
      .download(video, { signal, headers })
      .withResponse();
    return { ...response, contentLength: data.size, requestId, body: data.body };
  };
  return {
    label: videoId ? `biggo://${videoId}` : 'biggo://',
    rangeable: true,
    async *list(signal) {
      const videos = videoId
        ? [await client.videos.get(videoId, { signal })]
        : await client.videos.list({}, { signal }).toArray({ limit: 100_000 });
      const processed = videos.filter((video) => video.meta?.download?.mp4 !== undefined);
      if (videoId && processed.length === 0)
        throw new CliError(`BigGo video ${videoId} has no downloadable file (yet)`, 'is it processed?');
      const names = namesOf(processed);
      for (const video of processed) {
        const head = await client.videos.head(video, { signal });
        const etag = head.headers.get('etag') ?? undefined;
        yield {
          path: names.get(video)!,
          size: head.size,
          modifiedMs: video.timestamp.getTime(),
          version: etag ?? `${video.video_id}:${head.size ?? '?'}`,
          ref: video,
        } satisfies Entry;
      }
    },
    async open(entry, signal, range): Promise<StreamResponse> {
      const video = entry.ref as BigGoVideo;
      const response = await openOnce(video, signal, range);
      const etag = response.headers.get('etag') ?? undefined;
      if (range?.ifRange && etag && response.status === 206 && etag !== range.ifRange) {
        await response.body.cancel().catch(() => {});
        return openOnce(video, signal, undefined);
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
        for await (const video of client.videos.list({}, { signal })) found.add(video.title ?? '');
        return found;
      })();
      return (await published).has(titleOf(name))
        ? { byNameOnly: 'by title: BigGo re-encodes, so bytes cannot be compared' }
        : undefined;
    },
    async write(name, body, options) {
      const source = await uploadBodyOf(body);
      const { video_id: videoId } = await client.videos
        .publish(
          source,
          {
            title: titleOf(name),
            description: `Published by mediaferry from ${name}`,
            access: 'private',
            filename: fileNameOf(name),
          },
          { signal: options.signal },
        )
        .done();
      return {
        location: `biggo video ${videoId}`,
        discard: async () => {
          await client.videos.delete(videoId);
        },
      };
    },
  };
}

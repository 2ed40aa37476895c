/**
 * Downloads of processed videos (`meta.download.mp4`) through the client's transport: retries, timeouts,
 * the caller's signal, byte ranges and typed errors, like every other call. The link points at a CDN, so no
 * credentials are sent with it.
 */
import { type BaseClient, type CallOptions, InvalidInputError, type StreamResponse } from '@mediaferry/core';

export interface VideoDownloadOptions extends CallOptions {
  /** Bytes `start` to `end` inclusive (to the end when `end` is omitted). */
  readonly range?: { readonly start: number; readonly end?: number | undefined } | undefined;
  /** `HEAD` for the size and validators without the bytes. */
  readonly method?: 'GET' | 'HEAD' | undefined;
}

export function openVideoDownload(
  http: BaseClient,
  url: string,
  options: VideoDownloadOptions = {},
): Promise<StreamResponse> {
  if (!/^https?:\/\//i.test(url)) throw new InvalidInputError('url', 'must be an absolute http(s) URL');
  const { range, method = 'GET', ...call } = options;
  if (
    range &&
    (!Number.isInteger(range.start) ||
      range.start < 0 ||
      (range.end !== undefined && range.end < range.start))
  )
    throw new InvalidInputError('range', 'must be {start ≥ 0, end ≥ start}');
  return http.stream({
    ...call,
    method,
    path: url,
    auth: false,
    endpoint: 'video_download',
    ...(range
      ? {
          headers: { range: `bytes=${range.start}-${range.end ?? ''}` },
          okStatus: (status: number) => status === 200 || status === 206,
        }
      : {}),
  });
}

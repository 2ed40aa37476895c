/**
 * What a download's headers say about the file (spec §3.3.6): id, name, size, SHA-1, upload time, file
 * info (with the `b2-*` infos B2 turns into real headers), encryption and Object Lock settings.
 *
 * @module
 */
import type { StreamResponse } from '@mediaferry/core';
import { decodeB2Name } from '../names.js';

/** A file version as its download headers describe it (`files.head`, `files.download`). */
export interface FileHead {
  readonly fileId: string;
  readonly fileName: string;
  readonly contentType: string | undefined;
  /** Bytes in this response (the range's, for a range). */
  readonly contentLength: number | undefined;
  /** Bytes of the whole file, when the response says. */
  readonly size: number | undefined;
  /** The whole file's SHA-1: B2's, or `large_file_sha1` when the uploader recorded it. */
  readonly contentSha1: string | undefined;
  readonly uploadTimestamp: Date | undefined;
  /** `X-Bz-Info-*`, plus `b2-content-disposition` etc. from the headers B2 makes of them. */
  readonly fileInfo: Readonly<Record<string, string>>;
  /** `SSE-B2`, `SSE-C`, or undefined when not encrypted. */
  readonly serverSideEncryption: 'SSE-B2' | 'SSE-C' | undefined;
  /** The retention in force, when the bucket has File Lock and the key may read it. */
  readonly fileRetention:
    | { readonly mode: string; readonly retainUntilTimestamp: Date | undefined }
    | undefined;
  readonly legalHold: 'on' | 'off' | undefined;
  /** The response headers (redacted). */
  readonly headers: Headers;
}

/** The `b2-*` infos B2 sends as real headers instead of `X-Bz-Info-b2-*`. */
const B2_INFO_HEADERS = [
  'content-disposition',
  'content-language',
  'expires',
  'cache-control',
  'content-encoding',
];

/** A header value B2 percent-encoded; a malformed one is kept as received rather than failing the download. */
function safeDecode(value: string): string {
  try {
    return decodeB2Name(value);
  } catch {
    return value;
  }
}

function positiveNumber(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function headOf(response: StreamResponse): FileHead {
  const { headers } = response;
  const fileInfo: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name.startsWith('x-bz-info-')) fileInfo[name.slice(10)] = safeDecode(value);
  });
  for (const name of B2_INFO_HEADERS) {
    const value = headers.get(name);
    if (value !== null) fileInfo[`b2-${name}`] = value;
  }
  const total = /^bytes \d+-\d+\/(\d+)$/.exec(headers.get('content-range') ?? '')?.[1];
  const size =
    total !== undefined
      ? positiveNumber(total)
      : response.status === 200
        ? response.contentLength
        : undefined;
  const timestamp = positiveNumber(headers.get('x-bz-upload-timestamp'));
  const mode = headers.has('x-bz-server-side-encryption-customer-algorithm')
    ? 'SSE-C'
    : headers.has('x-bz-server-side-encryption')
      ? 'SSE-B2'
      : undefined;
  const retentionMode = headers.get('x-bz-file-retention-mode');
  const until = positiveNumber(headers.get('x-bz-file-retention-retain-until-timestamp'));
  const hold = headers.get('x-bz-file-legal-hold');
  return {
    fileId: headers.get('x-bz-file-id') ?? '',
    fileName: safeDecode(headers.get('x-bz-file-name') ?? ''),
    contentType: headers.get('content-type') ?? undefined,
    contentLength: response.contentLength,
    size,
    contentSha1: sha1From(headers.get('x-bz-content-sha1'), fileInfo.large_file_sha1),
    uploadTimestamp: timestamp !== undefined && timestamp > 0 ? new Date(timestamp) : undefined,
    fileInfo,
    serverSideEncryption: mode,
    fileRetention: retentionMode
      ? { mode: retentionMode, retainUntilTimestamp: until === undefined ? undefined : new Date(until) }
      : undefined,
    legalHold: hold === 'on' || hold === 'off' ? hold : undefined,
    headers,
  };
}

/** B2's SHA-1 of a file (`unverified:` ones included), else the one its uploader recorded. */
export function sha1From(
  contentSha1: string | null | undefined,
  largeFileSha1: string | undefined,
): string | undefined {
  const plain = contentSha1?.replace(/^unverified:/, '');
  if (plain && /^[0-9a-f]{40}$/.test(plain)) return plain;
  return largeFileSha1 && /^[0-9a-f]{40}$/.test(largeFileSha1) ? largeFileSha1 : undefined;
}

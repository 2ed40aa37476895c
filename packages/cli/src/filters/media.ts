/**
 * What a media service can publish: BigGo takes video, Mixcloud audio. A file is taken only when both its
 * extension and its first bytes say it is that kind of media (so `cover.jpg` is never published as a show,
 * and neither is `notes.txt` renamed `notes.mp3`).
 *
 * @module
 */
import type { Entry } from '../copy/types.js';

export type MediaKind = 'video' | 'audio';

const EXTENSIONS: Readonly<Record<MediaKind, readonly string[]>> = {
  video: [
    'mp4',
    'm4v',
    'mov',
    'mkv',
    'webm',
    'avi',
    'mts',
    'm2ts',
    'ts',
    'mpg',
    'mpeg',
    '3gp',
    'wmv',
    'flv',
    'lrv',
  ],
  audio: ['mp3', 'm4a', 'aac', 'wav', 'flac', 'ogg', 'oga', 'opus', 'aif', 'aiff', 'wma'],
};

const ascii = (bytes: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...bytes.subarray(start, start + length));

/** The kinds of media the bytes can be, from their magic numbers; empty when they look like neither. */
export function sniff(bytes: Uint8Array): Set<MediaKind> {
  const kinds = new Set<MediaKind>();
  if (bytes.byteLength < 4) return kinds;
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = bytes;
  if (bytes.byteLength >= 12 && ascii(bytes, 4, 4) === 'ftyp') {
    // ISO base media: the major brand says audio-only (M4A, M4B, M4P) or anything else (video).
    kinds.add(/^M4[ABP]/.test(ascii(bytes, 8, 4)) ? 'audio' : 'video');
  } else if (b0 === 0x1a && b1 === 0x45 && b2 === 0xdf && b3 === 0xa3)
    kinds.add('video').add('audio'); // Matroska / WebM
  else if (ascii(bytes, 0, 4) === 'RIFF' && bytes.byteLength >= 12) {
    const form = ascii(bytes, 8, 4);
    if (form === 'AVI ') kinds.add('video');
    if (form === 'WAVE') kinds.add('audio');
  } else if (ascii(bytes, 0, 4) === 'FORM' && bytes.byteLength >= 12 && /^AIF[FC]$/.test(ascii(bytes, 8, 4)))
    kinds.add('audio');
  else if (b0 === 0x00 && b1 === 0x00 && b2 === 0x01 && (b3 === 0xba || b3 === 0xb3))
    kinds.add('video'); // MPEG-PS
  else if (b0 === 0x47 && (bytes.byteLength < 189 || bytes[188] === 0x47))
    kinds.add('video'); // MPEG-TS
  else if (b0 === 0x30 && b1 === 0x26 && b2 === 0xb2 && b3 === 0x75)
    kinds.add('video').add('audio'); // ASF
  else if (ascii(bytes, 0, 3) === 'FLV') kinds.add('video');
  else if (ascii(bytes, 0, 3) === 'ID3') kinds.add('audio');
  else if (ascii(bytes, 0, 4) === 'fLaC') kinds.add('audio');
  else if (ascii(bytes, 0, 4) === 'OggS') kinds.add('audio').add('video');
  else if (b0 === 0xff && (b1 & 0xe0) === 0xe0) kinds.add('audio'); // MPEG audio frame / ADTS
  return kinds;
}

const extensionOf = (path: string) => /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();

/** Why an entry is not `kind` media by its extension, or undefined when its name is right. */
export function refusedByName(entry: Entry, kind: MediaKind, service: string): string | undefined {
  const extension = extensionOf(entry.path);
  if (!extension || !EXTENSIONS[kind].includes(extension))
    return `not ${kind}: ${service} publishes ${kind} files only (.${EXTENSIONS[kind].slice(0, 4).join(', .')}…)`;
  if (entry.size === 0) return `an empty file is not ${kind}`;
  return undefined;
}

/** Why an entry named as `kind` media is not, by its first bytes; undefined when they agree. */
export async function refusedByBytes(
  entry: Entry,
  kind: MediaKind,
  peek: () => Promise<Uint8Array>,
): Promise<string | undefined> {
  const sniffed = sniff(await peek());
  if (sniffed.has(kind)) return undefined;
  return `named .${extensionOf(entry.path)} but its bytes are not ${kind} (${sniffed.size ? [...sniffed].join('/') : 'unknown type'})`;
}

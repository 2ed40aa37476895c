/**
 * `mediaferry demo --samples DIR`: small media files the README's examples name, written on demand so the
 * repository carries no binaries. They are well-formed enough for any type sniffer (an MP4 `ftyp` box, MP3
 * frames behind an ID3 tag); the bytes inside are generated, not real footage or audio.
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBytes, type OutputOptions, printJson } from '../output.js';

/** Deterministic filler, so the same sample always has the same SHA-1. */
function filler(size: number, salt: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = salt >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

function box(type: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.byteLength);
  new DataView(out.buffer).setUint32(0, out.byteLength);
  out.set(new TextEncoder().encode(type), 4);
  out.set(payload, 8);
  return out;
}

/** An ISO base media file: `ftyp` (isom, mp41) then an `mdat` of `size` bytes. */
export function sampleMp4(size: number, salt = 7): Uint8Array {
  const brands = new TextEncoder().encode('isom\0\0\x02\0isomiso2mp41');
  return concat([box('ftyp', brands), box('mdat', filler(size, salt))]);
}

/** An ID3v2.4 tag then MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz: 417 bytes each). */
export function sampleMp3(frames: number, salt = 11): Uint8Array {
  const id3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0]);
  const frameBytes = 417;
  const body = filler(frames * frameBytes, salt);
  for (let f = 0; f < frames; f += 1) body.set([0xff, 0xfb, 0x90, 0x64], f * frameBytes);
  return concat([id3, body]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** The samples, by the names the README uses. */
export const SAMPLES: Readonly<Record<string, () => Uint8Array>> = {
  'clip.mp4': () => sampleMp4(1024 * 1024),
  'harbour.mp4': () => sampleMp4(512 * 1024, 23),
  'mix.mp3': () => sampleMp3(2500),
};

/** Writes every sample into `dir` (created if needed) and lists them. */
export async function writeSamples(dir: string, output: OutputOptions): Promise<void> {
  await mkdir(dir, { recursive: true });
  const written: Array<{ path: string; size: number }> = [];
  for (const [name, make] of Object.entries(SAMPLES)) {
    const bytes = make();
    const path = join(dir, name);
    await writeFile(path, bytes);
    written.push({ path, size: bytes.byteLength });
  }
  if (output.json) return printJson({ samples: written });
  if (output.quiet) return;
  for (const { path, size } of written) process.stdout.write(`wrote ${path} (${formatBytes(size)})\n`);
}

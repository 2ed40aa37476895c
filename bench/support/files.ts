/** Source files for the benches: random (incompressible) bytes, and SHA-1s of whole files and byte ranges. */
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';

export const MiB = 1024 * 1024;

/** A source file every tool transfers, with its SHA-1 and (memoised) SHA-1s of any range of it. */
export interface SourceFile {
  readonly path: string;
  readonly size: number;
  readonly sha1: string;
  /** SHA-1 of bytes [start, end) of the file. */
  rangeSha1(start: number, end: number): Promise<string>;
}

/** SHA-1 of a file, or of bytes [start, end) of it. */
export async function sha1OfFile(path: string, range?: { start: number; end: number }): Promise<string> {
  const hash = createHash('sha1');
  if (range && range.end <= range.start) return hash.digest('hex');
  const stream = createReadStream(path, {
    highWaterMark: 4 * MiB,
    ...(range ? { start: range.start, end: range.end - 1 } : {}),
  });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function sourceFile(path: string, size: number, sha1: string): SourceFile {
  const ranges = new Map<string, Promise<string>>();
  return {
    path,
    size,
    sha1,
    rangeSha1(start, end) {
      if (start === 0 && end === size) return Promise.resolve(sha1);
      const key = `${start}-${end}`;
      let known = ranges.get(key);
      if (!known) {
        known = sha1OfFile(path, { start, end });
        ranges.set(key, known);
      }
      return known;
    },
  };
}

/** Writes `size` random bytes to `path` (4 MiB at a time) and returns the file with its SHA-1. */
export async function writeRandomFile(path: string, size: number): Promise<SourceFile> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(4 * MiB);
  const hash = createHash('sha1');
  try {
    for (let at = 0; at < size; at += block.length) {
      const slice = block.subarray(0, Math.min(block.length, size - at));
      randomFillSync(slice);
      hash.update(slice);
      await handle.write(slice);
    }
  } finally {
    await handle.close();
  }
  return sourceFile(path, size, hash.digest('hex'));
}

/** Copies bytes [start, end) of a file into a new file (curl uploads whole files: parts are split first). */
export async function writeRange(source: string, start: number, end: number, dest: string): Promise<void> {
  const input = await open(source, 'r');
  const output = await open(dest, 'w');
  const block = Buffer.alloc(4 * MiB);
  try {
    for (let at = start; at < end; ) {
      const { bytesRead } = await input.read(block, 0, Math.min(block.length, end - at), at);
      if (bytesRead === 0) throw new Error(`${source} ends before byte ${end}`);
      await output.write(block.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await input.close();
    await output.close();
  }
}

/** Checks that a downloaded file holds exactly the source's bytes (size and SHA-1). */
export async function assertSameBytes(path: string, source: SourceFile, who: string): Promise<void> {
  const digest = await sha1OfFile(path);
  if (digest !== source.sha1)
    throw new Error(
      `${who}: downloaded bytes differ from the source (SHA-1 ${digest}, expected ${source.sha1})`,
    );
}

/** Creates a directory (and its parents) and returns its path. */
export async function directory(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  return path;
}

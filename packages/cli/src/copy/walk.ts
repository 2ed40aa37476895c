import type { Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { isTemporaryName } from '@mediaferry/core';
import { PARTIAL_DIR } from './partials.js';

/**
 * The regular files under `dir`, in name order: our partial folder and temporary files are skipped, and links
 * are neither followed nor listed (a copy reads, and a sync removes, only files it could have written).
 */
export async function* walkFiles(dir: string): AsyncGenerator<string> {
  const entries: Dirent[] = [];
  for await (const entry of await opendir(dir)) entries.push(entry);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== PARTIAL_DIR) yield* walkFiles(full);
    } else if (entry.isFile() && !isTemporaryName(entry.name)) yield full;
  }
}

/**
 * Vitest global setup: the whole run gets one temporary folder, given to every test process as `TMPDIR`, and
 * removed at the end. Tests make their scratch folders with `mkdtemp(tmpdir())` (homes for the CLI, files to
 * upload, emulator data); many keep them for a failure's post-mortem, and a run used to leave hundreds in
 * the machine's /tmp.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'mf-test-run-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return async () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    // A child a test left running may still be writing: a second try after it is gone.
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };
}

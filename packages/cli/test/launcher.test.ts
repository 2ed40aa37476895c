/**
 * `bin/mediaferry.js`, the file npm links as the command: it runs the bundle `npm run build` made, falls back
 * to tsc's modules when a bare `tsc -b` left the bundle older than them (never stale code), and says how to
 * build when nothing is built. Driven in a copy of the repository's layout whose "builds" print who ran.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('../bin/mediaferry.js', import.meta.url));

/** packages/cli/{bin,dist,dist/bundle} and packages/core/dist in a temp folder; returns the paths. */
async function layout() {
  const root = await mkdtemp(join(tmpdir(), 'mf-launcher-'));
  const cli = join(root, 'packages', 'cli');
  const paths = {
    launcher: join(cli, 'bin', 'mediaferry.js'),
    modules: join(cli, 'dist', 'bin.js'),
    bundle: join(cli, 'dist', 'bundle', 'bin.js'),
    coreBuildInfo: join(root, 'packages', 'core', 'dist', '.tsbuildinfo'),
  };
  await mkdir(join(cli, 'bin'), { recursive: true });
  await mkdir(join(cli, 'dist', 'bundle'), { recursive: true });
  await mkdir(join(root, 'packages', 'core', 'dist'), { recursive: true });
  await copyFile(LAUNCHER, paths.launcher);
  await writeFile(join(root, 'package.json'), '{"type":"module"}');
  return paths;
}

const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);

/** Modules, a bundle and core's build info, the bundle and the package built at the seconds given. */
async function built(
  p: Awaited<ReturnType<typeof layout>>,
  times: { readonly bundleAt: number; readonly packageAt: number },
): Promise<void> {
  await writeFile(p.modules, 'console.log("modules")');
  await writeFile(p.bundle, 'console.log("bundle")');
  await writeFile(p.coreBuildInfo, '{}');
  await utimes(p.bundle, at(times.bundleAt), at(times.bundleAt));
  await utimes(p.coreBuildInfo, at(times.packageAt), at(times.packageAt));
}
const run = (launcher: string) => spawnSync(process.execPath, [launcher], { encoding: 'utf8' });

describe('the mediaferry launcher', () => {
  it('runs the bundle when it is as new as every build of the packages', async () => {
    const p = await layout();
    await built(p, { bundleAt: 10, packageAt: 0 });
    expect(run(p.launcher).stdout).toBe('bundle\n');
  });

  it('runs the modules when a package was built after the bundle (a bare tsc -b)', async () => {
    const p = await layout();
    await built(p, { bundleAt: 0, packageAt: 10 });
    expect(run(p.launcher).stdout).toBe('modules\n');
  });

  it('runs the modules when there is no bundle', async () => {
    const p = await layout();
    await writeFile(p.modules, 'console.log("modules")');
    expect(run(p.launcher).stdout).toBe('modules\n');
  });

  it('says how to build, with exit 1, when nothing is built', async () => {
    const p = await layout();
    const result = run(p.launcher);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error mediaferry is not built yet .*\nhint {2}run `npm run build`/);
  });
});

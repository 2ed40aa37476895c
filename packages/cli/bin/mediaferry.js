#!/usr/bin/env node
// The committed entry point of the `mediaferry` command. npm links a bin only if its file exists when it
// installs, and `dist/` is built after `npm ci`; this file is always there and runs the built CLI.
//
// `npm run build` also bundles the CLI (dist/bundle/bin.js, see ../bundle.mjs), which starts ~0.1 s
// sooner than the modules it is made of. After a bare `tsc -b` in the repository the bundle can be older than
// what tsc just built; then the modules run, so the command never runs stale code.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const modules = here('../dist/bin.js');
const bundle = here('../dist/bundle/bin.js');

/** Modified time in ms, or undefined when the file is not there. */
const modified = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

/** The workspace packages whose code the bundle holds (the emulators stay outside it). */
const BUNDLED = ['cli', 'core', 'b2', 'gopro', 'biggo', 'mixcloud'];

/** True when the bundle is at least as new as every bundled package tsc built (in the repository's layout). */
function bundleIsCurrent() {
  const bundled = modified(bundle);
  if (bundled === undefined) return false;
  for (const name of BUNDLED) {
    const built = modified(here(`../../${name}/dist/.tsbuildinfo`));
    if (built !== undefined && built > bundled) return false;
  }
  return true;
}

if (!existsSync(modules)) {
  process.stderr.write(
    `error mediaferry is not built yet (${modules} is missing)\nhint  run \`npm run build\` in the repository, then try again\n`,
  );
  process.exit(1);
}
await import(pathToFileURL(bundleIsCurrent() ? bundle : modules).href);

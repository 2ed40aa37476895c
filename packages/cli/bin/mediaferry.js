#!/usr/bin/env node
// The committed entry point of the `mediaferry` command. npm links a bin only if its file exists when it
// installs, and `dist/` is built after `npm ci`; this file is always there and runs the built CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write(
    `error mediaferry is not built yet (${fileURLToPath(built)} is missing)\nhint  run \`npm run build\` in the repository, then try again\n`,
  );
  process.exit(1);
}
await import(built.href);

#!/usr/bin/env node
// Runs one compiled benchmark: `npm run bench -- download 1024`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const [name, ...args] = process.argv.slice(2);
const available = readdirSync(new URL('./dist/', import.meta.url))
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\navailable: ${available.join(', ')}`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ['--expose-gc', new URL(`./dist/${name}.js`, import.meta.url).pathname, ...args],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);

// Bundles the `mediaferry` command into dist/bundle/ from tsc's output; `npm run build` runs it after `tsc -b`.
// Node then loads a handful of files instead of the ~200 modules of the CLI, the clients, core and zod, and
// the command starts ~0.1 s sooner (`npm run bench -- cli-startup`). Lazily imported commands stay separate
// chunks. The emulators stay outside (loaded only by the commands that run them, with their console's files
// beside them), as does undici (loaded only when a client turns TLS verification off).
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const out = here('dist/bundle');

// Chunk names carry a hash: without this, every build would leave the previous one's chunks behind.
await rm(out, { recursive: true, force: true });
await build({
  input: { bin: here('dist/bin.js') },
  platform: 'node',
  external: [/^node:/, /^@mediaferry\/emulator(\/|$)/, 'undici'],
  // Chunks sit beside bin.js: code that finds files from import.meta.url (the version command's package.json)
  // keeps its relative paths.
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});

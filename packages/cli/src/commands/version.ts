import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { printJson } from '../output.js';

/** Every package the CLI is made of, in the order a bug report wants them. */
const PACKAGES = [
  'mediaferry',
  '@mediaferry/core',
  '@mediaferry/b2',
  '@mediaferry/gopro',
  '@mediaferry/biggo',
  '@mediaferry/mixcloud',
  '@mediaferry/emulator',
] as const;

/** The installed version of each package, as its own package.json says (`?` when it cannot be found). */
export async function versions(): Promise<Record<string, string>> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      const path =
        name === 'mediaferry'
          ? new URL('../../package.json', import.meta.url)
          : require.resolve(`${name}/package.json`);
      out[name] = (JSON.parse(await readFile(path, 'utf8')) as { version?: string }).version ?? '?';
    } catch {
      out[name] = '?';
    }
  }
  out.node = process.versions.node;
  return out;
}

/** `mediaferry --version`: the CLI's version first (what scripts parse), then every package and Node. */
export async function printVersion(json: boolean): Promise<void> {
  const all = await versions();
  if (json) return printJson(all);
  const width = Math.max(...Object.keys(all).map((k) => k.length));
  process.stdout.write(`mediaferry ${all.mediaferry}\n`);
  for (const [name, version] of Object.entries(all))
    if (name !== 'mediaferry') process.stdout.write(`  ${name.padEnd(width)}  ${version}\n`);
}

/**
 * The one place that reads and writes `~/.config/mediaferry/config.json`. A file that is not a JSON object of
 * services (truncated, `null`, an array…) is reported as such and never silently replaced: it holds
 * credentials someone saved on purpose.
 *
 * @module
 */
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './errors.js';
import { notice, type OutputOptions } from './output.js';

/** Service → field → value, as saved by `config set` and `login`. */
export type ConfigData = Record<string, Record<string, string>>;

/** `$XDG_CONFIG_HOME/mediaferry/config.json` (or ~/.config/…). */
export function configPath(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mediaferry', 'config.json');
}

function broken(path: string, what: string): CliError {
  return new CliError(
    `${path} ${what}; it was left as it is`,
    `fix it by hand (it is plain JSON: {"b2": {"keyId": "…"}}) or move it away, then run \`mediaferry config set\` or \`mediaferry login\` again`,
  );
}

/** Parses the file's text; anything but an object of objects of strings is an error naming what is wrong. */
export function parseConfig(path: string, text: string): ConfigData {
  if (text.trim() === '') throw broken(path, 'is empty (a write cut short?)');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw broken(path, `is not valid JSON, perhaps truncated (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw broken(
      path,
      `holds ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not an object of services`,
    );
  for (const [service, fields] of Object.entries(value)) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields))
      throw broken(path, `has "${service}": ${JSON.stringify(fields)}, not an object of fields`);
    for (const [field, text] of Object.entries(fields))
      if (typeof text !== 'string') throw broken(path, `has ${service}.${field} that is not a string`);
  }
  return value as ConfigData;
}

/** The saved config, `{}` when there is no file; warns when other users can read it. */
export async function readConfig(output?: OutputOptions): Promise<ConfigData> {
  const path = configPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(
      `cannot read ${path}: ${(error as Error).message}`,
      `check its permissions (ls -l ${path})`,
    );
  }
  if (output) {
    const info = await stat(path);
    if ((info.mode & 0o077) !== 0)
      notice(output, `${path} is readable by other users; it holds credentials (chmod 600 ${path})`);
  }
  return parseConfig(path, text);
}

/**
 * Sets fields of one service, keeping everything else in the file. Written to a temporary file (0600),
 * flushed, then renamed over the old one: a crash leaves the old file or the new one, never half of one.
 */
export async function updateConfig(service: string, fields: Record<string, string>): Promise<string> {
  const path = configPath();
  const config = await readConfig();
  config[service] = { ...config[service], ...fields };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(config, null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  return path;
}

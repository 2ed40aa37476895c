import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { configPath } from '../connections.js';
import { UsageError } from '../errors.js';
import { info, outputOf, printJson } from '../output.js';

/** Fields each service reads from the config file (the same names as its credential flags). */
const FIELDS: Record<string, readonly string[]> = {
  b2: ['keyId', 'key', 'url'],
  gopro: ['accessToken', 'url'],
  biggo: ['clientId', 'clientSecret', 'url'],
  mixcloud: ['accessToken', 'url'],
};

async function load(): Promise<Record<string, Record<string, string>>> {
  try {
    return JSON.parse(await readFile(configPath(), 'utf8')) as Record<string, Record<string, string>>;
  } catch {
    return {};
  }
}

/** `mediaferry config set <service> <field> <value>`: written atomically, readable by you only (0600). */
export async function configSet(
  service: string,
  field: string,
  value: string,
  command: Command,
): Promise<void> {
  const fields = FIELDS[service];
  if (!fields)
    throw new UsageError(`unknown service ${service}`, `one of: ${Object.keys(FIELDS).join(', ')}`);
  if (!fields.includes(field))
    throw new UsageError(`${service} has no field ${field}`, `fields: ${fields.join(', ')}`);
  const config = await load();
  config[service] = { ...config[service], [field]: value };
  const path = configPath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  info(outputOf(command), `${service}.${field} saved in ${path}`);
}

/** `mediaferry config show`: the config with every value but URLs hidden. */
export async function configShow(command: Command): Promise<void> {
  const config = await load();
  const shown = Object.fromEntries(
    Object.entries(config).map(([service, fields]) => [
      service,
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k === 'url' ? v : '[REDACTED]'])),
    ]),
  );
  if (outputOf(command).json) return printJson({ path: configPath(), config: shown });
  info(outputOf(command), `${configPath()}\n${JSON.stringify(shown, null, 2)}`);
}

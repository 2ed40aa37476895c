import type { Command } from 'commander';
import { configPath, readConfig, updateConfig } from '../config-file.js';
import { CREDENTIALS, isServiceName } from '../credentials.js';
import { UsageError } from '../errors.js';
import { info, outputOf, printJson } from '../output.js';
import { ask, closePrompts } from '../prompt.js';

/** Fields each service reads from the config file (its credential fields, and `url`). */
function fieldsOf(service: string): readonly string[] | undefined {
  return isServiceName(service) ? [...CREDENTIALS[service].fields.map((f) => f.field), 'url'] : undefined;
}

/**
 * `mediaferry config set <service> <field> <value>`: written atomically, readable by you only (0600), every
 * other field kept. A value of `-` is read from standard input (hidden on a terminal), so a secret never
 * lands in the shell history or in `ps`.
 */
export async function configSet(
  service: string,
  field: string,
  value: string,
  command: Command,
): Promise<void> {
  const fields = fieldsOf(service);
  if (!fields)
    throw new UsageError(`unknown service ${service}`, `one of: ${Object.keys(CREDENTIALS).join(', ')}`);
  if (!fields.includes(field))
    throw new UsageError(`${service} has no field ${field}`, `fields: ${fields.join(', ')}`);
  let saved = value;
  if (value === '-') {
    try {
      saved = await ask(`${service} ${field}: `, { secret: field !== 'url', field: `${service} ${field}` });
    } finally {
      closePrompts();
    }
  }
  const path = await updateConfig(service, { [field]: saved });
  info(outputOf(command), `${service}.${field} saved in ${path}`);
}

/** `mediaferry config show`: the config with every value but URLs hidden. */
export async function configShow(command: Command): Promise<void> {
  const config = await readConfig();
  const shown = Object.fromEntries(
    Object.entries(config).map(([service, fields]) => [
      service,
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k === 'url' ? v : '[REDACTED]'])),
    ]),
  );
  if (outputOf(command).json) return printJson({ path: configPath(), config: shown });
  info(outputOf(command), `${configPath()}\n${JSON.stringify(shown, null, 2)}`);
}

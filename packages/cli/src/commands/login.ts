/**
 * `mediaferry login b2|gopro|biggo|mixcloud`: asks for the credentials (hidden on a terminal, one line each
 * from a pipe), proves them with one call to the service, and only then saves them in the config file
 * (0600), keeping everything else there.
 *
 * @module
 */
import type { Command } from 'commander';
import { updateConfig } from '../config-file.js';
import type { Connection } from '../connections.js';
import { CREDENTIALS, isServiceName } from '../credentials.js';
import { CliError, UsageError } from '../errors.js';
import { hintFor } from '../hints.js';
import { info, printJson } from '../output.js';
import { ask, closePrompts } from '../prompt.js';
import { withRuntime } from '../runtime.js';

/** What each field is called when asking for it. */
const QUESTIONS: Readonly<Record<string, string>> = {
  'b2.keyId': 'B2 application key ID: ',
  'b2.key': 'B2 application key (hidden): ',
  'gopro.accessToken': 'GoPro access token, the gp_access_token cookie (hidden): ',
  'biggo.clientId': 'BigGo client ID: ',
  'biggo.clientSecret': 'BigGo client secret (hidden): ',
  'mixcloud.accessToken': 'Mixcloud access token (hidden): ',
};

export async function login(service: string, options: { url?: string }, command: Command): Promise<void> {
  if (!isServiceName(service))
    throw new UsageError(`unknown service ${service}`, `one of: ${Object.keys(CREDENTIALS).join(', ')}`);
  if (options.url !== undefined && !/^https?:\/\/[^/]/i.test(options.url))
    throw new UsageError(`--url must be an http(s) URL, got ${options.url}`);
  const table = CREDENTIALS[service];
  const values: Record<string, string> = {};
  try {
    for (const field of table.fields)
      values[field.field] = await ask(
        QUESTIONS[`${service}.${field.field}`] ?? `${service} ${field.field}: `,
        {
          secret: field.secret,
          field: `${service} ${field.field}`,
        },
      );
  } finally {
    closePrompts();
  }
  await withRuntime(command, async (runtime) => {
    const baseUrl = options.url ?? process.env[table.urlEnv] ?? undefined;
    const connection: Connection = {
      service,
      mode: 'remote',
      baseUrl: baseUrl || undefined,
      credentials: values,
      origin: 'what you typed',
    };
    const { verifyCredentials } = await import('../services/verify.js');
    let who: string;
    try {
      who = await verifyCredentials(service, connection, runtime);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new CliError(
        `${service} did not accept these credentials, so nothing was saved: ${message}`,
        hintFor(error)?.replace(/\(the credentials came from what you typed\)/, '(as typed)'),
      );
    }
    const path = await updateConfig(service, { ...values, ...(options.url ? { url: options.url } : {}) });
    if (runtime.output.json) return printJson({ service, verified: who, saved: path });
    info(
      runtime.output,
      `${service}: credentials accepted (${who}); saved in ${path} (readable by you only)`,
    );
  });
}

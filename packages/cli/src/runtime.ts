import { setMaxListeners } from 'node:events';
import { consoleLogger } from '@mediaferry/core';
import type { Command } from 'commander';
import { type ConnectionFlags, closeEmbeddedIfOpen, resolveConnection } from './connections.js';
import { CREDENTIALS, flagKey, isServiceName, prefixedFlag } from './credentials.js';
import { maxStateOf } from './embedded-limits.js';
import { outputOf } from './output.js';
import { loadService } from './services/registry.js';
import type { Runtime } from './services/types.js';

interface GlobalFlags {
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  emulator?: boolean;
  maxState?: string;
}

/**
 * Runs a command body with a runtime: Ctrl+C aborts the signal (in-flight transfers clean up and the command
 * reports what finished), embedded emulators are saved on the way out.
 */
export async function withRuntime<T>(command: Command, body: (runtime: Runtime) => Promise<T>): Promise<T> {
  const output = outputOf(command);
  const controller = new AbortController();
  // One signal for the whole command: every transfer in flight listens on it (-j 8 is well over Node's
  // default warning threshold of 10 listeners), which is the design, not a leak.
  setMaxListeners(0, controller.signal);
  const interrupt = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const runtime: Runtime = {
    output,
    // Clients redact what they log; the CLI only decides whether to log at all.
    logger: output.verbose ? consoleLogger('mediaferry') : undefined,
    signal: controller.signal,
  };
  try {
    return await body(runtime);
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await closeEmbeddedIfOpen();
  }
}

/**
 * Credentials given as flags: `--b2-key-id` on any command, `--key-id` on the service's own commands
 * (`mediaferry b2 buckets --key-id …`).
 */
function credentialFlags(
  name: string,
  command: Command,
  options: Record<string, unknown>,
): Record<string, string | undefined> {
  if (!isServiceName(name)) return {};
  const own = command.parent?.name() === name;
  const values: Record<string, string | undefined> = {};
  for (const credential of CREDENTIALS[name].fields) {
    const value =
      options[flagKey(prefixedFlag(name, credential))] ??
      (own ? options[flagKey(credential.flag)] : undefined);
    if (typeof value === 'string' && value !== '') values[credential.field] = value;
  }
  return values;
}

/** Resolves a service's module and connection from the command's flags. */
export async function connect(
  name: string,
  command: Command,
  runtime: Runtime,
  credentials: ConnectionFlags['credentials'] = {},
) {
  const module = await loadService(name);
  const options = command.optsWithGlobals<GlobalFlags & Record<string, unknown>>();
  const fromFlags = { ...credentialFlags(name, command, options), ...credentials };
  const connection = await resolveConnection(
    module.credentials,
    {
      emulator: options.emulator ?? false,
      credentials: fromFlags,
      signal: runtime.signal,
      maxState: maxStateOf(options.maxState),
    },
    runtime.output,
  );
  return { module, connection };
}

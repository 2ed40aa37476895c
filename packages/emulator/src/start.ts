import { CONSOLE_PATH } from './console/index.js';
import { createEmulator, type Emulator, type RunningServer } from './framework/index.js';
import { services as registry } from './services.js';
import { probeService } from './testkit/probe.js';

/** Services that only start when named: test helpers, not clouds. */
const onRequest: typeof registry = { probe: probeService };

export interface StartOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** First port; services take consecutive ports in registry order. 0 (default) picks free ports. */
  readonly port?: number;
  /** Persist state under this directory. */
  readonly data?: string;
  /** Fixture to load when there is no persisted state. Default `demo`. */
  readonly seed?: string;
  /** Which services; default all. */
  readonly services?: readonly string[];
  readonly idSeed?: string;
  /** What the data directory's lock says holds it (`mediaferry emulator`), for whoever finds it taken. */
  readonly command?: string;
  /**
   * Option values by service, e.g. `{ mixcloud: { oauthErrorStatus: 401 } }`; text (`'401'`) is read as the
   * option's type. A bad name or value throws an `OptionError` (a RangeError) before anything listens.
   */
  readonly options?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface StartedEmulator {
  readonly name: string;
  readonly url: string;
  /** The service's web console. */
  readonly console: string;
  readonly credentials: Record<string, string>;
  /** Absolute URLs of the service's entry points (`api`, `token`, `authorize`…) and its control plane. */
  readonly endpoints: Record<string, string>;
  readonly emulator: Emulator;
}

export interface StartedEmulators {
  readonly emulators: StartedEmulator[];
  /** The console page that covers every started service (their states and one journal). */
  readonly index: string;
  close(): Promise<void>;
}

/** Starts the chosen emulators on real ports, as `mediaferry emulator` does. */
export async function startEmulators(options: StartOptions = {}): Promise<StartedEmulators> {
  const names = options.services ?? Object.keys(registry);
  const known = { ...registry, ...onRequest };
  const unknown = names.filter((name) => !known[name]);
  if (unknown.length > 0)
    throw new RangeError(`unknown service ${unknown.join(', ')}; known: ${Object.keys(known).join(', ')}`);
  if (names.length === 0) throw new RangeError('no services to start');
  const idle = Object.keys(options.options ?? {}).filter((name) => !names.includes(name));
  if (idle.length > 0)
    throw new RangeError(
      `options given for ${idle.join(', ')}, which is not started (started: ${names.join(', ')})`,
    );
  const started: Array<{
    name: string;
    emulator: Emulator;
    server: RunningServer;
    paths: Readonly<Record<string, string>>;
  }> = [];
  try {
    for (const [index, name] of names.entries()) {
      const definition = known[name]!;
      const seed = options.seed ?? (definition.seeds?.demo ? 'demo' : 'none');
      const emulator = createEmulator(definition, {
        seed: seed === 'demo' && !definition.seeds?.demo ? 'none' : seed,
        ...(options.data === undefined ? {} : { data: options.data }),
        ...(options.command === undefined ? {} : { lock: { command: options.command } }),
        ...(options.idSeed === undefined ? {} : { idSeed: options.idSeed }),
        ...(options.options?.[name] ? { options: options.options[name] } : {}),
      }) as Emulator;
      const port = options.port ? options.port + index : 0;
      const server = await emulator.listen({ host: options.host ?? '127.0.0.1', port });
      started.push({ name, emulator, server, paths: definition.endpoints ?? {} });
    }
  } catch (error) {
    await Promise.all(started.map((s) => s.emulator.close()));
    throw error;
  }
  const peers = started.map(({ name, emulator, server }) => ({
    name,
    url: server.url,
    host: emulator.consoleHost,
  }));
  for (const { emulator } of started) emulator.linkPeers(peers);
  return {
    emulators: started.map(({ name, emulator, server, paths }) => ({
      name,
      url: server.url,
      console: `${server.url}${CONSOLE_PATH}`,
      credentials: emulator.control.credentials(),
      endpoints: Object.fromEntries(
        Object.entries({ ...paths, control: '/__emulator/' }).map(([key, path]) => [
          key,
          new URL(path, server.url).toString(),
        ]),
      ),
      emulator,
    })),
    index: `${started[0]!.server.url}${CONSOLE_PATH}all`,
    close: async () => {
      await Promise.all(started.map((s) => s.emulator.close()));
    },
  };
}

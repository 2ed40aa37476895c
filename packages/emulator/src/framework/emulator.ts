import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { type ConsoleHost, mountConsole, type PeerLink } from '../console/index.js';
import { BlobStore, BlobTooLargeError } from './blobs.js';
import { EmulatorClock } from './clock.js';
import { checkFault, checkWireFault, endpointChecker } from './control-input.js';
import { type ControlPlane, createControlPlane, mountControlPlane } from './control-plane.js';
import { DataDir } from './data-dir.js';
import {
  type EmulatorApp,
  type EmulatorEnv,
  endpointWrapper,
  type ServiceContext,
  type ServiceDefinition,
} from './define.js';
import { HttpFailure } from './failure.js';
import { FaultList, type FaultSpec, type WireFaultSpec } from './faults.js';
import { IdGenerator } from './ids.js';
import { inProcessFetch } from './in-process-fetch.js';
import { Journal } from './journal.js';
import { localOnly } from './local-only.js';
import type { AcquireOptions } from './lock.js';
import { mountOptionRoutes, OptionsControl, validateOptions } from './options.js';
import type { PersistedState } from './persistence.js';
import { JournalRedactor } from './redact.js';
import { CLIENT_GONE, isClientGone, requestLog } from './request-log.js';
import { sendBlobDirectly } from './send-blob.js';
import type { NodeBindings } from './wire.js';

export interface EmulatorOptions<O> {
  /** Overrides of the service's default options (the spec's unverified points live here). */
  readonly options?: Partial<O>;
  /** Fixture to load at start: `none` (default) for an empty service, or a seed the service defines. */
  readonly seed?: string;
  /**
   * Directory that keeps state and blobs across restarts (`<data>/<service>/`, mode 0700). In memory when
   * absent. A write is durable before its response is sent; one process at a time holds the directory.
   */
  readonly data?: string;
  /** How to take the data directory's lock: by default, fail at once if another process holds it. */
  readonly lock?: AcquireOptions;
  /** Makes generated ids reproducible. */
  readonly idSeed?: string;
}

export interface ListenOptions {
  /** Default 127.0.0.1: an emulator is a local tool, never exposed by accident. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** One emulated service: an app to mount, a fetch to hand to a client, a control plane for tests. */
export interface Emulator<S = unknown, O = unknown> {
  readonly name: string;
  readonly app: EmulatorApp;
  /** A `fetch` that runs requests through the app in-process, failing the way a socket would. */
  readonly fetch: typeof fetch;
  readonly control: ControlPlane;
  readonly context: ServiceContext<S, O>;
  /** Settles once the seed or the persisted state is loaded; requests wait for it on their own. */
  readonly ready: Promise<void>;
  listen(options?: ListenOptions): Promise<RunningServer>;
  /** What the web console (`/__emulator/ui/`) reads of this emulator. */
  readonly consoleHost: ConsoleHost;
  /** Tells the console which emulators run beside this one (`mediaferry emulator` links all of them). */
  linkPeers(peers: readonly PeerLink[]): void;
  /** Stops listeners, writes pending state and gives up the data directory. */
  close(): Promise<void>;
}

const logLine = (service: string, message: string) => console.error(`[${service} emulator] ${message}`);

/** Creates an emulator for a service definition. */
export function createEmulator<S, O>(
  definition: ServiceDefinition<S, O>,
  options: EmulatorOptions<O> = {},
): Emulator<S, O> {
  const serviceOptions = {
    ...definition.defaultOptions,
    ...(definition.optionCatalog
      ? validateOptions(definition.name, definition.optionCatalog, options.options ?? {})
      : options.options),
  } as O;
  const optionsControl = new OptionsControl(definition.name, definition.optionCatalog, serviceOptions);
  const idSeed = options.idSeed ?? randomBytes(16).toString('hex');
  const clock = new EmulatorClock();
  const ids = new IdGenerator(idSeed);
  const serviceDir = options.data === undefined ? undefined : join(options.data, definition.name);
  const blobs = new BlobStore(ids, serviceDir === undefined ? undefined : join(serviceDir, 'blobs'));
  const dataDir = serviceDir === undefined ? undefined : new DataDir(serviceDir, blobs);
  const endpoints = new Set<string>();
  const endpointCheck = endpointChecker(() => endpoints);
  const faults = new FaultList<FaultSpec>((spec) => checkFault(spec, endpointCheck));
  const wireFaults = new FaultList<WireFaultSpec>((spec) => checkWireFault(spec, endpointCheck));
  const journal = new Journal();
  let state = definition.createState({ options: serviceOptions, ids, clock });
  let persistCalls = 0;
  let peers: readonly PeerLink[] = [];
  let boundHost: string | undefined;

  const save = (): PersistedState => ({
    version: 1,
    service: definition.name,
    idSeed: ids.seed,
    idCounter: ids.counter,
    clockOffsetMs: clock.offsetMs,
    state,
    blobs: blobs.records(),
  });
  /** Resolves once every change made so far is durable (at once without a data directory). */
  const commit = async () => {
    await dataDir?.state.commit(save);
  };
  const persist = () => {
    persistCalls += 1;
    commit().catch((error: unknown) =>
      logLine(definition.name, `could not save state: ${(error as Error).message}`),
    );
  };

  const context: ServiceContext<S, O> = {
    name: definition.name,
    options: serviceOptions,
    get state() {
      return state;
    },
    clock,
    blobs,
    ids,
    endpoint: endpointWrapper({ faults, wireFaults, endpoints, errorResponse: definition.errorResponse }),
    origin: (c) => new URL(c.req.url).origin,
    persist,
  };
  const redactor = new JournalRedactor(() => Object.values(definition.credentials?.(context) ?? {}));

  const reset = async () => {
    await blobs.clear();
    faults.clear();
    wireFaults.clear();
    journal.clear();
    state = definition.createState({ options: serviceOptions, ids, clock });
  };
  const checkSeed = (name: string) => {
    if (name !== 'none' && !definition.seeds?.[name]) {
      throw new RangeError(
        `${definition.name} has no seed named ${name} (known: none, ${Object.keys(definition.seeds ?? {}).join(', ')})`,
      );
    }
  };

  /** Drops the blobs a saved state no longer uses (an older version leaked them); a service that cannot tell keeps all. */
  const dropUnusedBlobs = (): number => {
    if (!definition.blobsInUse) return 0;
    let inUse: Iterable<string>;
    try {
      inUse = definition.blobsInUse(state);
    } catch (error) {
      logLine(
        definition.name,
        `kept every blob: cannot tell which the saved state uses (${(error as Error).message})`,
      );
      return 0;
    }
    const dropped = blobs.dropUnused(inUse).length;
    if (dropped > 0)
      logLine(
        definition.name,
        `dropped ${dropped} blob${dropped === 1 ? '' : 's'} the saved state no longer uses`,
      );
    return dropped;
  };
  const load = async () => {
    const name = options.seed ?? 'none';
    checkSeed(name);
    if (dataDir) {
      const saved = await dataDir.open(options.lock);
      if (saved && saved.service === definition.name) {
        ids.restore(saved.idSeed, saved.idCounter);
        state = saved.state as S;
        blobs.restore(saved.blobs);
        await dataDir.sweep();
        const dropped = dropUnusedBlobs();
        const clockRestored = clock.restore(saved.clockOffsetMs);
        if (!clockRestored)
          logLine(definition.name, `ignored an invalid clock offset in ${dataDir.state.path}`);
        if (!clockRestored || dropped > 0) await commit();
        return;
      }
      await dataDir.sweep();
    }
    // The state is fresh: seeding must not reset, or it would drop faults a test armed before the first request.
    await definition.seeds?.[name]?.(context);
    await commit();
  };
  const ready = load();
  // Surface a failed load on the first request rather than as an unhandled rejection.
  ready.catch(() => {});

  const control = createControlPlane({
    faults,
    wireFaults,
    journal,
    clock,
    endpoints: () => [...endpoints].sort(),
    options: optionsControl,
    reset: async () => {
      await reset();
      await commit();
    },
    seed: async (name) => {
      checkSeed(name);
      await reset();
      await definition.seeds?.[name]?.(context);
      await commit();
    },
    seeds: () => ['none', ...Object.keys(definition.seeds ?? {})],
    commit,
    dump: () => ({ service: definition.name, clockOffsetMs: clock.offsetMs, state, blobs: blobs.records() }),
    credentials: () => definition.credentials?.(context) ?? {},
    ready,
  });

  const app: EmulatorApp = new Hono<EmulatorEnv>();
  app.use('*', async (_c, next) => {
    await ready;
    return next();
  });
  app.use(
    '/__emulator/*',
    localOnly(() => boundHost),
  );
  app.use('*', requestLog({ journal, clock, redactor }));
  // An answered write is durable: the state (and the blobs it references) are committed before it goes out.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/__emulator/')) return next();
    const before = persistCalls;
    await next();
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') {
      if (persistCalls === before) return;
    }
    try {
      await commit();
    } catch (error) {
      logLine(definition.name, `could not save state: ${(error as Error).message}`);
      c.res = await definition.errorResponse(
        { status: 500, code: 'internal_error', message: 'the emulator could not save its state' },
        c,
      );
    }
  });
  mountControlPlane(app, control);
  mountOptionRoutes(app, control.options);
  const fetch = inProcessFetch(app);
  const host: ConsoleHost = {
    name: definition.name,
    fetch,
    control,
    context,
    redactor,
    console: definition.console,
    peers: () => peers,
    commit,
  };
  mountConsole(app, host);
  definition.routes(app, context);
  app.notFound((c) =>
    definition.errorResponse(
      {
        status: 501,
        code: 'not_implemented',
        message: `the ${definition.name} emulator has no route for ${c.req.method} ${c.req.path}`,
      },
      c,
    ),
  );
  app.onError(async (error, c) => {
    if (error instanceof HttpFailure) {
      const response = await definition.errorResponse(error, c);
      for (const [key, value] of Object.entries(error.headers)) response.headers.set(key, value);
      return response;
    }
    if (error instanceof BlobTooLargeError) {
      return definition.errorResponse({ status: 413, code: 'too_large', message: error.message }, c);
    }
    if (isClientGone(error, c)) {
      c.set('clientGone', true);
      logLine(
        definition.name,
        `${c.req.method} ${c.req.path}: the client went away (${(error as Error).message})`,
      );
      return new Response(null, { status: CLIENT_GONE });
    }
    console.error(`[${definition.name} emulator] ${c.req.method} ${c.req.path} failed:`, error);
    return definition.errorResponse(
      { status: 500, code: 'internal_error', message: 'the emulator hit an internal error' },
      c,
    );
  });

  const servers = new Set<Server>();
  return {
    name: definition.name,
    app,
    fetch,
    control,
    context,
    ready,
    consoleHost: host,
    linkPeers(links) {
      peers = links;
    },
    async listen({ host = '127.0.0.1', port = 0 } = {}) {
      await ready;
      const server = createAdaptorServer({
        // The server is plain node:http (never HTTP/2), so its bindings are NodeBindings.
        fetch: async (request: Request, env: unknown) => {
          const bindings = env as NodeBindings;
          const response = await app.fetch(request, bindings);
          return sendBlobDirectly(response, bindings.outgoing) ?? response;
        },
        hostname: host,
        overrideGlobalObjects: false,
      }) as Server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      servers.add(server);
      boundHost = host.includes(':') ? `[${host}]` : host;
      const bound = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      const url = `http://${urlHost}:${bound}`;
      await dataDir?.advertise(url);
      return { url, port: bound, close: () => closeServer(server, servers) };
    },
    async close() {
      await Promise.all([...servers].map((server) => closeServer(server, servers)));
      const loaded = await ready.then(
        () => true,
        () => false,
      );
      if (loaded) await commit();
      await dataDir?.release();
    },
  };
}

function closeServer(server: Server, servers: Set<Server>): Promise<void> {
  servers.delete(server);
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

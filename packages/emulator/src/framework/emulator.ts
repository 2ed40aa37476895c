import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { BlobStore, BlobTooLargeError } from './blobs.js';
import { EmulatorClock } from './clock.js';
import { type ControlPlane, createControlPlane, mountControlPlane } from './control-plane.js';
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
import { mountOptionRoutes, OptionsControl, validateOptions } from './options.js';
import { type PersistedState, StateFile } from './persistence.js';
import { isResetResponse } from './wire.js';

export interface EmulatorOptions<O> {
  /** Overrides of the service's default options (the spec's unverified points live here). */
  readonly options?: Partial<O>;
  /** Fixture to load at start: `none` (default) for an empty service, or a seed the service defines. */
  readonly seed?: string;
  /** Directory that keeps state and blobs across restarts (`<data>/<service>/`). In memory when absent. */
  readonly data?: string;
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
  /** Stops listeners and writes pending state. */
  close(): Promise<void>;
}

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
  const stateFile = serviceDir === undefined ? undefined : new StateFile(join(serviceDir, 'state.json'));
  const blobs = new BlobStore(ids, serviceDir === undefined ? undefined : join(serviceDir, 'blobs'));
  const faults = new FaultList<FaultSpec>();
  const wireFaults = new FaultList<WireFaultSpec>();
  const journal = new Journal();
  let state = definition.createState({ options: serviceOptions, ids, clock });

  const save = (): PersistedState => ({
    version: 1,
    service: definition.name,
    idSeed: ids.seed,
    idCounter: ids.counter,
    clockOffsetMs: clock.offsetMs,
    state,
    blobs: blobs.records(),
  });
  const persist = () => stateFile?.schedule(save);

  const context: ServiceContext<S, O> = {
    name: definition.name,
    options: serviceOptions,
    get state() {
      return state;
    },
    clock,
    blobs,
    ids,
    endpoint: endpointWrapper({ faults, wireFaults, errorResponse: definition.errorResponse }),
    origin: (c) => new URL(c.req.url).origin,
    persist,
  };

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
  const seed = async (name: string) => {
    checkSeed(name);
    await reset();
    await definition.seeds?.[name]?.(context);
    persist();
  };

  const load = async () => {
    const saved = await stateFile?.read();
    if (saved && saved.service === definition.name) {
      ids.restore(saved.idSeed, saved.idCounter);
      clock.advance(Math.max(0, saved.clockOffsetMs - clock.offsetMs));
      state = saved.state as S;
      blobs.restore(saved.blobs);
      return;
    }
    // The state is fresh: seeding must not reset, or it would drop faults a test armed before the first request.
    const name = options.seed ?? 'none';
    checkSeed(name);
    await definition.seeds?.[name]?.(context);
    if (name !== 'none') persist();
  };
  const ready = load();
  // Surface a failed load on the first request rather than as an unhandled rejection.
  ready.catch(() => {});

  const control = createControlPlane({
    faults,
    wireFaults,
    journal,
    clock,
    options: optionsControl,
    reset: async () => {
      await reset();
      persist();
    },
    seed,
    seeds: () => ['none', ...Object.keys(definition.seeds ?? {})],
    dump: () => ({ service: definition.name, clockOffsetMs: clock.offsetMs, state, blobs: blobs.records() }),
    credentials: () => definition.credentials?.(context) ?? {},
    ready,
  });

  const app: EmulatorApp = new Hono<EmulatorEnv>();
  app.use('*', async (c, next) => {
    await ready;
    if (c.req.path.startsWith('/__emulator/')) return next();
    await next();
    const response = c.res;
    journal.record({
      at: new Date(clock.now()).toISOString(),
      method: c.req.method,
      endpoint: c.get('endpoint') ?? 'unknown',
      path: c.req.path,
      status: isResetResponse(response) ? 0 : response.status,
      fault: c.get('fault') ?? null,
    });
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') persist();
  });
  mountControlPlane(app, control);
  mountOptionRoutes(app, control.options);
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
    fetch: inProcessFetch(app),
    control,
    context,
    ready,
    async listen({ host = '127.0.0.1', port = 0 } = {}) {
      await ready;
      const server = createAdaptorServer({
        fetch: app.fetch,
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
      const bound = (server.address() as AddressInfo).port;
      const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      return {
        url: `http://${urlHost}:${bound}`,
        port: bound,
        close: () => closeServer(server, servers),
      };
    },
    async close() {
      await Promise.all([...servers].map((server) => closeServer(server, servers)));
      await stateFile?.flush(save);
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

import type { Context, Handler, Hono } from 'hono';
import type { BlobStore } from './blobs.js';
import type { EmulatorClock } from './clock.js';
import type { ErrorSpec } from './failure.js';
import { defaultCodeFor, type FaultList, type FaultSpec, type WireFaultSpec } from './faults.js';
import type { IdGenerator } from './ids.js';
import type { ServiceConsole } from './inspect.js';
import type { OptionCatalog } from './options.js';
import type { RequestBody } from './request-body.js';
import { cutResponseBody, type NodeBindings, readRequestPrefix, resetConnection, stall } from './wire.js';

/** Hono environment shared by every emulated service. */
export interface EmulatorEnv {
  Bindings: NodeBindings;
  Variables: {
    /** Name of the endpoint that handled the request (journal key and fault target). */
    endpoint: string;
    /** What was injected, in the order it acted (`stall+injected`), or null. */
    fault: string | null;
    /** Set when the request failed only because the client went away. */
    clientGone: boolean;
    /** The body of a request that came over a socket (see {@link requestChunks}); unset in-process. */
    requestBody: RequestBody | undefined;
  };
}

export type EmulatorApp = Hono<EmulatorEnv>;
export type EmulatorContext = Context<EmulatorEnv>;

/** What a service's seed, routes and credentials see of the running emulator. */
export interface ServiceContext<S, O> {
  readonly name: string;
  readonly options: O;
  /** Current state; replaced as a whole on reset and seed, so read it through the context every time. */
  readonly state: S;
  readonly clock: EmulatorClock;
  readonly blobs: BlobStore;
  readonly ids: IdGenerator;
  /**
   * Wraps a route: names it (journal, fault target) and applies armed HTTP and wire faults before, and
   * body cuts after, the handler.
   */
  endpoint<P extends string = string>(
    name: string,
    handler: Handler<EmulatorEnv, P>,
  ): Handler<EmulatorEnv, P>;
  /** The origin the client used to reach the emulator, for URLs the service hands out. */
  origin(c: Context): string;
  /** Asks for the state to be saved (automatic after every non-GET request). */
  persist(): void;
}

/** Everything that makes one emulated service; pass it to `createEmulator`. */
export interface ServiceDefinition<S, O> {
  readonly name: string;
  readonly defaultOptions: O;
  /**
   * What each option means (type, default, spec reference): makes the options settable from outside
   * (`mediaferry emulator --option`, `/__emulator/options`) and validated.
   */
  readonly optionCatalog?: OptionCatalog<O>;
  /** A fresh, empty state: plain JSON-serialisable data, persisted between runs when a data dir is set. */
  createState(ctx: { options: O; ids: IdGenerator; clock: EmulatorClock }): S;
  /**
   * The ids of the blobs a state uses (a composed blob's parts come with it; extra strings do no harm):
   * when a saved state is loaded, every other blob is dropped, such as bytes an older version leaked.
   * `blobIdsIn` fits a state that keeps each blob id as is. Without it, the store keeps whatever it holds.
   */
  blobsInUse?(state: S): Iterable<string>;
  /** Named fixtures (`demo` is what `mediaferry emulator` loads by default). */
  readonly seeds?: Readonly<Record<string, (ctx: ServiceContext<S, O>) => void | Promise<void>>>;
  /** Credentials a user of the running emulator needs, printed by the CLI and served by the control plane. */
  credentials?(ctx: ServiceContext<S, O>): Record<string, string>;
  /**
   * Paths a client starts from (API root, token and authorize endpoints…), by name. The CLI prints them as
   * absolute URLs, so a script can drive the service (an OAuth flow, say) without reading our source.
   */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Renders an error in this service's own wire format. */
  errorResponse(error: ErrorSpec, c: EmulatorContext): Response | Promise<Response>;
  routes(app: EmulatorApp, ctx: ServiceContext<S, O>): void;
  /** What the web console shows of the state, and what it may do to it (download, delete, hide…). */
  readonly console?: ServiceConsole<S, O>;
}

/** Identity helper that gives a service definition its types. */
export function defineService<S, O>(definition: ServiceDefinition<S, O>): ServiceDefinition<S, O> {
  return definition;
}

/** The fault machinery `ctx.endpoint` needs from the emulator. */
export interface FaultHooks {
  readonly faults: FaultList<FaultSpec>;
  readonly wireFaults: FaultList<WireFaultSpec>;
  /** Filled with every endpoint name as routes are registered: what a fault may target. */
  readonly endpoints: Set<string>;
  errorResponse(error: ErrorSpec, c: EmulatorContext): Response | Promise<Response>;
}

/**
 * Builds `ctx.endpoint` for one emulator. When an HTTP fault and a wire fault are armed on the same
 * endpoint, both act on the same request, in this order:
 * 1. a `stall` holds the request, then the HTTP fault answers (journal: `stall+injected`);
 * 2. a reset before the response (`reset_before_response`, `reset_mid_request`) cuts the connection: no
 *    answer can reach the client, so the HTTP fault stays armed for the next matching request;
 * 3. the HTTP fault's answer is then cut by `reset_mid_body` / `truncate_body` (`injected+truncate_body`).
 */
export function endpointWrapper(hooks: FaultHooks) {
  return function endpoint<P extends string = string>(
    name: string,
    handler: Handler<EmulatorEnv, P>,
  ): Handler<EmulatorEnv, P> {
    hooks.endpoints.add(name);
    return async (c, next) => {
      c.set('endpoint', name);
      c.set('fault', null);
      const fired: string[] = [];
      const note = (fault: string) => {
        fired.push(fault);
        c.set('fault', fired.join('+'));
      };
      const method = c.req.method;
      const wire = hooks.wireFaults.take(name, method);
      switch (wire?.kind) {
        case 'stall':
          note(wire.kind);
          await stall(wire.ms ?? 30_000, c.req.raw.signal);
          break;
        case 'reset_before_response':
          note(wire.kind);
          return resetConnection(c.env);
        case 'reset_mid_request':
          note(wire.kind);
          await readRequestPrefix(c.req.raw, wire.afterBytes ?? 0);
          return resetConnection(c.env);
        default:
          break;
      }
      const injected = hooks.faults.take(name, method);
      let response: Response | undefined;
      if (injected) {
        note('injected');
        response = await renderFault(injected, c, hooks);
      } else {
        response = (await handler(c, next)) as Response | undefined;
      }
      if (wire && response && (wire.kind === 'reset_mid_body' || wire.kind === 'truncate_body')) {
        note(wire.kind);
        return cutResponseBody(response, wire, c.env);
      }
      return response as Response;
    };
  };
}

async function renderFault(fault: FaultSpec, c: EmulatorContext, hooks: FaultHooks): Promise<Response> {
  const response = await hooks.errorResponse(
    {
      status: fault.status,
      code: fault.code ?? defaultCodeFor(fault.status),
      message: fault.message ?? 'injected fault',
    },
    c,
  );
  const headers = new Headers(response.headers);
  if (fault.retryAfter !== undefined) headers.set('retry-after', String(fault.retryAfter));
  for (const [key, value] of Object.entries(fault.headers ?? {})) headers.set(key, value);
  // Drain a request body the route never read, so a client streaming it sees a normal response.
  await c.req.raw.body?.cancel().catch(() => {});
  return new Response(response.body, { status: response.status, headers });
}

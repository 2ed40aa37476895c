import type { Context, Handler, Hono } from 'hono';
import type { BlobStore } from './blobs.js';
import type { EmulatorClock } from './clock.js';
import type { ErrorSpec } from './failure.js';
import { defaultCodeFor, type FaultList, type FaultSpec, type WireFaultSpec } from './faults.js';
import type { IdGenerator } from './ids.js';
import type { OptionCatalog } from './options.js';
import { cutResponseBody, type NodeBindings, readRequestPrefix, resetConnection, stall } from './wire.js';

/** Hono environment shared by every emulated service. */
export interface EmulatorEnv {
  Bindings: NodeBindings;
  Variables: {
    /** Name of the endpoint that handled the request (journal key and fault target). */
    endpoint: string;
    /** `injected`, a wire fault kind, or null. */
    fault: string | null;
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
}

/** Identity helper that gives a service definition its types. */
export function defineService<S, O>(definition: ServiceDefinition<S, O>): ServiceDefinition<S, O> {
  return definition;
}

/** The fault machinery `ctx.endpoint` needs from the emulator. */
export interface FaultHooks {
  readonly faults: FaultList<FaultSpec>;
  readonly wireFaults: FaultList<WireFaultSpec>;
  errorResponse(error: ErrorSpec, c: EmulatorContext): Response | Promise<Response>;
}

/** Builds `ctx.endpoint` for one emulator. */
export function endpointWrapper(hooks: FaultHooks) {
  return function endpoint<P extends string = string>(
    name: string,
    handler: Handler<EmulatorEnv, P>,
  ): Handler<EmulatorEnv, P> {
    return async (c, next) => {
      c.set('endpoint', name);
      c.set('fault', null);
      const method = c.req.method;
      const wire = hooks.wireFaults.take(name, method);
      if (wire) {
        c.set('fault', wire.kind);
        switch (wire.kind) {
          case 'stall':
            await stall(wire.ms ?? 30_000, c.req.raw.signal);
            break;
          case 'reset_before_response':
            return resetConnection(c.env);
          case 'reset_mid_request':
            await readRequestPrefix(c.req.raw, wire.afterBytes ?? 0);
            return resetConnection(c.env);
          default:
            break;
        }
      }
      const injected = hooks.faults.take(name, method);
      if (injected) {
        c.set('fault', 'injected');
        return renderFault(injected, c, hooks);
      }
      const response = (await handler(c, next)) as Response | undefined;
      if (!response) return response as unknown as Response;
      if (wire && (wire.kind === 'reset_mid_body' || wire.kind === 'truncate_body'))
        return cutResponseBody(response, wire, c.env);
      return response;
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

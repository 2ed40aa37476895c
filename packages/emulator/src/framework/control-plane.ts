import type { Context } from 'hono';
import type { EmulatorClock } from './clock.js';
import type { EmulatorApp } from './define.js';
import { type FaultList, type FaultSpec, WIRE_FAULT_KINDS, type WireFaultSpec } from './faults.js';
import type { Journal } from './journal.js';
import type { OptionsControl } from './options.js';

/** What tests (in-process) and tools (over HTTP, under `/__emulator/`) use to steer an emulator. */
export interface ControlPlane {
  /** Armed HTTP faults: `add({ on, status, code?, message?, count?, skip?, retryAfter?, method?, headers? })`. */
  readonly faults: FaultList<FaultSpec>;
  /** Armed connection faults: `add({ on, kind, ms?, afterBytes?, count?, skip?, method? })`. */
  readonly wireFaults: FaultList<WireFaultSpec>;
  readonly journal: Journal;
  readonly clock: EmulatorClock;
  /** The service's options: listed with metadata, changed at run time (`/__emulator/options`). */
  readonly options: OptionsControl;
  /** Drops every armed fault of both kinds. */
  clearFaults(): void;
  /** Empties the service (state, blobs, faults, journal); the clock keeps its offset. */
  reset(): Promise<void>;
  /** Resets, then loads a named fixture. */
  seed(name: string): Promise<void>;
  seeds(): string[];
  /** The whole state, for debugging and snapshot tests. */
  dump(): unknown;
  credentials(): Record<string, string>;
}

interface ControlParts {
  faults: FaultList<FaultSpec>;
  wireFaults: FaultList<WireFaultSpec>;
  journal: Journal;
  clock: EmulatorClock;
  options: OptionsControl;
  reset(): Promise<void>;
  seed(name: string): Promise<void>;
  seeds(): string[];
  dump(): unknown;
  credentials(): Record<string, string>;
  ready: Promise<void>;
}

export function createControlPlane(parts: ControlParts): ControlPlane {
  return {
    faults: parts.faults,
    wireFaults: parts.wireFaults,
    journal: parts.journal,
    clock: parts.clock,
    options: parts.options,
    clearFaults() {
      parts.faults.clear();
      parts.wireFaults.clear();
    },
    async reset() {
      await parts.ready.catch(() => {});
      await parts.reset();
    },
    async seed(name) {
      await parts.ready.catch(() => {});
      await parts.seed(name);
    },
    seeds: parts.seeds,
    dump: parts.dump,
    credentials: parts.credentials,
  };
}

class ControlInputError extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function field<T>(
  body: Record<string, unknown>,
  name: string,
  type: 'string' | 'number',
  required = false,
): T | undefined {
  const value = body[name];
  if (value === undefined) {
    if (required) throw new ControlInputError(`${name} is required`);
    return undefined;
  }
  if (typeof value !== type) throw new ControlInputError(`${name} must be a ${type}`);
  return value as T;
}

function faultFrom(body: unknown): FaultSpec {
  if (!isRecord(body)) throw new ControlInputError('body must be a JSON object');
  const status = field<number>(body, 'status', 'number', true) as number;
  if (!Number.isInteger(status) || status < 100 || status > 599)
    throw new ControlInputError('status must be an HTTP status (100-599)');
  const retryAfter = body.retryAfter;
  if (retryAfter !== undefined && typeof retryAfter !== 'number' && typeof retryAfter !== 'string') {
    throw new ControlInputError('retryAfter must be seconds or an HTTP-date string');
  }
  const headers = body.headers;
  if (
    headers !== undefined &&
    (!isRecord(headers) || Object.values(headers).some((v) => typeof v !== 'string'))
  ) {
    throw new ControlInputError('headers must map names to strings');
  }
  return compact({
    on: field<string>(body, 'on', 'string', true) as string,
    status,
    code: field<string>(body, 'code', 'string'),
    message: field<string>(body, 'message', 'string'),
    count: field<number>(body, 'count', 'number'),
    skip: field<number>(body, 'skip', 'number'),
    retryAfter: retryAfter as number | string | undefined,
    method: field<string>(body, 'method', 'string'),
    headers: headers as Record<string, string> | undefined,
  }) as unknown as FaultSpec;
}

function wireFaultFrom(body: unknown): WireFaultSpec {
  if (!isRecord(body)) throw new ControlInputError('body must be a JSON object');
  const kind = field<string>(body, 'kind', 'string', true) as string;
  if (!(WIRE_FAULT_KINDS as readonly string[]).includes(kind))
    throw new ControlInputError(`kind must be one of ${WIRE_FAULT_KINDS.join(', ')}`);
  return compact({
    on: field<string>(body, 'on', 'string', true) as string,
    kind,
    ms: field<number>(body, 'ms', 'number'),
    afterBytes: field<number>(body, 'afterBytes', 'number'),
    count: field<number>(body, 'count', 'number'),
    skip: field<number>(body, 'skip', 'number'),
    method: field<string>(body, 'method', 'string'),
  }) as unknown as WireFaultSpec;
}

function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ControlInputError('body is not valid JSON');
  }
}

/** Serves the control plane under `/__emulator/`. It needs no auth: the emulator listens on loopback. */
export function mountControlPlane(app: EmulatorApp, control: ControlPlane): void {
  const base = '/__emulator';
  const guarded =
    (handler: (c: Context) => Promise<Response> | Response) =>
    async (c: Context): Promise<Response> => {
      try {
        return await handler(c);
      } catch (error) {
        if (error instanceof ControlInputError || error instanceof RangeError)
          return c.json({ error: error.message }, 400);
        throw error;
      }
    };

  app.get(`${base}/health`, (c) => c.json({ ok: true }));
  app.get(`${base}/faults`, (c) => c.json({ faults: control.faults.list() }));
  app.post(
    `${base}/faults`,
    guarded(async (c) => c.json(control.faults.add(faultFrom(await jsonBody(c))), 201)),
  );
  app.delete(`${base}/faults`, (c) => {
    control.faults.clear();
    return c.body(null, 204);
  });
  app.delete(`${base}/faults/:id`, (c) =>
    control.faults.remove(Number(c.req.param('id')))
      ? c.body(null, 204)
      : c.json({ error: 'no such fault' }, 404),
  );
  app.get(`${base}/wire-faults`, (c) => c.json({ faults: control.wireFaults.list() }));
  app.post(
    `${base}/wire-faults`,
    guarded(async (c) => c.json(control.wireFaults.add(wireFaultFrom(await jsonBody(c))), 201)),
  );
  app.delete(`${base}/wire-faults`, (c) => {
    control.wireFaults.clear();
    return c.body(null, 204);
  });
  app.delete(`${base}/wire-faults/:id`, (c) =>
    control.wireFaults.remove(Number(c.req.param('id')))
      ? c.body(null, 204)
      : c.json({ error: 'no such fault' }, 404),
  );
  app.get(
    `${base}/journal`,
    guarded((c) => {
      const endpoint = c.req.query('endpoint');
      const sinceText = c.req.query('since');
      const since = sinceText === undefined ? undefined : Number(sinceText);
      if (since !== undefined && !Number.isInteger(since))
        throw new ControlInputError('since must be an integer sequence number');
      return c.json({
        entries: control.journal.entries(
          compact({ endpoint, since }) as { endpoint?: string; since?: number },
        ),
      });
    }),
  );
  app.delete(`${base}/journal`, (c) => {
    control.journal.clear();
    return c.body(null, 204);
  });
  const clockView = () => {
    const now = control.clock.now();
    return { now, iso: new Date(now).toISOString(), offsetMs: control.clock.offsetMs };
  };
  app.get(`${base}/clock`, (c) => c.json(clockView()));
  app.post(
    `${base}/clock`,
    guarded(async (c) => {
      const body = await jsonBody(c);
      if (!isRecord(body)) throw new ControlInputError('body must be a JSON object');
      control.clock.advance(field<number>(body, 'advanceMs', 'number', true) as number);
      return c.json(clockView());
    }),
  );
  app.post(`${base}/reset`, async (c) => {
    await control.reset();
    return c.body(null, 204);
  });
  app.post(
    `${base}/seed`,
    guarded(async (c) => {
      const body = await jsonBody(c);
      if (!isRecord(body)) throw new ControlInputError('body must be a JSON object');
      const name = field<string>(body, 'name', 'string', true) as string;
      if (!control.seeds().includes(name))
        throw new ControlInputError(`unknown seed ${name}; known: ${control.seeds().join(', ')}`);
      await control.seed(name);
      return c.body(null, 204);
    }),
  );
  app.get(`${base}/state`, (c) => c.json(control.dump() as object));
  app.get(`${base}/credentials`, (c) => c.json(control.credentials()));
}

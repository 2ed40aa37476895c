import type { Context } from 'hono';
import type { EmulatorClock } from './clock.js';
import { ControlInputError, integer, onlyKnown, requireObject, text } from './control-input.js';
import type { EmulatorApp } from './define.js';
import type { FaultList, FaultSpec, WireFaultSpec } from './faults.js';
import type { Journal, JournalFilter } from './journal.js';
import type { OptionsControl } from './options.js';

/** What tests (in-process) and tools (over HTTP, under `/__emulator/`) use to steer an emulator. */
export interface ControlPlane {
  /** Armed HTTP faults: `add({ on, status, code?, message?, count?, skip?, retryAfter?, method?, headers? })`. */
  readonly faults: FaultList<FaultSpec>;
  /** Armed connection faults: `add({ on, kind, ms?, afterBytes?, count?, skip?, method? })`. */
  readonly wireFaults: FaultList<WireFaultSpec>;
  readonly journal: Journal;
  readonly clock: EmulatorClock;
  /** The endpoint names faults can target (the journal's `endpoint` values). */
  endpoints(): string[];
  /** The service's options: listed with metadata, changed at run time (`/__emulator/options`). */
  readonly options: OptionsControl;
  /** Drops every armed fault of both kinds. */
  clearFaults(): void;
  /** Empties the service (state, blobs, faults, journal); the clock keeps its offset. */
  reset(): Promise<void>;
  /** Resets, then loads a named fixture; an unknown name changes nothing. */
  seed(name: string): Promise<void>;
  seeds(): string[];
  /** Moves the virtual clock forward (validated first: a refused value changes nothing) and saves it. */
  advanceClock(ms: number): Promise<void>;
  /** The whole state, for debugging and snapshot tests. */
  dump(): unknown;
  credentials(): Record<string, string>;
}

interface ControlParts {
  faults: FaultList<FaultSpec>;
  wireFaults: FaultList<WireFaultSpec>;
  journal: Journal;
  clock: EmulatorClock;
  endpoints(): string[];
  options: OptionsControl;
  reset(): Promise<void>;
  seed(name: string): Promise<void>;
  seeds(): string[];
  /** Makes the current state durable (a no-op in memory). */
  commit(): Promise<void>;
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
    endpoints: parts.endpoints,
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
      if (!parts.seeds().includes(name))
        throw new ControlInputError(`unknown seed ${name}; known: ${parts.seeds().join(', ')}`);
      await parts.ready.catch(() => {});
      await parts.seed(name);
    },
    seeds: parts.seeds,
    async advanceClock(ms) {
      parts.clock.advance(ms);
      await parts.commit();
    },
    dump: parts.dump,
    credentials: parts.credentials,
  };
}

/** Control-plane bodies are small JSON objects; anything bigger is a mistake, refused before it is read. */
const MAX_BODY = 64 * 1024;

async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY) throw new ControlInputError(`body must be at most ${MAX_BODY} bytes`);
  const body = await c.req.text();
  if (body.length > MAX_BODY) throw new ControlInputError(`body must be at most ${MAX_BODY} bytes`);
  if (body === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ControlInputError('body is not valid JSON');
  }
  return requireObject(parsed);
}

/** Reads the journal filter of a query (`endpoint`, `status` like `503` or `5xx`, `since`). */
export function journalFilter(c: Context): JournalFilter {
  const query = c.req.query();
  onlyKnown(query, ['endpoint', 'status', 'since', 'service']);
  const since = query.since === undefined ? undefined : Number(query.since);
  if (since !== undefined && !Number.isSafeInteger(since))
    throw new ControlInputError('since must be an integer sequence number');
  if (query.status !== undefined && query.status !== '' && !/^([1-5]xx|[1-5][0-9]{2})$/i.test(query.status))
    throw new ControlInputError('status must be a status (503) or a class (5xx)');
  return {
    ...(query.endpoint ? { endpoint: query.endpoint } : {}),
    ...(query.status ? { status: query.status.toLowerCase() } : {}),
    ...(since === undefined ? {} : { since }),
  };
}

/** Turns a refused input into 400 with its reason; anything else is the emulator's own failure. */
export const guarded =
  (handler: (c: Context) => Promise<Response> | Response) =>
  async (c: Context): Promise<Response> => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof RangeError) return c.json({ error: error.message }, 400);
      throw error;
    }
  };

/** Serves the control plane under `/__emulator/`. It needs no auth: it answers on loopback only. */
export function mountControlPlane(app: EmulatorApp, control: ControlPlane): void {
  const base = '/__emulator';

  app.get(`${base}/health`, (c) => c.json({ ok: true }));
  app.get(`${base}/endpoints`, (c) => c.json({ endpoints: control.endpoints() }));
  app.get(`${base}/faults`, (c) => c.json({ faults: control.faults.list() }));
  app.post(
    `${base}/faults`,
    guarded(async (c) => c.json(control.faults.addFrom(await jsonBody(c)), 201)),
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
    guarded(async (c) => c.json(control.wireFaults.addFrom(await jsonBody(c)), 201)),
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
    guarded((c) => c.json({ entries: control.journal.entries(journalFilter(c)) })),
  );
  app.get(
    `${base}/journal/:seq`,
    guarded((c) => {
      const seq = Number(c.req.param('seq'));
      if (!Number.isSafeInteger(seq)) throw new ControlInputError('seq must be an integer');
      const entry = control.journal.entries({ since: seq - 1 }).find((e) => e.seq === seq);
      if (!entry) return c.json({ error: 'no such journal entry' }, 404);
      return c.json({ entry, detail: control.journal.detail(seq) ?? null });
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
      onlyKnown(body, ['advanceMs']);
      const ms = body.advanceMs;
      // A number is the clock's to judge (whole, not negative, not past year 9999); anything else is refused here.
      if (typeof ms !== 'number') integer(body, 'advanceMs', { min: 0, max: 0, required: true });
      await control.advanceClock(ms as number);
      return c.json(clockView());
    }),
  );
  app.post(
    `${base}/reset`,
    guarded(async (c) => {
      const body = await jsonBody(c);
      onlyKnown(body, []);
      await control.reset();
      return c.body(null, 204);
    }),
  );
  app.post(
    `${base}/seed`,
    guarded(async (c) => {
      const body = await jsonBody(c);
      onlyKnown(body, ['name']);
      await control.seed(text(body, 'name', { required: true }) as string);
      return c.body(null, 204);
    }),
  );
  app.get(`${base}/state`, (c) => c.json(control.dump() as object));
  app.get(`${base}/credentials`, (c) => c.json(control.credentials()));
}

import type { Context } from 'hono';
import type { EmulatorApp } from '../framework/define.js';
import { CONSOLE_PATH, type ConsoleHost } from './host.js';
import { back } from './layout.js';
import { clockAmount } from './steer-page.js';

type FormReader = (c: Context) => Promise<Record<string, string | undefined>>;

/** Form fields as the control plane's JSON: numbers where numbers go, blanks left out. */
function specOf(
  form: Record<string, string | undefined>,
  numeric: readonly string[],
  fields: readonly string[],
) {
  const spec: Record<string, unknown> = {};
  for (const field of fields) {
    const value = form[field]?.trim();
    if (value === undefined || value === '') continue;
    spec[field] = numeric.includes(field) && /^-?\d+$/.test(value) ? Number(value) : value;
  }
  return spec;
}

/**
 * The steering forms: each runs the same validated control-plane operation as `/__emulator/…` and comes
 * back to the steering page with what happened (or why nothing did).
 */
export function steerForms(app: EmulatorApp, host: ConsoleHost, formOf: FormReader): void {
  const base = CONSOLE_PATH.slice(0, -1);
  const post = (path: string, run: (form: Record<string, string | undefined>) => Promise<string> | string) =>
    app.post(`${base}/${path}`, async (c) => {
      try {
        const done = await run(await formOf(c));
        return c.redirect(back('steer', { ok: done }), 303);
      } catch (error) {
        if (error instanceof RangeError) return c.redirect(back('steer', { error: error.message }), 303);
        throw error;
      }
    });

  post('faults', (form) => {
    const spec = specOf(
      form,
      ['status', 'count', 'skip', 'retryAfter'],
      ['on', 'status', 'count', 'skip', 'retryAfter', 'method', 'code', 'message'],
    );
    const { id } = host.control.faults.addFrom(spec);
    return `HTTP fault ${id} armed: ${String(spec.status)} on ${String(spec.on)}`;
  });
  post('wire-faults', (form) => {
    const spec = specOf(
      form,
      ['ms', 'afterBytes', 'count', 'skip'],
      ['on', 'kind', 'ms', 'afterBytes', 'count', 'skip', 'method'],
    );
    const { id } = host.control.wireFaults.addFrom(spec);
    return `wire fault ${id} armed: ${String(spec.kind)} on ${String(spec.on)}`;
  });
  for (const [path, list, label] of [
    ['faults', host.control.faults, 'HTTP fault'],
    ['wire-faults', host.control.wireFaults, 'wire fault'],
  ] as const)
    app.post(`${base}/${path}/:id/disarm`, (c) => {
      const id = Number(c.req.param('id'));
      const done = list.remove(id) ? { ok: `${label} ${id} disarmed` } : { error: `no ${label} ${id}` };
      return c.redirect(back('steer', done), 303);
    });
  post('faults/disarm-all', () => {
    host.control.clearFaults();
    return 'every fault disarmed';
  });
  post('clock', async (form) => {
    const ms = clockAmount(form.amount ?? '', form.unit ?? '');
    await host.control.advanceClock(ms);
    return `clock advanced by ${form.amount} ${form.unit}: now ${new Date(host.control.clock.now()).toISOString()}`;
  });
  post('reset', async () => {
    await host.control.reset();
    return `${host.name} reset`;
  });
  post('seed', async (form) => {
    await host.control.seed(form.name ?? '');
    return `seed ${form.name} loaded`;
  });
}

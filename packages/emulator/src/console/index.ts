/**
 * The web console, served by every emulator at `/__emulator/ui/`: the state of the service, a live journal
 * and the steering of faults, clock and seeds. Plain HTML rendered on the server (it works without
 * script), made live by one small typed script (`client/live.ts`); nothing is loaded from elsewhere.
 * Like the control plane, it answers on loopback only and refuses changes from other origins.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';
import { ControlInputError } from '../framework/control-input.js';
import { journalFilter } from '../framework/control-plane.js';
import type { EmulatorApp } from '../framework/define.js';
import { HttpFailure } from '../framework/failure.js';
import { ConsoleActionError } from '../framework/inspect.js';
import type { JournalFilter } from '../framework/journal.js';
import { serveBlob } from '../framework/serve-blob.js';
import { allPage } from './all-page.js';
import { detailPage } from './detail-page.js';
import { CONSOLE_PATH, type ConsoleHost } from './host.js';
import { journalSection } from './journal-page.js';
import { back, flashOf, type Html, page, type Tab } from './layout.js';
import { statePage } from './render.js';
import { steerForms } from './steer-forms.js';
import { steerPage } from './steer-page.js';
import { clientScript, eventStream } from './stream.js';
import { STYLE } from './style.js';

export type { ConsoleHost, PeerLink } from './host.js';
export { CONSOLE_PATH } from './host.js';

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b62c4"/><path d="M3 10h10l-2 3H5z" fill="#fff"/></svg>';

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

async function render(c: Context, host: ConsoleHost, tab: Tab, title: string, body: Html, status = 200) {
  const text = await page(host, tab, title, body, flashOf(new URL(c.req.url).searchParams));
  return c.html(text, status as 200, SECURITY_HEADERS);
}

/** Blob types a browser may show inline; everything else downloads, so an upload never runs as a page. */
const INLINE_IMAGES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

export function mountConsole(app: EmulatorApp, host: ConsoleHost): void {
  const base = CONSOLE_PATH.slice(0, -1);
  app.get(base, (c) => c.redirect(CONSOLE_PATH, 301));
  app.get(`${base}/style.css`, (c) =>
    c.body(STYLE, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
  );
  app.get(`${base}/favicon.svg`, (c) =>
    c.body(FAVICON, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'max-age=86400' }),
  );
  app.get(`${base}/live.js`, async (c) =>
    c.body(await clientScript(), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    }),
  );

  app.get(`${base}/`, async (c) => {
    const query = new URL(c.req.url).searchParams;
    const at = query.get('at') ?? '';
    const view = await host.console?.view(host.context, at, query);
    if (!view) {
      const body = host.console
        ? html`<h1>Not found</h1><p>${host.name} has no console page <code>${at}</code>. <a href="${CONSOLE_PATH}">Back to the overview</a>.</p>`
        : html`<h1>${host.name}</h1><p class="muted">This service describes no state view; its raw state is at <a href="/__emulator/state">/__emulator/state</a>.</p>`;
      return render(c, host, 'state', host.name, body, host.console ? 404 : 200);
    }
    return render(c, host, 'state', view.title, statePage(view, at));
  });

  /** A journal view, or the page saying which filter was refused. */
  const withFilter =
    (tab: Tab, title: string, body: (filter: JournalFilter & { service?: string }) => Html) =>
    async (c: Context) => {
      let filter: JournalFilter & { service?: string };
      try {
        const service = c.req.query('service');
        filter = { ...journalFilter(c), ...(service ? { service } : {}) };
      } catch (error) {
        const refused = html`<p class="flash bad">${(error as Error).message}</p>`;
        return render(c, host, tab, title, refused, 400);
      }
      return render(c, host, tab, title, body(filter));
    };

  app.get(
    `${base}/journal`,
    withFilter(
      'journal',
      'Journal',
      (filter) => html`<h1>Journal</h1>${journalSection(host, { all: false, filter }, 'journal')}`,
    ),
  );

  app.get(`${base}/journal/:seq`, async (c) => {
    const seq = Number(c.req.param('seq'));
    const entry = Number.isSafeInteger(seq)
      ? host.control.journal.entries({ since: seq - 1 }).find((e) => e.seq === seq)
      : undefined;
    if (!entry)
      return render(
        c,
        host,
        'journal',
        'Journal',
        html`<h1>No request ${c.req.param('seq')}</h1><p>It is not in the journal (any more).</p>`,
        404,
      );
    return render(
      c,
      host,
      'journal',
      `Request ${seq}`,
      detailPage(host, entry, host.control.journal.detail(seq)),
    );
  });

  app.get(`${base}/steer`, (c) => render(c, host, 'steer', 'Steering', steerPage(host)));

  app.get(
    `${base}/all`,
    withFilter('all', 'All services', (filter) => allPage(host, filter)),
  );

  app.get(`${base}/events`, (c) => eventStream(c, host));

  app.get(`${base}/blob/:id`, (c) => {
    const id = c.req.param('id');
    const name = c.req.query('name') ?? id;
    const extension = name.split('.').pop()?.toLowerCase() ?? '';
    const image = INLINE_IMAGES[extension];
    const safeName = name.replace(/["\\\r\n]/g, '_');
    return serveBlob(c, host.context.blobs, id, {
      contentType: image ?? 'application/octet-stream',
      headers: {
        'content-disposition':
          image && !c.req.query('name') ? 'inline' : `attachment; filename="${safeName}"`,
        'content-security-policy': 'sandbox',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
    });
  });

  app.post(`${base}/action`, async (c) => {
    const form = await formOf(c);
    const at = form.back ?? '';
    const action = host.console?.actions?.[form.action ?? ''];
    if (!action)
      return c.redirect(back('', { error: `no console action ${form.action ?? ''}` }, { at }), 303);
    try {
      const done = await action(host.context, form.target ?? '', host.fetch);
      await host.commit();
      return c.redirect(back('', { ok: done }, { at }), 303);
    } catch (error) {
      if (error instanceof ConsoleActionError || error instanceof HttpFailure || error instanceof RangeError)
        return c.redirect(back('', { error: error.message }, { at }), 303);
      throw error;
    }
  });

  steerForms(app, host, formOf);
}

/** The fields of a console form post (small, url-encoded). */
export async function formOf(c: Context): Promise<Record<string, string | undefined>> {
  if (Number(c.req.header('content-length') ?? 0) > 64 * 1024) throw new ControlInputError('form too large');
  const body = await c.req.parseBody();
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}

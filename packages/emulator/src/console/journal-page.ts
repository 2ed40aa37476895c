import { html } from 'hono/html';
import { type JournalEntry, type JournalFilter, matchesStatus } from '../framework/journal.js';
import { CONSOLE_PATH, type ConsoleHost } from './host.js';
import { type Html, href } from './layout.js';

/** How many entries a journal page starts with; the live stream adds to them. */
const SHOWN = 300;

/** A journal entry as the console lists it: which service, and where its detail page is. */
export interface ListedEntry extends JournalEntry {
  readonly service: string;
  readonly detail: string;
}

export function tone(status: number): string {
  if (status >= 200 && status < 300) return 'ok';
  if (status >= 300 && status < 400) return 'info';
  if (status >= 400 && status < 500 && status !== 499) return 'warn';
  return 'bad';
}

/**
 * The hosts a journal view covers: this one, or every peer (`all`). `url` prefixes links into a host's
 * console: empty for this one (links stay relative), its origin for the others; `origin` is always set
 * when known.
 */
export function journalHosts(
  host: ConsoleHost,
  all: boolean,
): Array<{ host: ConsoleHost; url: string; origin: string }> {
  const peers = host.peers();
  const self = peers.find((peer) => peer.host === host)?.url ?? '';
  if (!all || peers.length === 0) return [{ host, url: '', origin: self }];
  return peers.map((peer) => ({
    host: peer.host,
    url: peer.host === host ? '' : peer.url,
    origin: peer.url,
  }));
}

export function listed(service: string, url: string, entry: JournalEntry): ListedEntry {
  return { ...entry, service, detail: `${url}${CONSOLE_PATH}journal/${entry.seq}` };
}

interface JournalView {
  readonly all: boolean;
  readonly filter: JournalFilter & { service?: string };
}

function recent(host: ConsoleHost, view: JournalView): ListedEntry[] {
  const { service, ...filter } = view.filter;
  const entries = journalHosts(host, view.all)
    .filter((entry) => !service || entry.host.name === service)
    .flatMap((entry) =>
      entry.host.control.journal
        .entries(filter)
        .slice(-SHOWN)
        .map((e) => listed(entry.host.name, entry.url, e)),
    );
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.seq - a.seq)).slice(0, SHOWN);
}

/** `b2:12,gopro:3`: the last sequence number each service's page already shows. */
function sinceOf(host: ConsoleHost, all: boolean): string {
  return journalHosts(host, all)
    .map(({ host: h }) => `${h.name}:${h.control.journal.entries().at(-1)?.seq ?? 0}`)
    .join(',');
}

export function journalRow(entry: ListedEntry, withService: boolean): Html {
  return html`<tr data-service="${entry.service}" data-endpoint="${entry.endpoint}" data-status="${entry.status}">
<td class="num"><a href="${entry.detail}" aria-label="request ${entry.seq} details">${entry.seq}</a></td>
${withService ? html`<td>${entry.service}</td>` : ''}
<td class="hide-narrow"><time>${entry.at.slice(11, 23)}</time></td>
<td>${entry.method}</td><td>${entry.endpoint}</td><td class="mono hide-narrow">${entry.path}</td>
<td><span class="badge ${tone(entry.status)}">${entry.status === 0 ? 'reset' : entry.status}</span></td>
<td>${entry.fault ?? ''}</td><td class="num hide-narrow">${entry.ms ?? ''}</td></tr>`;
}

/** The journal table with its filters; `live.js` keeps it current over server-sent events. */
export function journalSection(host: ConsoleHost, view: JournalView, path: string): Html {
  const hosts = journalHosts(host, view.all);
  const withService = view.all && hosts.length > 1;
  const endpoints = [...new Set(hosts.flatMap(({ host: h }) => h.control.endpoints()))].sort();
  const entries = recent(host, view);
  const stream = href('events', { scope: view.all ? 'all' : undefined, since: sinceOf(host, view.all) });
  return html`<section aria-labelledby="journal-title">
<h2 id="journal-title">Live journal</h2>
<form class="row" method="get" action="${href(path)}" id="journal-filter">
${
  withService
    ? html`<label>Service<select name="service"><option value="">any</option>${hosts.map(
        ({ host: h }) =>
          html`<option${h.name === view.filter.service ? html` selected` : ''}>${h.name}</option>`,
      )}</select></label>`
    : ''
}
<label>Endpoint<select name="endpoint"><option value="">any</option>${endpoints.map(
    (name) => html`<option${name === view.filter.endpoint ? html` selected` : ''}>${name}</option>`,
  )}</select></label>
<label>Status<input name="status" size="5" placeholder="5xx" value="${view.filter.status ?? ''}" pattern="[1-5]([0-9]{2}|xx)"></label>
<button type="submit">Filter</button>
<button type="button" id="live-toggle" aria-pressed="false" hidden>Pause</button>
<span class="live muted" id="live-status" role="status" aria-live="polite">${entries.length} shown</span>
</form>
<div class="scroll"><table id="journal" data-stream="${stream}" data-with-service="${withService ? '1' : ''}">
<thead><tr><th scope="col">#</th>${withService ? html`<th scope="col">Service</th>` : ''}<th scope="col" class="hide-narrow">Time</th><th scope="col">Method</th><th scope="col">Endpoint</th><th scope="col" class="hide-narrow">Path</th><th scope="col">Status</th><th scope="col">Fault</th><th scope="col" class="hide-narrow">ms</th></tr></thead>
<tbody>${entries.map((entry) => journalRow(entry, withService))}</tbody>
</table></div>
${entries.length === 0 ? html`<p class="muted" id="journal-empty">No requests yet: they appear here as they arrive.</p>` : ''}
</section>`;
}

/** Does an entry pass the filters a journal page was opened with? (The live stream filters the same way.) */
export function passes(entry: ListedEntry, filter: JournalView['filter']): boolean {
  return (
    (!filter.service || entry.service === filter.service) &&
    (!filter.endpoint || entry.endpoint === filter.endpoint) &&
    matchesStatus(entry.status, filter.status)
  );
}

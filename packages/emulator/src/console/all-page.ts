import { html } from 'hono/html';
import type { JournalFilter } from '../framework/journal.js';
import { CONSOLE_PATH, type ConsoleHost, summaryOf } from './host.js';
import { journalHosts, journalSection } from './journal-page.js';
import type { Html } from './layout.js';

/** The index of every emulator started together, with one journal across them. */
export function allPage(host: ConsoleHost, filter: JournalFilter & { service?: string }): Html {
  const hosts = journalHosts(host, true);
  return html`<h1>All services</h1>
<div class="cards">${hosts.map(({ host: h, url, origin }) => {
    const counts = Object.entries(summaryOf(h));
    const faults = h.control.faults.list().length + h.control.wireFaults.list().length;
    return html`<article class="card" aria-labelledby="card-${h.name}"><h2 id="card-${h.name}"><a href="${url}${CONSOLE_PATH}">${h.name}</a></h2>
<p class="mono muted">${origin || 'this emulator'}</p>
<dl class="fields">${counts.map(([label, count]) => html`<dt>${label}</dt><dd>${count.toLocaleString('en')}</dd>`)}
<dt>requests</dt><dd>${h.control.journal.entries().length.toLocaleString('en')}</dd>
<dt>armed faults</dt><dd>${faults}</dd></dl>
<p><a href="${url}${CONSOLE_PATH}journal">journal</a> · <a href="${url}${CONSOLE_PATH}steer">steering</a></p></article>`;
  })}</div>
${journalSection(host, { all: true, filter }, 'all')}`;
}

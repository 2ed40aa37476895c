import { html } from 'hono/html';
import type { CapturedBody, JournalDetail, JournalEntry } from '../framework/journal.js';
import type { ConsoleHost } from './host.js';
import { tone } from './journal-page.js';
import { type Html, href } from './layout.js';

function headerTable(
  headers: ReadonlyArray<readonly [string, string]>,
  redact: (text: string) => string,
): Html {
  if (headers.length === 0) return html`<p class="muted">No headers.</p>`;
  return html`<div class="scroll"><table><tbody>${headers.map(
    ([name, value]) => html`<tr><th scope="row">${name}</th><td class="mono">${redact(value)}</td></tr>`,
  )}</tbody></table></div>`;
}

function bodyBlock(body: CapturedBody | null, redact: (text: string) => string): Html {
  if (!body) return html`<p class="muted">No body.</p>`;
  const size = `${body.size.toLocaleString('en')} bytes${body.incomplete ? ', cut short' : ''}${body.contentType ? ` · ${body.contentType}` : ''}`;
  if (body.text === undefined)
    return html`<p class="muted">${size}${body.size > 0 ? ' (binary or not captured)' : ''}</p>`;
  return html`<p class="muted">${size}${body.truncated ? ' · showing the first 8 KiB' : ''}</p><pre>${redact(body.text)}</pre>`;
}

/** One journal entry: the request and the response, headers and bodies, secrets redacted. */
export function detailPage(host: ConsoleHost, entry: JournalEntry, detail: JournalDetail | undefined): Html {
  // Stored redacted; redacted again so secrets learned since (a token handed out later) are hidden too.
  const redact = (text: string) => host.redactor.text(text);
  return html`<p class="trail"><a href="${href('journal')}">Journal</a> › request ${entry.seq}</p>
<h1>${entry.method} ${entry.endpoint} <span class="badge ${tone(entry.status)}">${entry.status === 0 ? 'connection reset' : entry.status}</span></h1>
<dl class="fields">
<dt>Virtual time</dt><dd><time>${entry.at}</time></dd>
<dt>Path</dt><dd class="mono">${detail ? redact(detail.request.url) : entry.path}</dd>
<dt>Fault</dt><dd>${entry.fault ?? 'none'}</dd>
<dt>Took</dt><dd>${entry.ms === undefined ? '—' : `${entry.ms} ms`}</dd>
</dl>
${
  detail
    ? html`<h2>Request</h2>${headerTable(detail.request.headers, redact)}<h3>Body</h3>${bodyBlock(detail.request.body, redact)}
<h2>Response</h2>${headerTable(detail.response.headers, redact)}<h3>Body</h3>${bodyBlock(detail.response.body, redact)}`
    : html`<p class="muted">Headers and bodies are kept for the latest 500 requests only.</p>`
}`;
}

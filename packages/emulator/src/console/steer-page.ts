import { html } from 'hono/html';
import { HTTP_METHODS, MAX_STALL_MS } from '../framework/control-input.js';
import { WIRE_FAULT_KINDS } from '../framework/faults.js';
import type { ConsoleHost } from './host.js';
import { type Html, href } from './layout.js';

function endpointSelect(host: ConsoleHost, id: string): Html {
  return html`<label for="${id}">Endpoint<select id="${id}" name="on" required><option value="*">* (every endpoint)</option>${host.control
    .endpoints()
    .map((name) => html`<option>${name}</option>`)}</select></label>`;
}

function methodSelect(id: string): Html {
  return html`<label for="${id}">Method<select id="${id}" name="method"><option value="">any</option>${HTTP_METHODS.map(
    (method) => html`<option>${method}</option>`,
  )}</select></label>`;
}

function disarm(kind: 'faults' | 'wire-faults', id: number): Html {
  return html`<form class="inline" method="post" action="${href(`${kind}/${id}/disarm`)}"><button type="submit" aria-label="disarm ${kind === 'faults' ? 'HTTP' : 'wire'} fault ${id}">Disarm</button></form>`;
}

const uses = (remaining: number, skip: number) =>
  `${remaining === -1 ? 'every time' : `${remaining} left`}${skip > 0 ? `, after ${skip} more` : ''}`;

function armed(host: ConsoleHost): Html {
  const faults = host.control.faults.list();
  const wire = host.control.wireFaults.list();
  return html`<section><h2>Armed faults</h2>
${
  faults.length + wire.length === 0
    ? html`<p class="muted" id="no-faults">No fault is armed: every request is answered normally.</p>`
    : html`<div class="scroll"><table id="armed-faults"><thead><tr><th scope="col">#</th><th scope="col">Kind</th><th scope="col">Endpoint</th><th scope="col">Method</th><th scope="col">What</th><th scope="col">Uses</th><th scope="col"></th></tr></thead><tbody>
${faults.map(
  (f) =>
    html`<tr><td>${f.id}</td><td>HTTP</td><td>${f.on}</td><td>${f.method ?? 'any'}</td><td>${f.status}${f.code ? ` ${f.code}` : ''}${f.retryAfter === undefined ? '' : `, Retry-After ${f.retryAfter}`}</td><td>${uses(f.remaining, f.skip)}</td><td>${disarm('faults', f.id)}</td></tr>`,
)}
${wire.map(
  (f) =>
    html`<tr><td>${f.id}</td><td>wire</td><td>${f.on}</td><td>${f.method ?? 'any'}</td><td>${f.kind}${f.ms === undefined ? '' : ` ${f.ms} ms`}${f.afterBytes === undefined ? '' : ` after ${f.afterBytes} bytes`}</td><td>${uses(f.remaining, f.skip)}</td><td>${disarm('wire-faults', f.id)}</td></tr>`,
)}
</tbody></table></div>
<form method="post" action="${href('faults/disarm-all')}"><button type="submit">Disarm all</button></form>`
}
<p class="note">When an HTTP fault and a wire fault match the same request: a stall holds it, then the HTTP fault answers;
a reset before the response cuts it and the HTTP fault waits for the next request; a cut body cuts the HTTP fault's answer.</p>
</section>`;
}

function armForms(host: ConsoleHost): Html {
  return html`<section><h2>Arm a fault</h2>
<form method="post" action="${href('faults')}" id="arm-http"><fieldset><legend>HTTP error</legend><div class="row">
${endpointSelect(host, 'http-on')}${methodSelect('http-method')}
<label for="http-status">Status<input id="http-status" name="status" type="number" min="400" max="599" value="503" required></label>
<label for="http-count">Times (-1: always)<input id="http-count" name="count" type="number" min="-1" value="1"></label>
<label for="http-skip">Let through first<input id="http-skip" name="skip" type="number" min="0" value="0"></label>
<label for="http-retry">Retry-After (s)<input id="http-retry" name="retryAfter" type="number" min="0"></label>
<label for="http-code">Service code<input id="http-code" name="code" placeholder="by status"></label>
<label for="http-message">Message<input id="http-message" name="message" placeholder="injected fault"></label>
<button type="submit">Arm HTTP fault</button></div></fieldset></form>
<form method="post" action="${href('wire-faults')}" id="arm-wire"><fieldset><legend>Connection (wire) fault</legend><div class="row">
${endpointSelect(host, 'wire-on')}${methodSelect('wire-method')}
<label for="wire-kind">Kind<select id="wire-kind" name="kind">${WIRE_FAULT_KINDS.map((kind) => html`<option>${kind}</option>`)}</select></label>
<label for="wire-ms">Stall ms<input id="wire-ms" name="ms" type="number" min="0" max="${MAX_STALL_MS}"></label>
<label for="wire-after">After bytes<input id="wire-after" name="afterBytes" type="number" min="0"></label>
<label for="wire-count">Times (-1: always)<input id="wire-count" name="count" type="number" min="-1" value="1"></label>
<label for="wire-skip">Let through first<input id="wire-skip" name="skip" type="number" min="0" value="0"></label>
<button type="submit">Arm wire fault</button></div></fieldset></form></section>`;
}

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['seconds', 1_000],
  ['minutes', 60_000],
  ['hours', 3_600_000],
  ['days', 86_400_000],
];

function clockForm(host: ConsoleHost): Html {
  const now = new Date(host.control.clock.now()).toISOString();
  return html`<section><h2>Virtual clock</h2>
<p>Now <time id="clock-now" datetime="${now}">${now}</time> <span class="muted">(${host.control.clock.offsetMs.toLocaleString('en')} ms ahead of the wall clock; it never goes back)</span></p>
<form method="post" action="${href('clock')}" id="clock-form" class="row">
<label for="clock-amount">Advance by<input id="clock-amount" name="amount" type="number" min="0" step="1" value="1" required></label>
<label for="clock-unit">Unit<select id="clock-unit" name="unit">${UNITS.map(
    ([unit]) => html`<option${unit === 'hours' ? html` selected` : ''}>${unit}</option>`,
  )}</select></label>
<button type="submit">Advance clock</button></form></section>`;
}

function stateForms(host: ConsoleHost): Html {
  return html`<section><h2>State</h2><div class="row">
<form method="post" action="${href('reset')}" data-confirm="Empty ${host.name}: every bucket, file, token, fault and journal entry?"><button type="submit" class="danger">Reset ${host.name}</button></form>
<form method="post" action="${href('seed')}" class="row" data-confirm="Replace the state of ${host.name} with the chosen seed?">
<label for="seed-name">Seed<select id="seed-name" name="name">${host.control
    .seeds()
    .map((name) => html`<option${name === 'demo' ? html` selected` : ''}>${name}</option>`)}</select></label>
<button type="submit">Load seed</button></form></div></section>`;
}

export function steerPage(host: ConsoleHost): Html {
  return html`<h1>Steering</h1>${armed(host)}${armForms(host)}${clockForm(host)}${stateForms(host)}`;
}

/** Milliseconds from the clock form's amount and unit; a bad pair throws a `RangeError`. */
export function clockAmount(amount: string, unit: string): number {
  const factor = UNITS.find(([name]) => name === unit)?.[1];
  if (factor === undefined)
    throw new RangeError(`unit must be one of ${UNITS.map(([name]) => name).join(', ')}`);
  const value = Number(amount);
  if (amount.trim() === '' || !Number.isSafeInteger(value) || value < 0)
    throw new RangeError('amount must be a whole number, 0 or more');
  return value * factor;
}

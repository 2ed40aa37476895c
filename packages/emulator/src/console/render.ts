import { html } from 'hono/html';
import type { ConsoleCell, ConsoleNode, ConsolePage } from '../framework/inspect.js';
import { type Html, href } from './layout.js';

/** A button posting a service action; `back` is the console page (`at`) to come back to. */
function actionButton(
  cell: { action: string; target: string; label: string; confirm?: string },
  at: string,
): Html {
  return html`<form class="inline" method="post" action="${href('action')}"${
    cell.confirm ? html` data-confirm="${cell.confirm}"` : ''
  }><input type="hidden" name="action" value="${cell.action}"><input type="hidden" name="target" value="${cell.target}"><input type="hidden" name="back" value="${at}"><button type="submit" class="${cell.action === 'delete' ? 'danger' : ''}">${cell.label}</button></form>`;
}

export function cell(value: ConsoleCell, at: string): Html | string {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value.toLocaleString('en');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if ('list' in value)
    return html`${value.list.map((item, index) => html`${index > 0 ? ' ' : ''}${cell(item, at)}`)}`;
  if ('badge' in value) return html`<span class="badge ${value.tone ?? ''}">${value.badge}</span>`;
  if ('download' in value)
    return html`<a href="${href(`blob/${encodeURIComponent(value.download)}`, { name: value.name })}" download="${value.name}">${value.label ?? 'download'}</a>`;
  if ('image' in value)
    return html`<img class="thumb" src="${href(`blob/${encodeURIComponent(value.image)}`)}" alt="${value.alt}" loading="lazy">`;
  if ('action' in value) return actionButton(value, at);
  const text = value.mono ? html`<span class="mono">${value.text}</span>` : value.text;
  if (value.at !== undefined)
    return html`<a href="${href('', { at: value.at })}"${value.title ? html` title="${value.title}"` : ''}>${text}</a>`;
  return value.title ? html`<span title="${value.title}">${text}</span>` : text;
}

function numeric(value: ConsoleCell): boolean {
  return typeof value === 'number';
}

export function node(item: ConsoleNode, at: string, depth = 2): Html {
  const heading = (title: string | undefined) =>
    title === undefined ? '' : depth <= 2 ? html`<h2>${title}</h2>` : html`<h3>${title}</h3>`;
  switch (item.kind) {
    case 'table':
      return html`<section>${heading(item.title)}${
        item.rows.length === 0
          ? html`<p class="muted">${item.empty ?? 'Nothing here.'}</p>`
          : html`<div class="scroll"><table><thead><tr>${item.columns.map(
              (column) => html`<th scope="col">${column}</th>`,
            )}</tr></thead><tbody>${item.rows.map(
              (row) =>
                html`<tr>${row.map(
                  (value) => html`<td${numeric(value) ? html` class="num"` : ''}>${cell(value, at)}</td>`,
                )}</tr>`,
            )}</tbody></table></div>`
      }${item.note ? html`<p class="note">${item.note}</p>` : ''}</section>`;
    case 'fields':
      return html`<section>${heading(item.title)}<dl class="fields">${item.fields.map(
        ([label, value]) => html`<dt>${label}</dt><dd>${cell(value, at)}</dd>`,
      )}</dl></section>`;
    case 'text':
      return html`<section>${heading(item.title)}<p class="muted">${item.text}</p></section>`;
    case 'group':
      return html`<details${item.open ? html` open` : ''}><summary>${item.title}${
        item.summary ? html` <span class="muted">${item.summary}</span>` : ''
      }</summary>${item.children.map((child) => node(child, at, depth + 1))}</details>`;
  }
}

export function statePage(view: ConsolePage, at: string): Html {
  return html`${
    view.trail && view.trail.length > 0
      ? html`<p class="trail">${view.trail.map(
          ([label, target]) => html`<a href="${href('', { at: target })}">${label}</a> › `,
        )}</p>`
      : ''
  }<h1>${view.title}</h1>${view.nodes.map((item) => node(item, at))}`;
}

import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CONSOLE_PATH, type ConsoleHost } from './host.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export type Tab = 'state' | 'journal' | 'steer' | 'all';

const TABS: ReadonlyArray<readonly [Tab, string, string]> = [
  ['state', 'State', ''],
  ['journal', 'Journal', 'journal'],
  ['steer', 'Steering', 'steer'],
  ['all', 'All services', 'all'],
];

/** A link inside this console: `href('journal', { status: '5xx' })`. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return `${CONSOLE_PATH}${path}${search ? `?${search}` : ''}`;
}

export interface Flash {
  readonly ok?: string | undefined;
  readonly error?: string | undefined;
}

export function flashOf(query: URLSearchParams): Flash {
  return { ok: query.get('ok') ?? undefined, error: query.get('error') ?? undefined };
}

/** The page shell: header with service, tabs, peers and the virtual clock; then the page's content. */
export function page(host: ConsoleHost, tab: Tab, title: string, body: Html, flash: Flash = {}): Html {
  const now = new Date(host.control.clock.now()).toISOString();
  const peers = host.peers().filter((peer) => peer.name !== host.name);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${host.name} emulator</title>
<link rel="icon" href="${CONSOLE_PATH}favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${CONSOLE_PATH}style.css">
<script type="module" src="${CONSOLE_PATH}live.js"></script>
</head>
<body data-service="${host.name}">
<a class="skip" href="#main">Skip to content</a>
<header>
  <span class="brand">mediaferry · ${host.name} emulator</span>
  <nav aria-label="Console"><ul>
    ${TABS.map(
      ([key, label, path]) =>
        html`<li><a href="${href(path)}"${key === tab ? html` aria-current="page"` : ''}>${label}</a></li>`,
    )}
  </ul></nav>
  ${
    peers.length > 0
      ? html`<nav class="peers" aria-label="Other services"><ul>${peers.map(
          (peer) => html`<li><a href="${peer.url}${CONSOLE_PATH}">${peer.name}</a></li>`,
        )}</ul></nav>`
      : ''
  }
  <span class="clock" title="virtual clock (offset ${host.control.clock.offsetMs} ms)">virtual time <time id="virtual-now" datetime="${now}">${now}</time></span>
</header>
<main id="main" tabindex="-1">
${flash.ok ? html`<p class="flash ok" role="status">${flash.ok}</p>` : ''}
${flash.error ? html`<p class="flash bad" role="alert">${flash.error}</p>` : ''}
${body}
</main>
</body>
</html>`;
}

/** Where a console form returns to, with a message for the page it lands on. */
export function back(path: string, result: Flash, extra: Record<string, string> = {}): string {
  return href(path, { ...extra, ok: result.ok, error: result.error });
}

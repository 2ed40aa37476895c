import { readFile } from 'node:fs/promises';
import type { Context } from 'hono';
import type { ConsoleHost } from './host.js';
import { journalHosts, listed } from './journal-page.js';

/** How often the stream says the virtual clock's offset; it doubles as a keep-alive. */
const CLOCK_EVERY_MS = 2_000;

/** `b2:12,gopro:3` → the last sequence number the page shows, per service. */
function parseSince(value: string | undefined): Map<string, number> {
  const since = new Map<string, number>();
  for (const part of (value ?? '').split(',')) {
    const [name, seq] = part.split(':');
    if (name && seq !== undefined && /^\d+$/.test(seq)) since.set(name, Number(seq));
  }
  return since;
}

/**
 * The live journal as server-sent events: one `message` per request (JSON of the entry, its service and
 * its detail link), across every peer with `scope=all`, starting after what the page already shows
 * (`since`), and a `clock` event with the virtual clock's offset every few seconds.
 */
export function eventStream(c: Context, host: ConsoleHost): Response {
  const all = c.req.query('scope') === 'all';
  const since = parseSince(c.req.query('since'));
  const hosts = journalHosts(host, all);
  const encoder = new TextEncoder();
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          open = false;
        }
      };
      const clock = () =>
        write(`event: clock\ndata: ${JSON.stringify({ offsetMs: host.control.clock.offsetMs })}\n\n`);
      clock();
      for (const { host: h, url } of hosts) {
        const after = since.get(h.name);
        if (after === undefined) continue;
        for (const entry of h.control.journal.entries({ since: after }))
          write(`data: ${JSON.stringify(listed(h.name, url, entry))}\n\n`);
      }
      const unsubscribe = hosts.map(({ host: h, url }) =>
        h.control.journal.subscribe((entry) =>
          write(`data: ${JSON.stringify(listed(h.name, url, entry))}\n\n`),
        ),
      );
      const timer = setInterval(clock, CLOCK_EVERY_MS);
      timer.unref();
      stop = () => {
        open = false;
        clearInterval(timer);
        for (const off of unsubscribe) off();
      };
      c.req.raw.signal?.addEventListener('abort', () => stop(), { once: true });
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

let script: Promise<string> | undefined;

/**
 * The console's script, compiled by `tsc -b` from `client/live.ts` to `dist/console/client/live.js`. Run
 * from the build it sits beside this module; run from the sources (tests) it is read from the build.
 */
export function clientScript(): Promise<string> {
  script ??= (async () => {
    const candidates = [
      new URL('./client/live.js', import.meta.url),
      new URL('../../dist/console/client/live.js', import.meta.url),
    ];
    for (const candidate of candidates) {
      try {
        return await readFile(candidate, 'utf8');
      } catch {
        // try the next place
      }
    }
    return 'console.warn("mediaferry console: live.js is missing; run npm run build");';
  })();
  return script;
}

import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { EmulatorEnv } from './define.js';

function hostOf(value: string): string {
  try {
    return new URL(`http://${value}`).hostname;
  } catch {
    return '';
  }
}

/**
 * Keeps the control plane and the console to the machine they run on. They need no credentials, which is
 * safe only while no web page the user visits can reach them through the browser:
 * - a request that arrived over a socket must name `localhost`, an IP address, or the host the emulator was
 *   bound to in `Host`, which defeats DNS rebinding (a hostile name that resolves to 127.0.0.1);
 * - a browser request from another origin (`Origin`, or `Sec-Fetch-Site: cross-site`) may not change
 *   anything, which defeats cross-site form posts and `fetch` to localhost.
 * curl, scripts and in-process calls send neither header and pass.
 */
export function localOnly(boundHost: () => string | undefined): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    if (c.env?.incoming) {
      const host = hostOf(c.req.header('host') ?? '');
      const bound = boundHost();
      const literal = isIP(host.replace(/^\[|\]$/g, '')) !== 0;
      if (host !== 'localhost' && !literal && host !== bound)
        return c.json(
          { error: `the emulator control plane answers on loopback only, not ${host || 'no host'}` },
          403,
        );
    }
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const sameOrigin = origin === undefined || origin === new URL(c.req.url).origin;
    if (!sameOrigin || site === 'cross-site' || site === 'same-site')
      return c.json({ error: 'the emulator control plane refuses requests from other origins' }, 403);
    return next();
  };
}

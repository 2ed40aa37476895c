import type { EmulatorContext } from '../framework/index.js';
import { rateLimit } from './auth.js';
import type { McCtx } from './views.js';

/** JSON, or JSONP when the query names a `callback` (spec §2.1, §2.9). */
export function jsonOrJsonp(
  c: EmulatorContext,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
): Response {
  const callback = c.req.query('callback');
  if (callback && /^[A-Za-z_$][\w$.]*$/.test(callback))
    return c.body(`${callback}(${JSON.stringify(body)})`, 200, { 'content-type': 'application/javascript' });
  return c.body(JSON.stringify(body), 200, { 'content-type': contentType });
}

/** A read endpoint: rate limited, its object answered as JSON or JSONP. */
export function readEndpoint(ctx: McCtx) {
  return (name: string, handler: (c: EmulatorContext) => Record<string, unknown> | Response) =>
    ctx.endpoint(name, (c) => {
      rateLimit(c, ctx);
      const result = handler(c);
      return result instanceof Response ? result : jsonOrJsonp(c, result);
    });
}

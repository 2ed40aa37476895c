import type { Handler } from 'hono';
import type { EmulatorApp, EmulatorEnv } from '../framework/index.js';
import { apiVersion, type B2Ctx } from './auth.js';

/** Registers a JSON API call (`/b2api/vN/<name>`) for POST and GET, as B2 accepts both. */
export function apiCall(app: EmulatorApp, ctx: B2Ctx, name: string, handler: Handler<EmulatorEnv>): void {
  const wrapped = ctx.endpoint(name, (c, next) => {
    apiVersion(c);
    return handler(c, next);
  });
  app.post(`/b2api/:version/${name}`, wrapped);
  app.get(`/b2api/:version/${name}`, wrapped);
}

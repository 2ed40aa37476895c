import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ClientCredentialsAuth,
  CookieAuth,
  type Logger,
  type Middleware,
  QueryTokenAuth,
} from '../src/index.js';
import { createProbe, PROBE_ORIGIN } from './support/probe.js';

describe('secrets never reach logs or errors', () => {
  it('greps every log line and every thrown error for the secrets used', async () => {
    const { client, control } = createProbe();
    const lines: string[] = [];
    const capture =
      (level: string) =>
      (message: string, fields?: Record<string, unknown>): void => {
        lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
      };
    const logger: Logger = {
      debug: capture('debug'),
      info: capture('info'),
      warn: capture('warn'),
      error: capture('error'),
    };
    const errors: unknown[] = [];
    const keep = (promise: Promise<unknown>) => promise.catch((e: unknown) => errors.push(e));

    const clientSecret = 'probe-secret';
    const oauth = new ClientCredentialsAuth({
      tokenUrl: `${PROBE_ORIGIN}/oauth/token`,
      clientId: 'probe-client',
      clientSecret,
    });
    const api = client({ logger, logLevel: 'debug', maxRetries: 1, retry: { baseDelayMs: 1 } }, oauth);
    await api.request({ path: '/me' });
    const accessToken = oauth.cache.peek()!.token;

    // A server error after a retry, an expired token refresh, and a server that echoes the token back.
    control.faults.add({ on: 'me', status: 500, count: 2 });
    await keep(api.request({ path: '/me' }));
    control.clock.advance(4_000_000);
    await api.request({ path: '/me' });
    const echoToken: Middleware = async (request) => {
      const sent = request.headers.get('authorization') ?? '';
      return new Response(
        JSON.stringify({
          error: { code: 'bad', message: `rejected ${sent}; access_token=${sent.slice(7)}` },
        }),
        { status: 400 },
      );
    };
    const echoing = client({ logger, logLevel: 'debug', middleware: [echoToken] }, oauth);
    await keep(echoing.request({ path: '/me' }));

    // Tokens in a query string and in a cookie, on failing requests.
    const queryToken = 'query-token-123456';
    await keep(
      client(
        { logger, logLevel: 'debug', maxRetries: 0 },
        new QueryTokenAuth('access_token', queryToken),
      ).request({ path: '/status/403' }),
    );
    const cookieToken = 'cookie-token-abcdef';
    await keep(
      client(
        { logger, logLevel: 'debug', maxRetries: 0 },
        new CookieAuth('probe_token', cookieToken),
      ).request({ path: '/status/404' }),
    );
    // A wrong client secret fails at the token endpoint.
    const wrongSecret = 'not-the-secret-xyz';
    const bad = new ClientCredentialsAuth({
      tokenUrl: `${PROBE_ORIGIN}/oauth/token`,
      clientId: 'probe-client',
      clientSecret: wrongSecret,
    });
    await keep(client({ logger, logLevel: 'debug' }, bad).request({ path: '/me' }));

    expect(errors).toHaveLength(5);
    expect(lines.length).toBeGreaterThan(10);
    const secrets = [
      clientSecret,
      accessToken,
      oauth.cache.peek()!.token,
      queryToken,
      cookieToken,
      wrongSecret,
    ];
    const basic = Buffer.from(`probe-client:${clientSecret}`).toString('base64');
    const haystack = [
      ...lines,
      ...errors.flatMap((e) => [
        String(e),
        (e as Error).stack ?? '',
        inspect(e, { depth: 10, showHidden: true }),
        JSON.stringify(e),
      ]),
    ].join('\n');
    for (const secret of [...secrets, basic]) expect(haystack).not.toContain(secret);
    expect(haystack).toContain('[REDACTED]');
  });
});

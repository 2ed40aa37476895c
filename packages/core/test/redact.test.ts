import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, redactingLogger } from '../src/index.js';

describe('Redactor', () => {
  const redactor = new Redactor({ params: ['x-secret-param'] });
  redactor.addSecret('4_002literaltokenvalue');

  it('hides secret query parameters and user info in URLs', () => {
    const url = redactor.url(
      'https://u:pw@api.example/cb?code=abc123&state=ok&access_token=tok&x-secret-param=v',
    );
    expect(url).toBe(
      `https://u:REDACTED@api.example/cb?code=${REDACTED}&state=ok&access_token=${REDACTED}&x-secret-param=${REDACTED}`,
    );
  });

  it('hides secret headers and literal secrets in other headers', () => {
    const headers = redactor.headers(
      new Headers({
        Authorization: 'Basic abc',
        Cookie: 'gp_access_token=x',
        'X-Echo': 'token 4_002literaltokenvalue',
        Accept: 'a/b',
      }),
    );
    expect(headers).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      'x-echo': `token ${REDACTED}`,
      accept: 'a/b',
    });
  });

  it('scrubs free text: literal secrets (raw and URL-encoded), bearer tokens, secret pairs', () => {
    const text = redactor.text(
      'failed with 4_002literaltokenvalue; Bearer eyJhbGciOi.x.y; client_secret=s3cr3t&ok=1',
    );
    expect(text).toBe(`failed with ${REDACTED}; Bearer ${REDACTED}; client_secret=${REDACTED}&ok=1`);
    const spaced = new Redactor();
    spaced.addSecret('tok en/+=');
    expect(spaced.text(`a=${encodeURIComponent('tok en/+=')}`)).toBe(`a=${REDACTED}`);
  });

  it('deep-scrubs bodies but keeps ordinary error codes', () => {
    const body = redactor.value({
      code: 'bad_request',
      nested: { access_token: 'x', list: ['4_002literaltokenvalue'] },
    });
    expect(body).toEqual({ code: 'bad_request', nested: { access_token: REDACTED, list: [REDACTED] } });
  });

  it('reads secrets from live sources', () => {
    let current = 'first-token-value';
    const r = new Redactor();
    r.addSecretSource(() => [current]);
    current = 'second-token-value';
    expect(r.text('second-token-value')).toBe(REDACTED);
  });

  it('a redacting logger filters levels and scrubs messages and fields', () => {
    const lines: string[] = [];
    const sink = (level: string) => (message: string, fields?: Record<string, unknown>) => {
      lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    };
    const logger = redactingLogger(
      { debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') },
      redactor,
      'info',
    );
    logger.debug('dropped 4_002literaltokenvalue');
    logger.warn('saw 4_002literaltokenvalue', { headers: { authorization: 'x' }, client_secret: 'y' });
    expect(lines).toEqual([
      `warn saw ${REDACTED} {"headers":{"authorization":"${REDACTED}"},"client_secret":"${REDACTED}"}`,
    ]);
  });
});

import { REDACTED, SECRET_FIELDS, SECRET_HEADERS, SECRET_PARAMS } from '@mediaferry/core';
import { describe, expect, it } from 'vitest';
import * as emulatorRedaction from '../../src/framework/redact.js';
import { createEmulator, type Emulator, type JournalDetail, probeService } from '../../src/index.js';

const ORIGIN = 'http://probe.test';

/** Everything the journal would show of a request, as one string. */
function shown(emulator: Emulator, seq: number): string {
  const detail = emulator.control.journal.detail(seq) as JournalDetail;
  expect(detail).toBeDefined();
  return JSON.stringify(detail);
}

describe('journal details', () => {
  it('redact with the very names the clients use', () => {
    expect(emulatorRedaction.SECRET_HEADERS).toEqual(SECRET_HEADERS);
    expect(emulatorRedaction.SECRET_PARAMS).toEqual(SECRET_PARAMS);
    expect(emulatorRedaction.SECRET_FIELDS).toEqual(SECRET_FIELDS);
    expect(emulatorRedaction.REDACTED).toBe(REDACTED);
  });

  it('show headers and bodies with credentials, tokens and secret parameters hidden everywhere', async () => {
    const emulator = createEmulator(probeService, { seed: 'none' }) as Emulator;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'probe-client',
      client_secret: 'probe-secret',
    });
    const issued = await emulator.fetch(`${ORIGIN}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const token = ((await issued.json()) as { access_token: string }).access_token;
    await emulator.fetch(`${ORIGIN}/me`, {
      headers: { authorization: `Bearer ${token}`, 'x-trace': 'keep me' },
    });
    await emulator.fetch(`${ORIGIN}/items?page=2&access_token=${encodeURIComponent(token)}`);
    await emulator.fetch(`${ORIGIN}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'probe_token=abc123' },
      body: JSON.stringify({ note: `token ${token} pasted by mistake`, password: 'hunter22', size: 3 }),
    });

    const [tokenCall, me, items, echo] = emulator.control.journal.entries();
    const tokenShown = shown(emulator, tokenCall!.seq);
    expect(tokenShown).not.toContain('probe-secret');
    expect(tokenShown).not.toContain(token);
    expect(tokenShown).toContain(`client_secret=${REDACTED}`);
    expect(tokenShown).toContain('grant_type=client_credentials');
    expect(tokenShown).toContain('\\"token_type\\": \\"Bearer\\"');

    const meShown = shown(emulator, me!.seq);
    expect(meShown).not.toContain(token);
    expect(meShown).toContain(`["authorization","${REDACTED}"]`);
    expect(meShown).toContain('["x-trace","keep me"]');
    expect(meShown).toContain('Probe User');

    const itemsDetail = emulator.control.journal.detail(items!.seq)!;
    expect(itemsDetail.request.url).toBe(`/items?page=2&access_token=${REDACTED}`);

    const echoShown = shown(emulator, echo!.seq);
    expect(echoShown).not.toContain(token);
    expect(echoShown).not.toContain('hunter22');
    expect(echoShown).not.toContain('abc123');
    expect(echoShown).toContain(`\\"password\\": \\"${REDACTED}\\"`);
    expect(echoShown).toContain('pasted by mistake');
    await emulator.close();
  });

  it('count a large body whole but keep only its start, and mark binary bodies as such', async () => {
    const emulator = createEmulator(probeService) as Emulator;
    await emulator.fetch(`${ORIGIN}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'a'.repeat(100_000),
    });
    const response = await emulator.fetch(`${ORIGIN}/bytes/20000`);
    await response.arrayBuffer();
    const [text, binary] = emulator.control.journal
      .entries()
      .map((e) => emulator.control.journal.detail(e.seq)!);
    expect(text!.request.body).toMatchObject({ size: 100_000, truncated: true });
    expect(text!.request.body!.text).toHaveLength(8 * 1024);
    expect(binary!.response.body).toMatchObject({ size: 20_000, contentType: 'application/octet-stream' });
    expect(binary!.response.body!.text).toBeUndefined();
    await emulator.close();
  });

  it('scrub every learned secret, in any form and anywhere in a text, the longest first', () => {
    const redactor = new emulatorRedaction.JournalRedactor(() => ['current-key-0001']);
    // About as many signatures as it remembers (a GoPro pull teaches it 200 per run): each is still found.
    const signatures = Array.from({ length: 1_990 }, (_, i) => `sig${String(i).padStart(6, '0')}abcdef`);
    for (const signature of signatures) redactor.learn(signature);
    redactor.learn('shared-prefix');
    redactor.learn('shared-prefix-and-longer');
    redactor.learn('with space/slash');
    expect(redactor.text(`a ${signatures[0]} b ${signatures[1_989]}${signatures[1_000]} c`)).toBe(
      `a ${REDACTED} b ${REDACTED}${REDACTED} c`,
    );
    expect(redactor.text('x shared-prefix-and-longer y shared-prefix z')).toBe(
      `x ${REDACTED} y ${REDACTED} z`,
    );
    expect(redactor.text(`q=${encodeURIComponent('with space/slash')}&n=1`)).toBe(`q=${REDACTED}&n=1`);
    expect(redactor.text('key current-key-0001.')).toBe(`key ${REDACTED}.`);
    expect(redactor.text('nothing secret here, sig000000abcde (one short)')).toBe(
      'nothing secret here, sig000000abcde (one short)',
    );
    // A secret learned later is scrubbed from then on.
    expect(redactor.text('late-secret-value')).toBe('late-secret-value');
    redactor.learn('late-secret-value');
    expect(redactor.text('late-secret-value')).toBe(REDACTED);
  });

  it('forget the oldest learned secret past 2,000, and follow the credentials as they change', () => {
    let credentials = ['first-key-0001', 'shared-value-01'];
    const redactor = new emulatorRedaction.JournalRedactor(() => credentials);
    redactor.learn('shared-value-01');
    redactor.learn('learned-token-0');
    for (let i = 1; i < 1_999; i += 1) redactor.learn(`learned-token-${i}`);
    expect(redactor.text('learned-token-0 learned-token-1998')).toBe(`${REDACTED} ${REDACTED}`);
    // The 2,001st pushes out the oldest: 'shared-value-01'. It is a credential too, so it stays hidden.
    redactor.learn('learned-token-1999');
    expect(redactor.text('shared-value-01 learned-token-0')).toBe(`${REDACTED} ${REDACTED}`);
    // The next pushes out 'learned-token-0', which nothing else holds.
    redactor.learn('learned-token-2000');
    expect(redactor.text('learned-token-0 learned-token-2000')).toBe(`learned-token-0 ${REDACTED}`);
    // A deleted key is no longer a secret to look for; a new one is, from the next text on.
    credentials = ['second-key-0002'];
    expect(redactor.text('first-key-0001 second-key-0002 shared-value-01')).toBe(
      `first-key-0001 ${REDACTED} shared-value-01`,
    );
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  b2Service,
  createEmulator,
  OptionError,
  probeService,
  services,
  startEmulators,
  validateOptions,
} from '../../src/index.js';
import { type Json, serve } from '../support/http.js';

describe('emulator options', () => {
  it('GET /__emulator/options lists every option with type, default, current value and spec reference', async () => {
    const { json } = await serve(services.mixcloud!, { options: { maxLimit: 50 } });
    const { status, body } = await json('/__emulator/options');
    expect(status).toBe(200);
    const maxLimit = body.options.find((o: Json) => o.name === 'maxLimit');
    expect(maxLimit).toEqual({
      name: 'maxLimit',
      type: 'integer',
      default: 100,
      value: 50,
      min: 1,
      description: expect.stringContaining('limit'),
      spec: expect.stringMatching(/^mixcloud\.md §/),
    });
    const status401 = body.options.find((o: Json) => o.name === 'oauthErrorStatus');
    expect(status401).toMatchObject({ type: 'enum', values: [400, 401], default: 400, value: 400 });
  });

  it('POST changes values for the next request; null restores the default', async () => {
    const { json, setOptions } = await serve(services.mixcloud!, { seed: 'demo' });
    expect((await json('/me/')).status).toBe(400);
    const after = await setOptions({ oauthErrorStatus: 401 });
    expect(after.options.find((o: Json) => o.name === 'oauthErrorStatus').value).toBe(401);
    expect((await json('/me/')).status).toBe(401);
    await setOptions({ oauthErrorStatus: null });
    expect((await json('/me/')).status).toBe(400);
  });

  it('a bad value is a typed 400 naming the option, and changes nothing, not even the valid values beside it', async () => {
    const { json, call } = await serve(services.mixcloud!);
    const before = (await json('/__emulator/options')).body;
    for (const [body, option] of [
      [{ maxLimit: 10, oauthErrorStatus: 402 }, 'oauthErrorStatus'],
      [{ maxLimit: 0 }, 'maxLimit'],
      [{ maxLimit: 1.5 }, 'maxLimit'],
      [{ meRedirects: 'maybe' }, 'meRedirects'],
      [{ tagConnections: 'popular,hot' }, 'tagConnections'],
      [{ noSuchOption: true }, 'noSuchOption'],
    ] as const) {
      const answer = await json('/__emulator/options', { method: 'POST', body: JSON.stringify(body) });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'invalid_option',
        option,
        error: expect.stringContaining(option),
      });
    }
    const notJson = await call('/__emulator/options', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const notObject = await call('/__emulator/options', { method: 'POST', body: '[1]' });
    expect(notObject.status).toBe(400);
    expect((await json('/__emulator/options')).body).toEqual(before);
  });

  it('createEmulator validates its options too; text is read as the option type', () => {
    expect(() => createEmulator(services.mixcloud!, { options: { maxLimit: -1 } as never })).toThrow(
      OptionError,
    );
    expect(() => createEmulator(services.gopro!, { options: { nope: 1 } as never })).toThrow(
      /gopro\.nope: no such option/,
    );
    expect(
      validateOptions('mixcloud', services.mixcloud!.optionCatalog, { maxLimit: '7', meRedirects: 'yes' }),
    ).toEqual({
      maxLimit: 7,
      meRedirects: true,
    });
    expect(() => validateOptions('probe', probeService.optionCatalog, { x: 1 })).toThrow(/has no options/);
  });

  it('startEmulators takes options by service and refuses options of a service it does not start', async () => {
    const started = await startEmulators({
      services: ['mixcloud'],
      options: { mixcloud: { oauthErrorStatus: '401' } },
    });
    try {
      const me = await fetch(`${started.emulators[0]!.url}/me/`);
      expect(me.status).toBe(401);
    } finally {
      await started.close();
    }
    await expect(
      startEmulators({ services: ['b2'], options: { gopro: { strictAccept: true } } }),
    ).rejects.toThrow(/gopro, which is not started/);
    await expect(
      startEmulators({ services: ['b2'], options: { b2: { maxBuckets: 'many' } } }),
    ).rejects.toThrow(OptionError);
  });

  it("B2's existing options are described and settable at run time", async () => {
    const { json, setOptions, emulator } = await serve(b2Service, { seed: 'demo' });
    const listed = (await json('/__emulator/options')).body.options.map((o: Json) => o.name);
    expect(listed).toEqual(Object.keys(emulator.context.options as object));
    await setOptions({ bucketNameMaxLength: 8 });
    const { keyId, key } = emulator.control.credentials();
    const auth = (
      await json('/b2api/v3/b2_authorize_account', {
        headers: { authorization: `Basic ${Buffer.from(`${keyId}:${key}`).toString('base64')}` },
      })
    ).body;
    const create = (bucketName: string) =>
      json(
        `${new URL(auth.apiInfo.storageApi.apiUrl).pathname.replace(/\/$/, '')}/b2api/v3/b2_create_bucket`,
        {
          method: 'POST',
          headers: { authorization: auth.authorizationToken },
          body: JSON.stringify({ accountId: auth.accountId, bucketName, bucketType: 'allPrivate' }),
        },
      );
    expect((await create('longer-than-eight')).status).toBe(400);
    expect((await create('eight-ok')).status).toBe(200);
    await setOptions({ bucketNameMaxLength: null });
    expect((await create('longer-than-eight')).status).toBe(200);
  });

  it('every option of every service has a description and a spec reference, and is in the README table', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    for (const [name, definition] of Object.entries(services)) {
      const catalog = definition.optionCatalog as Record<string, { description: string; spec: string }>;
      expect(Object.keys(catalog).sort(), name).toEqual(Object.keys(definition.defaultOptions).sort());
      for (const [option, spec] of Object.entries(catalog)) {
        expect(spec.description.length, `${name}.${option}`).toBeGreaterThan(10);
        expect(spec.spec, `${name}.${option}`).toMatch(/^(b2|gopro-biggo|mixcloud)\.md /);
        expect(readme, `${name}.${option} in README`).toContain(`\`${option}\``);
      }
    }
  });
});

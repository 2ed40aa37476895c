import { describe, expect, it } from 'vitest';
import { ConstructionSeed, InvalidInputError, resolveSettings } from '../src/index.js';

const b2 = {
  service: 'b2',
  defaultBaseUrl: 'https://api.backblazeb2.com',
  credentials: [
    { option: 'keyId', env: 'B2_APPLICATION_KEY_ID' },
    { option: 'applicationKey', env: 'B2_APPLICATION_KEY' },
  ],
};

describe('resolveSettings', () => {
  it('option, else MEDIAFERRY_<SERVICE>_URL, else the real service', () => {
    const env = { B2_APPLICATION_KEY_ID: 'id', B2_APPLICATION_KEY: 'k' };
    expect(resolveSettings(b2, {}, env).baseUrl).toBe('https://api.backblazeb2.com');
    expect(resolveSettings(b2, {}, { ...env, MEDIAFERRY_B2_URL: 'http://127.0.0.1:4010/' }).baseUrl).toBe(
      'http://127.0.0.1:4010',
    );
    const chosen = resolveSettings(
      b2,
      { baseUrl: 'http://h:1' },
      { ...env, MEDIAFERRY_B2_URL: 'http://x:2' },
    );
    expect(chosen).toMatchObject({ baseUrl: 'http://h:1', baseUrlFrom: 'option' });
    expect(chosen.credentials).toEqual({ keyId: 'id', applicationKey: 'k' });
  });

  it('a missing credential names the option and the variable; empty counts as missing', () => {
    const error = (() => {
      try {
        resolveSettings(b2, { keyId: 'id' }, { B2_APPLICATION_KEY: '' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(/applicationKey.*B2_APPLICATION_KEY/);
  });

  it('optional credentials may be absent; bad URLs and non-string credentials are refused', () => {
    const mixcloud = {
      service: 'mixcloud',
      defaultBaseUrl: 'https://api.mixcloud.com',
      credentials: [{ option: 'accessToken', env: 'MIXCLOUD_ACCESS_TOKEN', required: false }],
    };
    expect(resolveSettings(mixcloud, {}, {}).credentials).toEqual({});
    expect(() => resolveSettings(mixcloud, { baseUrl: 'ftp://x' }, {})).toThrow(InvalidInputError);
    expect(() => resolveSettings(mixcloud, {}, { MEDIAFERRY_MIXCLOUD_URL: 'not a url' })).toThrow(
      /MEDIAFERRY_MIXCLOUD_URL/,
    );
    expect(() => resolveSettings(mixcloud, { accessToken: 42 }, {})).toThrow(/accessToken/);
  });
});

describe('ConstructionSeed', () => {
  class Built {
    readonly seed: string | undefined;
    constructor(seeds: ConstructionSeed<string>, fail = false) {
      this.seed = seeds.take();
      if (fail) throw new InvalidInputError('x', 'fails');
    }
  }

  it('hands the value to the one constructor run inside with(), read once, gone afterwards', () => {
    const seeds = new ConstructionSeed<string>();
    const built = seeds.with('shared', () => [new Built(seeds), new Built(seeds)]);
    expect(built.map((b) => b.seed)).toEqual(['shared', undefined]);
    expect(new Built(seeds).seed).toBeUndefined();
    expect(() => seeds.with('lost', () => new Built(seeds, true))).toThrow(InvalidInputError);
    expect(() => seeds.with('unread', () => 1)).not.toThrow();
    expect(new Built(seeds).seed).toBeUndefined();
  });
});
